"""The demo station generator: deterministic, valid identity data, every case kind, sound keys."""

from __future__ import annotations

import contextlib
import io
import re
import time as clock
from datetime import date, time, timedelta

import pytest
from sqlalchemy import func, select, text

from app.core.validation import check_credit_code, check_id_number, check_phone, id_birth_date, id_gender
from app.core.vocab import DISPUTE_KINDS, DISPUTE_SOURCES, DISPUTE_STATUSES
from app.demo.build import build_demo
from app.disputes.mediation import AgreementValues, agreement_document, agreement_problems
from db.engine import Database
from db.models import SYNCED_TABLES, Agreement, Dispute, DisputeParty, MediationSession, Visit

TODAY = date(2026, 6, 15)
STAMP_COLUMNS = {"created_at", "updated_at", "hlc", "clocks", "updated_by"}
# Local hours when things may happen (the program shows times in the laptop's zone).
VISIT_HOURS = ((time(8, 30), time(12)), (time(14), time(18)), (time(19), time(21)))
OFFICE_HOURS = ((time(8, 30), time(12)), (time(14), time(18)))
DISPUTE_HOURS = ((time(7), time(23)),)
COMPARED_TABLES = ("officer", "household", "resident", "visit", "dispute", "dispute_party", "agreement",
                   "revisit", "volunteer", "shift_assignment", "enterprise", "rectification")


@pytest.fixture(scope="module")
def station(tmp_path_factory):
    """One small station (seed 1) shared by the read-only tests, with the progress it reported."""
    db = Database.open(tmp_path_factory.mktemp("demo") / "station.sqlite3", create=True)
    reports: list[tuple[str, int, int]] = []
    counts = build_demo(db, scale="small", seed=1, today=TODAY,
                        progress=lambda stage, done, total: reports.append((stage, done, total)))
    yield db, counts, reports
    db.close()


def rows(db: Database, sql: str) -> list[tuple]:
    with db.connect() as conn:
        return [tuple(row) for row in conn.execute(text(sql))]


def dump(db: Database) -> dict[str, list[tuple]]:
    """Domain columns (ids included, sync stamps left out) of several tables, ordered by id.

    Case and agreement numbers embed the device's short code, which differs per database file."""
    result = {}
    with db.connect() as conn:
        for table in COMPARED_TABLES:
            columns = [c[1] for c in conn.execute(text(f"PRAGMA table_info({table})"))
                       if c[1] not in STAMP_COLUMNS]
            picked = [f"replace(number, '{db.device.short_code}', '<device>')" if c == "number" else c
                      for c in columns]
            result[table] = conn.execute(text(f"SELECT {', '.join(picked)} FROM {table} ORDER BY id")).all()
    return result


def test_same_seed_and_day_build_identical_data_including_ids(station, db):
    build_demo(db, scale="small", seed=1, today=TODAY)
    first, second = dump(station[0]), dump(db)
    for table in COMPARED_TABLES:
        assert first[table] and first[table] == second[table], table


def test_another_seed_builds_different_data(station, db):
    build_demo(db, scale="small", seed=2, today=TODAY)
    first, second = dump(station[0]), dump(db)
    assert first["household"] != second["household"]
    assert first["resident"] != second["resident"]


def test_small_scale_has_about_500_households_of_2_to_3_people(station):
    _db, counts, _reports = station
    assert counts["household"] == 500
    assert 2.0 <= counts["resident"] / counts["household"] <= 2.8


def test_returned_counts_match_the_rows_in_each_table(station):
    db, counts, _reports = station
    for table in SYNCED_TABLES:
        assert rows(db, f"SELECT count(*) FROM {table}")[0][0] == counts.get(table, 0), table


