"""Storage of private files: outside the public media, served only by views that check."""

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.functional import LazyObject


class _PrivateStorage(LazyObject):
    def _setup(self):
        self._wrapped = FileSystemStorage(location=settings.PRIVATE_ROOT, base_url=None)


private_storage = _PrivateStorage()
