"""One household reference format everywhere (issue 12): the demo once wrote H-0000002 and
A-00001-0001 beside the app's H-000002. Any reference not in the app's format gets the next
number from the app's own sequence, so no two households can be confused."""

import re

from django.db import migrations

APP_FORMAT = re.compile(r"^H-\d{6}$")


def references_renumber(apps, schema_editor):
    household = apps.get_model("residents", "Household")
    taken = set(household.objects.values_list("reference", flat=True))
    with schema_editor.connection.cursor() as cursor:
        for row in household.objects.order_by("pk").only("pk", "reference"):
            if APP_FORMAT.match(row.reference):
                continue
            while True:
                cursor.execute("SELECT nextval('residents_household_reference_seq')")
                reference = f"H-{cursor.fetchone()[0]:06d}"
                if reference not in taken:
                    break
            taken.add(reference)
            household.objects.filter(pk=row.pk).update(reference=reference)
    # History rows keep the reference as it was then: they are never rewritten.


class Migration(migrations.Migration):
    dependencies = [("residents", "0008_private_file_fields")]

    operations = [migrations.RunPython(references_renumber, migrations.RunPython.noop)]
