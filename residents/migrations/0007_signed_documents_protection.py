"""Drawn licence documents and signings the database will not let change.

A ready written statement or agreement keeps its file, checksum and text for ever (it may
only be marked superseded); a signing is never changed or deleted. The service never tries:
this is the last line, against a bug or a hand-written UPDATE.
"""

from django.db import migrations

PROTECT = """
CREATE OR REPLACE FUNCTION residents_licence_document_protect() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.status = 'ready' THEN
            RAISE EXCEPTION 'A drawn licence document cannot be deleted'
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN OLD;
    END IF;
    IF OLD.status = 'ready' AND (
        NEW.status IS DISTINCT FROM OLD.status
        OR NEW.file IS DISTINCT FROM OLD.file
        OR NEW.sha256 IS DISTINCT FROM OLD.sha256
        OR NEW.context::text IS DISTINCT FROM OLD.context::text
        OR NEW.kind IS DISTINCT FROM OLD.kind
        OR NEW.template_version IS DISTINCT FROM OLD.template_version
        OR NEW.licence_id IS DISTINCT FROM OLD.licence_id
        OR (OLD.superseded_at IS NOT NULL AND NEW.superseded_at IS DISTINCT FROM OLD.superseded_at)
    ) THEN
        RAISE EXCEPTION 'A drawn licence document cannot be changed; draw a new one'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER residents_licence_document_protect BEFORE UPDATE OR DELETE
    ON residents_licencedocument
    FOR EACH ROW EXECUTE FUNCTION residents_licence_document_protect();

CREATE OR REPLACE FUNCTION residents_licence_signing_protect() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'A licence signing cannot be changed or deleted'
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER residents_licence_signing_protect BEFORE UPDATE OR DELETE
    ON residents_licencesigning
    FOR EACH ROW EXECUTE FUNCTION residents_licence_signing_protect();
"""
UNPROTECT = """
DROP TRIGGER IF EXISTS residents_licence_signing_protect ON residents_licencesigning;
DROP FUNCTION IF EXISTS residents_licence_signing_protect();
DROP TRIGGER IF EXISTS residents_licence_document_protect ON residents_licencedocument;
DROP FUNCTION IF EXISTS residents_licence_document_protect();
"""


class Migration(migrations.Migration):
    dependencies = [("residents", "0006_roles_licences")]

    operations = [migrations.RunSQL(PROTECT, UNPROTECT)]
