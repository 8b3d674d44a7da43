"""Worker tasks of the tax documents, found by the worker's `autodiscover_tasks()`.

The tasks the services publish (render a PDF, build a ZIP) and the beat sweeps
are separate modules: the published ones import only the work modules
(shop/invoices/rendering.py, shop/invoices/archive_build.py), the sweeps run the
services that publish, so one module holding both would import itself back.
"""

from shop.invoices.tasks.build import document_archive_build_task
from shop.invoices.tasks.render import document_render_task
from shop.invoices.tasks.sweep import document_archives_sweep_task, documents_render_sweep_task

__all__ = [
    "document_archive_build_task",
    "document_archives_sweep_task",
    "document_render_task",
    "documents_render_sweep_task",
]
