"""manage.py benchmark_corrections: what a correction would have changed, replayed over many
frozen shortlists at once ÷ one shortlist's replay × their number (see
allocations/management/benchmark_corrections.py). Prints; asserts nothing."""

from django.core.management.base import BaseCommand, CommandError

from allocations.management.benchmark_corrections import correction_replay_measure


class Command(BaseCommand):
    help = "Time the correction replay over N frozen shortlists against one shortlist × N."

    def add_arguments(self, parser):
        parser.add_argument("--shortlists", type=int, default=200)
        parser.add_argument("--lines", type=int, default=20, help="Lines on each shortlist.")
        parser.add_argument("--repeat", type=int, default=3)

    def handle(self, *args, shortlists, lines, repeat, **options):
        if not 1 <= shortlists <= 20_000 or not 1 <= lines <= 500 or not 1 <= repeat <= 20:
            raise CommandError("--shortlists 1–20000, --lines 1–500, --repeat 1–20.")
        figures = correction_replay_measure(shortlists=shortlists, lines=lines, repeat=repeat)
        self.stdout.write(
            f"correction replay over {figures.shortlists} frozen shortlists "
            f"({figures.lines} lines each): {figures.bulk_seconds:.3f} s; one shortlist "
            f"replayed {figures.one_seconds * 1000:.1f} ms × {figures.shortlists} = "
            f"{figures.one_seconds * figures.shortlists:.3f} s; "
            f"ratio {figures.ratio:.3f}× (bulk ÷ one × N)"
        )
