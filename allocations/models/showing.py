"""The one way a record about an application's household logs a showing of its
special-category fields (config/views.py's History pages and the change log call it)."""

from __future__ import annotations


class HouseholdSpecialCategory:
    """For a model with `application` and `SPECIAL_CATEGORY_FIELDS`: a showing is logged
    against every person in the application's household, each field named
    "<SPECIAL_CATEGORY_PREFIX>:<field>" as the pages name it ("check:outcome")."""

    SPECIAL_CATEGORY_PREFIX: str

    @classmethod
    def special_category_view_log(cls, *, record, user, fields, where: str) -> None:
        from residents.services import special_category_views_record

        special_category_views_record(
            people=list(record.application.household.people.all()),
            user=user,
            fields=[f"{cls.SPECIAL_CATEGORY_PREFIX}:{name}" for name in fields],
            where=where,
        )