@pytest.mark.parametrize("table", ["resident", "volunteer"])
def test_id_numbers_pass_the_checksum_and_agree_with_birth_date_and_gender(station, table):
    people = rows(station[0], f"SELECT id_number, birth_date, gender FROM {table}")
    assert people
    for id_number, birth_date, gender in people:
        assert check_id_number(id_number, today=TODAY) is None, id_number
        assert id_birth_date(id_number).isoformat() == birth_date
        assert id_gender(id_number) == gender


def test_id_numbers_of_parties_and_hire_checks_pass_the_checksum(station):
    # A hire check past its keep-until day keeps only the last four (tests/enterprises/test_demo.py).
    numbers = rows(station[0], """SELECT id_number FROM hire_check WHERE id_hash IS NULL
                                  UNION ALL SELECT id_number FROM dispute_party WHERE id_number IS NOT NULL""")
    assert numbers
    assert [n for (n,) in numbers if check_id_number(n, today=TODAY)] == []


def test_every_person_has_an_id_number_of_their_own(station):
    # Volunteers who live in the station are the same person as their resident row.
    db = station[0]
    residents = [r[0] for r in rows(db, "SELECT id_number FROM resident")]
    outsiders = [r[0] for r in rows(db, "SELECT id_number FROM volunteer WHERE resident_id IS NULL")]
    assert len(set(residents + outsiders)) == len(residents) + len(outsiders)


def test_enterprise_credit_codes_pass_the_gb32100_check(station):
    codes = rows(station[0], "SELECT credit_code FROM enterprise")
    assert codes
    assert all(check_credit_code(code) is None for (code,) in codes)
    assert all(code.startswith("91") for (code,) in codes)


def test_phone_numbers_are_valid_mobiles_or_landlines(station):
    phones = rows(station[0], """
        SELECT phone FROM resident UNION ALL SELECT phone FROM household UNION ALL SELECT phone FROM officer
        UNION ALL SELECT phone FROM volunteer UNION ALL SELECT phone FROM enterprise
        UNION ALL SELECT grid_worker_phone FROM grid UNION ALL SELECT phone FROM dispute_party""")
    numbers = [p for (p,) in phones if p is not None]
    assert len(numbers) > 1000
    assert [p for p in numbers if check_phone(p)] == []


def test_every_dispute_kind_status_and_source_appears(station):
    db = station[0]
    assert {k for (k,) in rows(db, "SELECT kind FROM dispute")} == set(DISPUTE_KINDS)
    assert {s for (s,) in rows(db, "SELECT status FROM dispute")} == set(DISPUTE_STATUSES)
    assert {s for (s,) in rows(db, "SELECT source FROM dispute")} == set(DISPUTE_SOURCES)


def test_revisits_include_overdue_ones_done_ones_and_future_ones(station):
    revisits = rows(station[0], "SELECT due_on, done_on FROM revisit")
    today = TODAY.isoformat()
    assert any(due < today and done is None for due, done in revisits)  # overdue
    assert any(done is not None for _due, done in revisits)
    assert any(due >= today and done is None for due, done in revisits)
    assert all(done is None or done <= today for _due, done in revisits)


def test_case_and_agreement_numbers_are_unique_and_carry_the_device_code(station):
    db = station[0]
    code = db.device.short_code
    disputes = [n for (n,) in rows(db, "SELECT number FROM dispute")]
    agreements = [n for (n,) in rows(db, "SELECT number FROM agreement")]
    assert len(set(disputes)) == len(disputes) and len(set(agreements)) == len(agreements)
    assert all(n.split("-")[1] == code for n in disputes)
    assert all(n.split("-")[1] == code and n.split("-")[2].startswith("T") for n in agreements)


def test_resolved_disputes_have_agreements_and_some_go_to_the_mediation_center(station):
    db = station[0]
    assert rows(db, """SELECT count(*) FROM agreement a JOIN dispute d ON d.id = a.dispute_id
                       WHERE d.status != 'resolved'""")[0][0] == 0
    assert rows(db, "SELECT count(*) FROM agreement")[0][0] > 0
    assert rows(db, "SELECT count(*) FROM dispute_transfer WHERE body = '矛调中心' AND direction = 'out'")[0][0] > 0


