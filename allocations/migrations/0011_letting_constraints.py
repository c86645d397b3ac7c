"""A unit is let once, in the database: one open vacancy per unit (a partial unique index),
one approved allocation per vacancy, no open vacancy beside a draft, signed or live agreement,
and the unit's letting state, whenever a step moves it, checked at commit against its
vacancies, offers and agreements (constraint triggers named `letting_consistent`).

They live here because allocations is the app that knows units, vacancies and agreements."""

from django.db import migrations, models

LETTING_SQL = r"""
CREATE OR REPLACE FUNCTION letting_unit_check(p_unit bigint, p_state boolean) RETURNS void AS $$
DECLARE
    state text;
    vacancies integer;
    offers integer;
    pending integer;
    live integer;
BEGIN
    SELECT status INTO state FROM sites_unit WHERE id = p_unit;
    IF state IS NULL THEN
        RETURN;
    END IF;
    SELECT count(*) INTO vacancies FROM allocations_vacancy
        WHERE unit_id = p_unit AND status IN ('draft', 'advertised', 'closed');
    SELECT count(*) INTO offers FROM allocations_offer o
        JOIN allocations_vacancy v ON v.id = o.vacancy_id
        WHERE v.unit_id = p_unit AND v.status IN ('draft', 'advertised', 'closed')
          AND o.status IN ('open', 'accepted');
    SELECT count(*) INTO pending FROM residents_licence
        WHERE unit_id = p_unit AND status IN ('draft', 'signed');
    SELECT count(*) INTO live FROM residents_licence
        WHERE unit_id = p_unit AND status = 'live';
    IF vacancies > 0 AND pending + live > 0 THEN
        RAISE EXCEPTION 'letting_consistent: unit % has an open vacancy and a draft or live agreement', p_unit
            USING ERRCODE = 'check_violation', CONSTRAINT = 'letting_consistent';
    END IF;
    IF NOT p_state THEN
        RETURN;
    END IF;
    IF (state IN ('void', 'unavailable') AND vacancies + pending + live > 0)
       OR (state = 'advertised' AND NOT (vacancies = 1 AND offers = 0 AND pending + live = 0))
       OR (state = 'under_offer' AND NOT (vacancies = 1 AND offers = 1 AND pending + live = 0))
       OR (state = 'allocated' AND NOT (vacancies = 0 AND pending > 0 AND live = 0))
       OR (state = 'occupied' AND NOT (vacancies = 0 AND pending = 0))
       OR (live > 0 AND state <> 'occupied') THEN
        RAISE EXCEPTION 'letting_consistent: unit % is % but has % open vacancies, % live offers, % draft or signed and % live agreements',
            p_unit, state, vacancies, offers, pending, live
            USING ERRCODE = 'check_violation', CONSTRAINT = 'letting_consistent';
    END IF;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION letting_check_unit_row() RETURNS trigger AS $$
BEGIN
    PERFORM letting_unit_check(NEW.id, true);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION letting_check_by_unit_id() RETURNS trigger AS $$
BEGIN
    PERFORM letting_unit_check(NEW.unit_id, false);
    IF TG_OP = 'UPDATE' AND OLD.unit_id <> NEW.unit_id THEN
        PERFORM letting_unit_check(OLD.unit_id, false);
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

-- Deferred to commit: a letting step changes the vacancy, the offer, the agreement and the
-- unit one after the other; what must agree is the state they leave behind.
-- The unit's letting state is checked against all its records whenever a step moves it; an
-- open vacancy beside a draft, signed or live agreement is refused whatever else moves.
CREATE CONSTRAINT TRIGGER letting_consistent AFTER UPDATE OF status ON sites_unit
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION letting_check_unit_row();
CREATE CONSTRAINT TRIGGER letting_consistent AFTER INSERT OR UPDATE OF status, unit_id
    ON allocations_vacancy
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION letting_check_by_unit_id();
CREATE CONSTRAINT TRIGGER letting_consistent AFTER INSERT OR UPDATE OF status, unit_id
    ON residents_licence
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION letting_check_by_unit_id();

-- One approved allocation per vacancy (the vacancy is reached through the offer, so no index
-- can say it; the approving service holds the vacancy's row lock, this is the last word).
CREATE OR REPLACE FUNCTION one_approved_allocation_per_vacancy() RETURNS trigger AS $$
BEGIN
    IF NEW.status = 'approved' AND EXISTS (
        SELECT 1 FROM allocations_allocationdecision d
        JOIN allocations_offer o ON o.id = d.offer_id
        WHERE d.status = 'approved' AND d.id <> NEW.id
          AND o.vacancy_id = (SELECT vacancy_id FROM allocations_offer WHERE id = NEW.offer_id)
    ) THEN
        RAISE EXCEPTION 'one_approved_allocation_per_vacancy: the vacancy already has an approved allocation'
            USING ERRCODE = 'unique_violation', CONSTRAINT = 'one_approved_allocation_per_vacancy';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER one_approved_allocation_per_vacancy BEFORE INSERT OR UPDATE OF status
    ON allocations_allocationdecision
    FOR EACH ROW EXECUTE FUNCTION one_approved_allocation_per_vacancy();
"""

LETTING_SQL_REVERSE = r"""
DROP TRIGGER IF EXISTS one_approved_allocation_per_vacancy ON allocations_allocationdecision;
DROP FUNCTION IF EXISTS one_approved_allocation_per_vacancy();
DROP TRIGGER IF EXISTS letting_consistent ON residents_licence;
DROP TRIGGER IF EXISTS letting_consistent ON allocations_vacancy;
DROP TRIGGER IF EXISTS letting_consistent ON sites_unit;
DROP FUNCTION IF EXISTS letting_check_by_unit_id();
DROP FUNCTION IF EXISTS letting_check_unit_row();
DROP FUNCTION IF EXISTS letting_unit_check(bigint, boolean);
"""


class Migration(migrations.Migration):
    dependencies = [
        ("allocations", "0010_letting_states_settle"),
        ("residents", "0009_licence_signed_cancelled_court_route_succession_transit"),
        ("sites", "0003_unit_letting_state_and_transit_pitches"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name='vacancy',
            constraint=models.UniqueConstraint(condition=models.Q(('status__in', ['draft', 'advertised', 'closed'])), fields=('unit',), name='one_open_vacancy_per_unit'),
        ),
        migrations.AddConstraint(
            model_name='vacancy',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'withdrawn'), _negated=True), models.Q(('withdrawal_reason', ''), _negated=True), _connector='OR'), name='withdrawn_vacancy_has_reason'),
        ),
        migrations.AddConstraint(
            model_name='vacancy',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'fell_through'), _negated=True), models.Q(('fell_through_reason', ''), _negated=True), _connector='OR'), name='fallen_through_let_has_reason'),
        ),
        migrations.RunSQL(LETTING_SQL, LETTING_SQL_REVERSE),
    ]
