"""Private files: letters, licences, evidence, photos and attachments hold personal data.

They never sit under a public URL: they are kept under MEDIA_ROOT, which nothing serves over
HTTP (no URL pattern, no web-server alias); a view checks permissions and streams the file.
"""

import uuid
from typing import Any

from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models.fields.files import FieldFile


def private_storage() -> FileSystemStorage:
    """The one private storage. No location: it follows settings.MEDIA_ROOT when used."""
    return FileSystemStorage()


class PrivateFileField(models.FileField):
    """A FileField that is always stored privately (its storage cannot be chosen)."""

    def __init__(self, *args, **kwargs):
        kwargs["storage"] = private_storage
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("storage", None)
        return name, path, args, kwargs


# The types config.forms.DocumentField accepts, told by the file's first bytes.
EXTENSIONS = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}


def upload_content_type(upload: Any) -> str:
    """The type DocumentField found in the file's first bytes (never the browser's word)."""
    return getattr(upload, "detected_content_type", "application/octet-stream")


def upload_keep(field_file: FieldFile, upload: Any) -> str:
    """Keep an upload in a private file field under a random name (its own name may hold
    personal data); the record is saved by the caller. Returns the upload's content type."""
    content_type = upload_content_type(upload)
    field_file.save(f"{uuid.uuid4().hex}{EXTENSIONS.get(content_type, '')}", upload, save=False)
    return content_type
