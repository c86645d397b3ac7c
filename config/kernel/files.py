"""Private files: letters, licences, evidence, photos and attachments hold personal data.

They never sit under a public URL: they are kept under MEDIA_ROOT, which nothing serves over
HTTP (no URL pattern, no web-server alias); a view checks permissions and streams the file.
"""

import re
import uuid
from collections.abc import Callable
from pathlib import PurePosixPath
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme


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
UNKNOWN_TYPE = "application/octet-stream"

# The largest upload (config.forms.DocumentField), and the largest request body that may carry
# one with its form: a bigger request is refused before its body is read.
UPLOAD_MAX_BYTES = 10 * 1024 * 1024
REQUEST_MAX_BYTES = UPLOAD_MAX_BYTES + 512 * 1024
UPLOAD_TOO_BIG = "The file must be smaller than 10 MB. Nothing was saved: choose a smaller file."


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


def download_name(filename: str, content_type: str) -> str:
    """A safe name for a download: the stem in plain letters, digits and hyphens, and the
    extension of the type found in the file's first bytes (never the name's own: an HTML/PDF
    polyglot called `x.html` downloads as `x.pdf`, served as a PDF)."""
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", PurePosixPath(filename).stem).strip("-")[:80]
    stem = stem or "download"
    if content_type not in EXTENSIONS:
        return f"{stem}.bin"
    return f"{stem}{EXTENSIONS[content_type]}"


def private_file_response(
    field_file: FieldFile, *, filename: str, content_type: str
) -> FileResponse:
    """Stream a private file as a download (the view has checked who may have it), under a
    safe generated name with the extension of its detected type (`download_name`)."""
    if content_type not in EXTENSIONS:
        content_type = UNKNOWN_TYPE
    return FileResponse(
        field_file.open("rb"),
        as_attachment=True,
        filename=download_name(filename, content_type),
        content_type=content_type,
    )


class UploadSizeLimitMiddleware:
    """Refuses a request whose body is bigger than any form with an upload may send, from its
    Content-Length, before the body is read: back to the page it came from, saying why."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > REQUEST_MAX_BYTES:
            messages.error(request, UPLOAD_TOO_BIG)
            back = request.META.get("HTTP_REFERER", "")
            if not url_has_allowed_host_and_scheme(
                back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
            ):
                back = request.get_full_path()
            response = HttpResponseRedirect(back)
            response.status_code = 303
            return response
        return self.get_response(request)
