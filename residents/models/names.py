"""The register's names, each once: what a name search matches its terms against."""

from django.contrib.postgres.indexes import GinIndex
from django.db import models


class PersonName(models.Model):
    """Every folded name (`Folded`: accents removed, upper-cased) that a person on the register
    has had as a first, last or other name, once, whoever has it.

    A name search finds the names containing each term here, by the trigram index, then the
    people with those names by the B-tree indexes on the folded names, which hold what a
    search needs (the other names, the date of birth, the household), so the people's rows
    are not read: a search's cost follows how many distinct names match, not how many people
    have them. Kept by the database (migration 0014's trigger on residents_person, as people
    are added, renamed and deleted, however they are written), as the folded names themselves
    are: derived data, not a record, so it has no history. A name goes when nobody has it
    (a purged household's names are not kept here).
    """

    folded = models.TextField(primary_key=True)
    people = models.PositiveIntegerField(help_text="How many people have this name now.")

    class Meta:
        verbose_name = "person's name (for search)"
        verbose_name_plural = "people's names (for search)"
        indexes = [
            GinIndex(fields=["folded"], opclasses=["gin_trgm_ops"], name="person_name_trgm"),
        ]

    def __str__(self) -> str:
        return self.folded
