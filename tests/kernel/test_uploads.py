"""Uploads, downloads and the PDF fetcher: a file is served under a name and type we chose,
a too-big upload is refused before its body is read, and PDFs read only their own folder."""

import io

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from allocations.models import EvidenceDocument
from config.kernel.files import REQUEST_MAX_BYTES, download_name
from config.pdf import PDF_ASSETS, LocalOnlyFetcher
from tests.allocations.factories import ActiveApplicationFactory

pytestmark = pytest.mark.django_db

POLYGLOT = b"%PDF-1.4\n<html><body><script>alert(document.cookie)</script></body></html>"
SVG_BEHIND_PNG = b'\x89PNG\r\n\x1a\n<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'
REAL_PNG_HEAD = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02"


def _upload(client, application, name: str, content: bytes, content_type: str):
    return client.post(
        reverse("allocations:evidence-upload", args=[application.pk]),
        {
            "kind": "medical",
            "description": "GP letter",
            "file": SimpleUploadedFile(name, content, content_type=content_type),
        },
    )


def test_an_html_pdf_polyglot_downloads_as_a_pdf_under_a_generated_name(
    client, officer, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    application = ActiveApplicationFactory()
    client.force_login(officer)
    _upload(client, application, "Smith <script>.html", POLYGLOT, "text/html")
    document = EvidenceDocument.objects.get()
    response = client.get(reverse("allocations:evidence-download", args=[document.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="evidence-{document.pk}.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"


def test_an_svg_behind_a_png_header_is_refused_and_a_real_png_is_kept(
    client, officer, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    application = ActiveApplicationFactory()
    client.force_login(officer)
    response = _upload(client, application, "photo.svg", SVG_BEHIND_PNG, "image/svg+xml")
    assert response.status_code == 400
    assert "The file must be a PDF, JPEG or PNG" in response.content.decode()
    assert not EvidenceDocument.objects.exists()
    _upload(client, application, "photo.svg", REAL_PNG_HEAD + b"rest", "image/svg+xml")
    document = EvidenceDocument.objects.get()
    response = client.get(reverse("allocations:evidence-download", args=[document.pk]))
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].endswith(f'filename="evidence-{document.pk}.png"')


def test_download_names_keep_only_safe_characters_and_the_types_extension():
    assert download_name("GT-2026-0001-invalid-letter.pdf", "application/pdf") == (
        "GT-2026-0001-invalid-letter.pdf"
    )
    assert download_name('../../x"; y.html', "image/jpeg") == "x-y.jpg"
    assert download_name("évidence.exe", "text/html") == "vidence.bin"
    assert download_name("", "application/pdf") == "download.pdf"


class _Unread(io.RawIOBase):
    """A request body that fails if anything reads it."""

    def read(self, *args):
        raise AssertionError("the body of a too-big upload was read")

    readline = readinto = read


def test_an_upload_over_the_limit_is_refused_before_its_body_is_read(client, officer):
    application = ActiveApplicationFactory()
    client.force_login(officer)
    url = reverse("allocations:evidence-upload", args=[application.pk])
    response = client.generic(
        "POST",
        url,
        b"",
        content_type="multipart/form-data; boundary=BoUnDaRy",
        CONTENT_LENGTH=str(REQUEST_MAX_BYTES + 1),
        HTTP_REFERER=f"http://testserver{url}",
        **{"wsgi.input": _Unread()},
    )
    assert response.status_code == 303 and response["Location"].endswith(url)
    assert [str(message) for message in get_messages(response.wsgi_request)] == [
        "The file must be smaller than 10 MB. Nothing was saved: choose a smaller file."
    ]
    assert not EvidenceDocument.objects.exists()


def test_a_real_11_mb_upload_is_refused_with_the_message_and_nothing_kept(client, officer):
    application = ActiveApplicationFactory()
    client.force_login(officer)
    big = b"%PDF-1.4 " + b"x" * (11 * 1024 * 1024)
    response = _upload(client, application, "big.pdf", big, "application/pdf")
    assert response.status_code == 303
    page = client.get(response["Location"]).content.decode()
    assert "The file must be smaller than 10 MB" in page
    assert not EvidenceDocument.objects.exists()


def test_the_pdf_fetcher_cannot_be_walked_out_of_its_folder_by_percent_encoded_dots():
    fetcher = LocalOnlyFetcher()
    walks = [
        f"file://{PDF_ASSETS}/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        f"file://{PDF_ASSETS}/%2E%2E%2F%2E%2E%2F%2E%2E%2F%2E%2E%2F%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
        f"FILE://{PDF_ASSETS}/../../../../../../../etc/passwd",
        "file://otherhost/etc/passwd",
        "file:///etc/passwd",
    ]
    for url in walks:
        with pytest.raises(ValueError, match="refused"):
            fetcher.fetch(url)
    response = fetcher.fetch(f"file://{PDF_ASSETS}/letter%2ecss")
    assert b"{" in response.read()
