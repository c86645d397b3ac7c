"""Reference sequences, and published policy versions that the database will not let change."""

from django.db import migrations

PROTECT = """
CREATE OR REPLACE FUNCTION policy_version_protect() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'A published policy version cannot be changed or deleted; publish a new version'
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER policy_version_protect BEFORE UPDATE OR DELETE ON allocations_policyversion
    FOR EACH ROW EXECUTE FUNCTION policy_version_protect();
"""
UNPROTECT = """
DROP TRIGGER IF EXISTS policy_version_protect ON allocations_policyversion;
DROP FUNCTION IF EXISTS policy_version_protect();
"""


class Migration(migrations.Migration):
    dependencies = [("allocations", "0001_initial")]

    operations = [
        migrations.RunSQL(
            "CREATE SEQUENCE IF NOT EXISTS allocations_application_reference START 1001;"
            "CREATE SEQUENCE IF NOT EXISTS allocations_vacancy_reference START 101;",
            "DROP SEQUENCE IF EXISTS allocations_application_reference;"
            "DROP SEQUENCE IF EXISTS allocations_vacancy_reference;",
        ),
        migrations.RunSQL(PROTECT, UNPROTECT),
    ]
