"""Time the PDF drawing of a 1-page document, a licence (about 6 pages) and a site handbook
(about 20 pages), in seconds and peak memory, and check the handbook's scaling and the
process's peak resident memory (RSS, at most 300 MB).

The issue's rule: a 20-page handbook takes no more than 25 times a 1-page document drawn in
the same run (drawing cost should grow with pages, not faster). Nothing is saved.

    manage.py benchmark_documents [--repeat 3] [--handbook-sections 36]
"""

import resource
import time
import tracemalloc
from dataclasses import dataclass

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.template.loader import render_to_string
from weasyprint import HTML

from config.pdf import PDF_ASSETS, LocalOnlyFetcher
from residents.documents import licence_template

RATIO_LIMIT = 25
RSS_LIMIT_MB = 300  # the drawing process's peak resident memory
PARAGRAPH = (
    "Residents are asked to keep the shared roads and verges clear, so that refuse lorries, "
    "emergency vehicles and the site team can reach every pitch at any time of day or night. "
    "Parking on the grass damages the drainage and is not allowed; visitors should use the "
    "parking bays by the site entrance and must not stay overnight without the site "
    "manager's agreement. Please report any fault with lighting, water, drainage or the "
    "amenity block to the site office as soon as you notice it, giving your pitch number."
)


@dataclass
class Result:
    name: str
    pages: int
    seconds: float
    peak_mib: float


def _draw(template: str, context: dict) -> tuple[bytes, int]:
    """What pdf_render does, keeping the page count."""
    html = render_to_string(template, context)
    document = HTML(
        string=html, base_url=str(PDF_ASSETS) + "/", url_fetcher=LocalOnlyFetcher()
    ).render()
    return document.write_pdf(), len(document.pages)


def _measure(name: str, template: str, context: dict, repeat: int) -> Result:
    """Best time of `repeat` draws; peak memory (Python allocations, tracemalloc) from one
    more draw, because tracing slows drawing and would distort the times."""
    times = []
    pages = 0
    for _ in range(repeat):
        started = time.perf_counter()
        _, pages = _draw(template, context)
        times.append(time.perf_counter() - started)
    tracemalloc.start()
    try:
        _draw(template, context)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return Result(name, pages, min(times), peak / 2**20)


def _handbook_context(sections: int) -> dict:
    return {
        "council_name": settings.COUNCIL_NAME,
        "site_name": "Benchmark Lane",
        "site_address": ["1 Benchmark Lane", "Ashford", "TN23 4QP"],
        "date": "1 January 2026",
        "sections": [
            {"heading": f"Section {n + 1}", "paragraphs": [PARAGRAPH, PARAGRAPH, PARAGRAPH]}
            for n in range(sections)
        ],
    }


def _licence_context() -> dict:
    return {
        "council_name": settings.COUNCIL_NAME,
        "licence_reference": "L-000000",
        "household_reference": "H-000000",
        "holders": ["Mary Lee", "Tom Lee"],
        "occupants": ["Ann Lee", "Joe Lee"],
        "unit": "Pitch 12",
        "site_name": "Benchmark Lane",
        "site_address": ["1 Benchmark Lane", "Ashford", "TN23 4QP"],
        "start_date": "1 January 2026",
        "weekly_fee": "85.00",
        "deposit": "170.00",
        "terms_version": settings.LICENCE_TERMS_VERSION,
        "max_caravans": 2,
        "meters": ["electricity", "water"],
        "has_amenity_block": True,
        "date": "1 January 2026",
    }


class Command(BaseCommand):
    help = "Time drawing a 1-page document, a licence and a site handbook to PDF."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=1, help="Draw each N times; best time")
        parser.add_argument(
            "--handbook-sections",
            type=int,
            default=34,
            help="Sections in the handbook (34 make about 20 pages)",
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="Fail if the handbook breaks the 25× rule or the peak RSS passes 300 MB",
        )

    def handle(self, *args, repeat: int, handbook_sections: int, check: bool, **options):
        if repeat < 1:
            raise CommandError("--repeat must be at least 1")
        handbook = "residents/pdf/handbook.html"
        # Draw once first, so fonts and templates are loaded before anything is timed.
        _draw(handbook, _handbook_context(1))
        results = [
            _measure("1-page document", handbook, _handbook_context(1), repeat),
            _measure(
                "licence agreement",
                licence_template(settings.LICENCE_TERMS_VERSION, "agreement"),
                _licence_context(),
                repeat,
            ),
            _measure("site handbook", handbook, _handbook_context(handbook_sections), repeat),
        ]
        for result in results:
            self.stdout.write(
                f"{result.name}: {result.pages} page{'s' if result.pages != 1 else ''}, "
                f"{result.seconds:.3f} seconds, peak memory {result.peak_mib:.1f} MiB"
            )
        one_page, _, handbook_result = results
        ratio = handbook_result.seconds / one_page.seconds
        verdict = "within the limit" if ratio <= RATIO_LIMIT else "OVER THE LIMIT"
        self.stdout.write(
            f"handbook ({handbook_result.pages} pages) / 1-page time: {ratio:.1f}× "
            f"(limit {RATIO_LIMIT}×): {verdict}"
        )
        rss_mb = _peak_rss_mb()
        self.stdout.write(f"peak RSS of this process: {rss_mb:.0f} MB (limit {RSS_LIMIT_MB} MB)")
        if check and ratio > RATIO_LIMIT:
            raise CommandError(f"The handbook took {ratio:.1f}× a 1-page document.")
        if check and rss_mb > RSS_LIMIT_MB:
            raise CommandError(f"The drawing process's peak RSS was {rss_mb:.0f} MB.")


def _peak_rss_mb() -> float:
    """This process's peak resident memory (Django, WeasyPrint and every drawing above), as a
    worker drawing documents has. Linux's VmHWM is this program's own since it started; the
    rusage peak also counts the process that started it, before exec (a benchmark's)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024  # kB
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