def test_foreign_keys_all_point_at_existing_rows(station):
    assert rows(station[0], "PRAGMA foreign_key_check") == []


def test_household_search_has_a_row_per_household_with_the_heads_name(station):
    db = station[0]
    missing = rows(db, """SELECT h.id FROM household h LEFT JOIN household_search s ON s.household_id = h.id
                          WHERE s.household_id IS NULL OR instr(s.text, h.head_name) = 0""")
    assert missing == []
    # Residents were inserted after their households, so the triggers put their names in too.
    assert rows(db, """SELECT count(*) FROM resident r
                       JOIN household_search s ON s.household_id = r.household_id
                       WHERE instr(s.text, r.name) = 0""")[0][0] == 0


def test_visits_fall_within_the_two_years_before_today(station):
    with station[0].connect() as conn:
        times = conn.execute(select(Visit.__table__.c.visited_at)).scalars().all()
    assert all(t.tzinfo is not None for t in times)
    assert min(times).date() >= TODAY - timedelta(days=731)
    assert max(times).date() < TODAY


def test_every_row_carries_sync_stamps_and_is_not_deleted(station):
    db = station[0]
    for table in SYNCED_TABLES:
        assert rows(db, f"SELECT count(*) FROM {table} WHERE hlc = '' OR deleted != 0")[0][0] == 0, table


def test_progress_reaches_the_total_of_every_stage(station):
    reports = station[2]
    finals = {stage: (done, total) for stage, done, total in reports}
    assert len(finals) == 6
    assert all(done == total for done, total in finals.values())


def test_unknown_scale_is_refused_with_a_value_error(db):
    with pytest.raises(ValueError, match="规模"):
        build_demo(db, scale="huge")
    assert rows(db, "SELECT count(*) FROM household")[0][0] == 0


@pytest.fixture(params=["Asia/Shanghai", "America/Los_Angeles"])
def zoned(request, tmp_path, monkeypatch):
    """A small station built and read on a laptop set to ``zone`` (one far from Beijing, with DST)."""
    monkeypatch.setenv("TZ", request.param)
    clock.tzset()
    db = Database.open(tmp_path / "zoned.sqlite3", create=True)
    build_demo(db, scale="small", seed=1, today=TODAY)
    yield db
    db.close()
    monkeypatch.undo()
    clock.tzset()


def outside(moments, windows) -> list:
    """The moments whose local time of day falls in none of ``windows`` (ends included)."""
    return [m for m in moments if not any(a <= m.astimezone().time() <= b for a, b in windows)]


def moments(db: Database, column) -> list:
    with db.connect() as conn:
        return conn.execute(select(column)).scalars().all()


def test_visits_happen_in_office_hours_or_the_evening_local_time(zoned):
    visits = moments(zoned, Visit.__table__.c.visited_at)
    assert len(visits) == 2000 and outside(visits, VISIT_HOURS) == []
    assert {v.astimezone().hour for v in visits} >= {8, 11, 14, 17, 19, 20}  # every window is used


def test_disputes_happen_between_seven_in_the_morning_and_eleven_at_night_local_time(zoned):
    disputes = moments(zoned, Dispute.__table__.c.occurred_at)
    assert disputes and outside(disputes, DISPUTE_HOURS) == []


def test_mediation_sits_in_office_hours_after_the_dispute_happened(zoned):
    m, d = MediationSession.__table__.c, Dispute.__table__.c
    with zoned.connect() as conn:
        sessions = conn.execute(select(m.held_at, d.occurred_at).join(Dispute.__table__, d.id == m.dispute_id)).all()
    assert sessions and outside([held for held, _ in sessions], OFFICE_HOURS) == []
    assert [held for held, occurred in sessions if held <= occurred] == []


