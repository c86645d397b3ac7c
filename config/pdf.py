"""PDF rendering for letters, licences and handbooks (WeasyPrint), run inside Celery tasks.

Templates are Django templates (autoescaped). WeasyPrint may read only the files under
templates/pdf/ (fonts and the letter stylesheet) and data: URLs: a letter can never make the
server fetch a URL that a household's data put in it.
"""

from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher

PDF_ASSETS = Path(settings.BASE_DIR) / "templates" / "pdf"


class LocalOnlyFetcher(URLFetcher):
    """Serves files under templates/pdf/ and data: URLs; refuses everything else."""

    def __init__(self):
        super().__init__(allowed_protocols=("file", "data"), fail_on_errors=True)

    def fetch(self, url, headers=None):
        if url.startswith("file:"):
            path = Path(url.removeprefix("file://").split("?")[0]).resolve()
            if not path.is_relative_to(PDF_ASSETS.resolve()):
                raise ValueError(f"PDFs may only use files in {PDF_ASSETS}: refused {url}")
        return super().fetch(url, headers)


def pdf_render(template_name: str, context: dict) -> bytes:
    html = render_to_string(template_name, context)
    return HTML(
        string=html, base_url=str(PDF_ASSETS) + "/", url_fetcher=LocalOnlyFetcher()
    ).write_pdf()
