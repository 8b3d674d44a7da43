"""Export files move to the private storage, under unguessable names.

Files that earlier background exports left under MEDIA_ROOT (a public URL,
predictable names) are moved to the private storage and removed from the media.
"""

import os

from django.core.files.storage import storages
from django.db import migrations, models

import shop.accounting.models
from shop.core.storage import private_storage


def exports_move_to_private(apps, schema_editor):
    ExportJob = apps.get_model("accounting", "ExportJob")
    public = storages["default"]
    for job in ExportJob.objects.exclude(file=""):
        name = job.file.name
        if not public.exists(name):
            continue
        with public.open(name, "rb") as handle:
            private_name = private_storage.save(
                shop.accounting.models.export_upload_to(job, os.path.basename(name)), handle
            )
        public.delete(name)
        ExportJob.objects.filter(pk=job.pk).update(file=private_name)


class Migration(migrations.Migration):
    dependencies = [
        ("accounting", "0002_accountants_export_permission"),
    ]

    operations = [
        migrations.AlterField(
            model_name="exportjob",
            name="file",
            field=models.FileField(
                blank=True,
                max_length=255,
                storage=shop.accounting.models.export_storage,
                upload_to=shop.accounting.models.export_upload_to,
            ),
        ),
        migrations.AlterField(
            model_name="exportjob",
            name="status",
            field=models.CharField(
                choices=[
                    ("pending", "Queued"),
                    ("running", "Running"),
                    ("done", "Done"),
                    ("failed", "Failed"),
                    ("expired", "Deleted after the retention period"),
                ],
                default="pending",
                max_length=8,
            ),
        ),
        migrations.RunPython(exports_move_to_private, migrations.RunPython.noop),
    ]
