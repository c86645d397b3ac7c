"""Write a collection year's CORE lettings logs as CORE's bulk-upload CSV.

    manage.py core_export --year 2026 [--output core.csv] [--problems problems.txt] [--force]

2026 is the collection year 1 April 2026 - 31 March 2027. Every let is checked against CORE's
rules first; each problem (which let, which field, how to fix it) is printed, or written to
--problems. With problems the command writes no file and exits non-zero, unless --force.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from allocations.core.export import core_export


class Command(BaseCommand):
    help = "Write a collection year's CORE lettings logs (bulk-upload CSV) and their problems."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, required=True, help="2026 for 2026/27")
        parser.add_argument("--output", type=Path, help="the CSV (default core-lettings-…csv)")
        parser.add_argument("--problems", type=Path, help="write the problems here, not stdout")
        parser.add_argument(
            "--force", action="store_true", help="write the CSV even when there are problems"
        )

    def handle(self, *args, year: int, output, problems, force: bool, **options) -> None:
        try:
            export = core_export(year=year)
        except ValueError as error:
            raise CommandError(str(error)) from error
        if problems is not None:
            problems.write_text(export.problems_text(), encoding="utf-8")
        elif export.problems:
            self.stdout.write(export.problems_text(), ending="")
        output = output or Path(export.filename)
        if export.problems and not force:
            raise CommandError(
                f"{len(export.problems)} problem(s) in {len(export.lets)} let(s): no file "
                "written. Put them right, or write it anyway with --force."
            )
        output.write_text(export.csv(), encoding="utf-8")
        self.stdout.write(
            f"Wrote {len(export.rows)} lettings log(s) for {year}/{year + 1 - 2000} to {output}"
            + (f" with {len(export.problems)} problem(s)." if export.problems else ".")
        )
