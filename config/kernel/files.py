"""Private files: letters, licences, evidence, photos and attachments hold personal data.

They never sit under a public URL: they are kept under MEDIA_ROOT, which nothing serves over
HTTP (no URL pattern, no web-server alias); a view checks permissions and streams the file.
"""

import uuid
from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models.fields.files import FieldFile
from django.http import FileResponse


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


class PrivateUpload(models.Model):
    """A document someone uploaded (evidence, an attachment), kept privately (abstract).

    A subclass declares its own `file = PrivateFileField(..., upload_to=...)` and what it is
    attached to; `keep(upload)` stores the file and records its name, type and size.
    """

    description = models.CharField("description", max_length=200)
    original_name = models.CharField("file name", max_length=200)
    content_type = models.CharField("file type", max_length=100)
    size = models.PositiveIntegerField("size in bytes")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["-uploaded_at"]

    def keep(self, upload: Any) -> None:
        """Store the upload under a random name; the record is saved by the caller."""
        self.original_name = upload.name[:200]
        self.size = upload.size
        self.content_type = upload_keep(self.file, upload)  # type: ignore[attr-defined]


def private_file_response(
    field_file: FieldFile, *, filename: str, content_type: str
) -> FileResponse:
    """Stream a private file as a download (the view has checked who may have it)."""
    return FileResponse(
        field_file.open("rb"), as_attachment=True, filename=filename, content_type=content_type
    )
