"""PDF rendering for letters, licences and handbooks (WeasyPrint), run inside Celery tasks.

Templates are Django templates (autoescaped). WeasyPrint may read only the files under
templates/pdf/ (fonts and the letter stylesheet) and data: URLs: a letter can never make the
server fetch a URL that a household's data put in it.
"""

from pathlib import Path
from urllib.parse import SplitResult, urlsplit
from urllib.request import url2pathname

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
        parts = urlsplit(url.strip())
        if parts.scheme.lower() == "file":
            url = self._asset_uri(parts, url)
        return super().fetch(url, headers)

    @staticmethod
    def _asset_uri(parts: SplitResult, url: str) -> str:
        """The file's real path, decoded as the opener would (percent-encoding included, so
        `%2e%2e` is `..`) and resolved (symbolic links too), must lie under templates/pdf/;
        the file is then fetched by that resolved path, never by the URL as written."""
        if parts.netloc not in ("", "localhost"):
            raise ValueError(f"PDFs may only use local files: refused {url}")
        path = Path(url2pathname(parts.path)).resolve()
        if not path.is_relative_to(PDF_ASSETS.resolve()):
            raise ValueError(f"PDFs may only use files in {PDF_ASSETS}: refused {url}")
        return path.as_uri()


def pdf_render(template_name: str, context: dict) -> bytes:
    html = render_to_string(template_name, context)
    return HTML(
        string=html, base_url=str(PDF_ASSETS) + "/", url_fetcher=LocalOnlyFetcher()
    ).write_pdf()
