"""The export registry (privacy/registry.py) covers every model with a path to a person: a
model added later without a registry entry fails here, saying what to add."""

from django.apps import apps
from django.contrib.contenttypes.fields import GenericForeignKey
from django.db import models
from simple_history.models import HistoricalChanges

from allocations.privacy.registry import ABOUT_HOLDINGS, EXCLUDED, HOLDINGS, ROOTS

# Not personal data about the household even though reachable: staff accounts, content types.
_STOP = {"auth.User", "contenttypes.ContentType", "auth.Group", "auth.Permission"}


def _paths_to_a_person() -> dict[str, str]:
    """Every model with a foreign-key (or many-to-many) path to a root, with one such path."""
    found = {root: root for root in ROOTS}
    changed = True
    while changed:
        changed = False
        for model in apps.get_models():
            label = model._meta.label
            if label in found or issubclass(model, HistoricalChanges):
                continue
            for field in model._meta.get_fields():
                if not (field.concrete and field.is_relation and field.related_model):
                    continue
                target = field.related_model._meta.label
                if target in found and target not in _STOP:
                    found[label] = f"{label}.{field.name} → {found[target]}"
                    changed = True
                    break
    return found


def test_every_model_with_a_path_to_a_person_is_exported_or_excluded_with_a_reason():
    registered = {holding.model for holding in HOLDINGS}
    missing = [
        (label, path)
        for label, path in sorted(_paths_to_a_person().items())
        if label not in registered and label not in EXCLUDED
    ]
    assert not missing, "\n".join(
        f"{label} holds personal data ({path}) but privacy/registry.py does not say how to "
        f'find it: add Holding("{label}", ("<lookup from {label} to residents.Household>",)) '
        f"to HOLDINGS (with person= when a row is about one member), or add "
        f'"{label}": "<why it is left out>" to EXCLUDED.'
        for label, path in missing
    )


def _generic_relations() -> dict[str, str]:
    """Every model with a generic relation (content type and id: it may point at any record,
    a person's among them), with the relation's name."""
    return {
        model._meta.label: field.name
        for model in apps.get_models()
        if not issubclass(model, HistoricalChanges)
        for field in model._meta.private_fields
        if isinstance(field, GenericForeignKey)
    }


def test_every_model_with_a_generic_relation_is_exported_or_excluded_with_a_reason():
    registered = {about.model for about in ABOUT_HOLDINGS}
    missing = [
        (label, name)
        for label, name in sorted(_generic_relations().items())
        if label not in registered and label not in EXCLUDED
    ]
    assert not missing, "\n".join(
        f"{label}.{name} may point at a person's record, but privacy/registry.py does not say "
        f'how to find its rows: add AboutHolding("{label}", ...) to ABOUT_HOLDINGS, or '
        f'"{label}": "<why it is left out>" to EXCLUDED.'
        for label, name in missing
    )


def test_what_hangs_from_a_generic_holding_is_its_dependent():
    """A model with a foreign key to a model held through a generic relation (a work item's
    attachments and reminders) is one of its dependents, so it is given and purged with it."""
    for about in ABOUT_HOLDINGS:
        declared = {label for label, _lookup in about.dependents}
        pointing = {
            model._meta.label
            for model in apps.get_models()
            if not issubclass(model, HistoricalChanges) and model is not about.model_class
            for field in model._meta.concrete_fields
            if field.many_to_one and field.related_model is about.model_class
        }
        assert pointing <= declared, (
            f"{sorted(pointing - declared)} point at {about.model}: add them to its dependents "
            "in ABOUT_HOLDINGS"
        )
        for label, lookup in about.dependents:
            field = apps.get_model(label)._meta.get_field(lookup)
            assert field.related_model is about.model_class, (label, lookup)


def test_the_registry_names_only_models_that_exist_and_lookups_that_work(db):
    for holding in HOLDINGS:
        assert list(holding.for_households([0])) == [], holding.model
    for label in EXCLUDED:
        assert apps.get_model(label) is not None
        assert EXCLUDED[label].strip()


def test_nothing_is_both_exported_and_excluded():
    assert not {holding.model for holding in HOLDINGS} & set(EXCLUDED)


def test_every_holding_reaches_a_household():
    household = apps.get_model("residents.Household")
    for holding in HOLDINGS:
        for lookup in holding.household:
            model: type[models.Model] = holding.model_class
            if lookup == "pk":
                assert model is household
                continue
            for part in lookup.split("__"):
                model = model._meta.get_field(part).related_model
            assert model is household, f"{holding.model}: {lookup}"
