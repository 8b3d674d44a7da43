"""Responses that send a private file (exports, invoices) to a user a view has checked."""

from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, HttpResponse
from django.utils.http import content_disposition_header

from shop.core.storage import private_storage


def private_file_response(*, name: str, filename: str, content_type: str) -> HttpResponse:
    """Return the private file `name` as a download called `filename`.

    The calling view has checked the permission. With PRIVATE_FILES_X_ACCEL_PREFIX
    set (production behind nginx), the response only names the file and nginx
    sends it from an `internal` location; otherwise Django streams it.
    """
    prefix = settings.PRIVATE_FILES_X_ACCEL_PREFIX
    if prefix:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = f"{prefix.rstrip('/')}/{quote(name)}"
        response["Content-Disposition"] = content_disposition_header(True, filename)
    else:
        response = FileResponse(
            private_storage.open(name, "rb"),
            as_attachment=True,
            filename=filename,
            content_type=content_type,
        )
    # Never kept by a shared cache or the browser's cache.
    response["Cache-Control"] = "private, no-store"
    return response