def test_every_agreement_passes_the_checks_of_the_agreement_form(station):
    """Copies one per party and one kept, a performance that fits the terms, a deadline when promised."""
    a, d, p = Agreement.__table__.c, Dispute.__table__.c, DisputeParty.__table__.c
    parties = select(func.count()).where(p.dispute_id == a.dispute_id, p.deleted.is_(False)).scalar_subquery()
    with station[0].connect() as conn:
        found = conn.execute(select(a, d.occurred_at, parties.label("parties"))
                             .join(Dispute.__table__, d.id == a.dispute_id)).all()
    assert {row.parties for row in found} == {2, 3}
    for row in found:
        values = AgreementValues(kind=row.kind, facts=row.facts, issues=row.issues, terms=row.terms,
                                 performance=row.performance, deadline=row.deadline, copies=row.copies,
                                 signed_on=row.signed_on)
        assert agreement_problems(values, parties=row.parties, today=TODAY,
                                  occurred_on=row.occurred_at.astimezone().date()) == {}, row.terms
        assert row.copies == row.parties + 1


def test_a_security_agreement_of_three_parties_prints_one_copy_each_and_one_kept(station):
    from pypdf import PdfReader

    from app.disputes.agreement_pdf import render_agreement

    db = station[0]
    [(agreement_id,)] = rows(db, """
        SELECT a.id FROM agreement a WHERE (SELECT count(*) FROM dispute_party p WHERE p.dispute_id = a.dispute_id) = 3
        ORDER BY a.kind = 'security' DESC, a.number LIMIT 1""")
    doc = agreement_document(db, agreement_id)
    pdf = render_agreement(doc)
    printed = re.sub(r"\s+", "", "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages))
    assert len(doc.parties) == 3 and "本协议一式四份，当事人各执一份" in printed and "一式三份" not in printed


def test_a_dispute_whose_facts_warn_is_at_least_at_the_level_the_warning_asks(station):
    from app.disputes.register import risk_floor
    from app.disputes.risk import is_below

    found = rows(station[0], "SELECT number, facts, risk_level FROM dispute")
    assert any(risk_floor(facts) for _n, facts, _level in found)  # the demo has such facts at all
    assert [n for n, facts, level in found if is_below(level, risk_floor(facts))] == []


def test_bulk_build_ends_with_the_search_rows_index_and_schema_that_row_by_row_triggers_make(station, db, monkeypatch):
    """The build lifts the search triggers and the secondary indexes and makes them once at the
    end (db/bulk_load.py); a build that keeps them row by row must end identical."""
    monkeypatch.setattr("app.demo.build.bulk_load", lambda _conn: contextlib.nullcontext())
    build_demo(db, scale="small", seed=1, today=TODAY)
    bulk, row_by_row = station[0], db
    search = "SELECT id, household_id, sort_key, deleted, text FROM household_search ORDER BY id"
    schema = """SELECT type, name, tbl_name, sql FROM sqlite_master
                WHERE type IN ('index', 'trigger') AND sql IS NOT NULL ORDER BY type, name"""
    # Every (trigram, household, position) the full-text index holds.
    terms = "SELECT term, doc, col, offset FROM temp.terms ORDER BY term, doc, offset"
    found = {}
    for name, target in (("bulk", bulk), ("row by row", row_by_row)):
        with target.engine.connect() as conn:
            conn.exec_driver_sql("CREATE VIRTUAL TABLE temp.terms USING fts5vocab(main, household_fts, instance)")
            found[name] = [conn.exec_driver_sql(sql).all() for sql in (search, schema, terms)]
            conn.exec_driver_sql("DROP TABLE temp.terms")
    for made, kept in zip(found["bulk"], found["row by row"], strict=True):
        assert made and made == kept
    with bulk.engine.begin() as conn:  # raises when the index and its content disagree
        conn.exec_driver_sql("INSERT INTO household_fts (household_fts, rank) VALUES ('integrity-check', 1)")
