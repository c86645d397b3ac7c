"""A collection year's CORE lettings logs: the bulk-upload CSV and the problems found first.

The file is laid out as CORE's bulk-upload template is read (csv_parser.rb at the commit in
year2026.py): a row whose first cell is "Field number" gives the field numbers, the rows after
it are logs, and the first column is left for labels (col_offset 1). A row of the questions
goes above it, as in CORE's own template, for people reading the file.
"""

from dataclasses import dataclass

from allocations.core import year2026 as core
from allocations.core.builder import Row, csv_value, log_row
from allocations.core.lets import lets_for_year
from allocations.core.sources import Let
from allocations.core.validate import Problem, log_problems
from config.kernel.exports import csv_text

SUPPORTED_YEARS = (core.YEAR,)


@dataclass
class CoreExport:
    year: int
    lets: list[Let]
    rows: list[Row]
    problems: list[Problem]

    def csv(self) -> str:
        return csv_text(self.table())

    def table(self) -> list[list]:
        lines: list[list] = [["Question", *(f.question for f in core.FIELDS)]]
        lines.append(["Field number", *(f.number for f in core.FIELDS)])
        for row in self.rows:
            lines.append(["", *(csv_value(row[f.number]) for f in core.FIELDS)])
        return lines

    def problems_text(self) -> str:
        return "".join(f"{problem}\n" for problem in self.problems)

    @property
    def filename(self) -> str:
        return f"core-lettings-{self.year}-{self.year + 1 - 2000}.csv"


def core_export(*, year: int) -> CoreExport:
    """Every let of the collection year built into its log and checked against CORE's rules."""
    if year not in SUPPORTED_YEARS:
        raise ValueError(
            f"CORE's layout is held for {', '.join(map(str, SUPPORTED_YEARS))} only, not {year}."
        )
    lets = lets_for_year(year)
    rows = [log_row(let) for let in lets]
    problems = [
        p for let, row in zip(lets, rows, strict=True) for p in log_problems(row, let, year)
    ]
    return CoreExport(year=year, lets=lets, rows=rows, problems=problems)
