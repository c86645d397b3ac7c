"""Private files: letters, licences, evidence, photos and attachments hold personal data.

They never sit under a public URL: the storage has no base_url and nothing serves MEDIA_ROOT
over HTTP; a view checks permissions and streams the file.
"""

from django.core.files.storage import FileSystemStorage
from django.db import models


def private_storage() -> FileSystemStorage:
    """The one private storage. No location: it follows settings.MEDIA_ROOT when used."""
    return FileSystemStorage(base_url=None)


class PrivateFileField(models.FileField):
    """A FileField that is always stored privately (its storage cannot be chosen)."""

    def __init__(self, *args, **kwargs):
        kwargs["storage"] = private_storage
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("storage", None)
        return name, path, args, kwargs
