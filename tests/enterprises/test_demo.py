"""The demo's 一企一警 (app/demo/enterprises.py): every state of the flow in the small demo whatever the
seed, records the services would have accepted, hire checks purged past their keep-until day, and the
same station for the same seed and day."""

from __future__ import annotations

import json
import random
import shutil
import time as clock
import uuid
from collections import Counter
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import text

from app.core.validation import check_credit_code, check_id_number, check_phone
from app.core.vocab import ENTERPRISE_CATEGORIES, LIAISON_KINDS
from app.demo.build import SCALES, build_demo
from app.enterprises.checklists import BUILT_IN, checklist_history, current_checklist
from app.enterprises.common import derived_id, split_names
from app.enterprises.hire_checks import ID_HASH, MASKED_ID, earlier_checks, matches
from app.enterprises.inspections import record_problems
from app.enterprises.notices import FLOW_STATES, flow_state
from app.enterprises.rectifications import open_rectifications, rectifications_of
from app.enterprises.worklist import enterprise_worklist
from db.engine import Database

DAY = date(2026, 6, 15)
TABLES = ("enterprise", "liaison_assignment", "liaison_visit", "enterprise_request", "checklist", "inspection",
          "inspection_item", "rectification", "rectification_notice", "recheck", "hire_check")
STAMPS = {"created_at", "updated_at", "hlc", "clocks", "updated_by"}


def _build(path, template, *, seed: int) -> Database:
    shutil.copy(template, path)
    db = Database.open(path)
    build_demo(db, scale="small", seed=seed, today=DAY)
    return db


@pytest.fixture(scope="module")
def station(tmp_path_factory, _template_db):
    db = _build(tmp_path_factory.mktemp("ent-demo") / "demo.sqlite3", _template_db, seed=1)
    yield db
    db.close()


def rows(db: Database, sql: str, **params) -> list:
    with db.connect() as conn:
        return conn.execute(text(sql), params).all()


def dump(db: Database) -> dict[str, list]:
    """The area's tables, ids and hashes included; the device code in numbers made neutral."""
    found = {}
    for table in TABLES:
        columns = [c[1] for c in rows(db, f"PRAGMA table_info({table})") if c[1] not in STAMPS]
        picked = [f"replace(number, '{db.device.short_code}', '<device>')" if c == "number" else c for c in columns]
        found[table] = rows(db, f"SELECT {', '.join(picked)} FROM {table} ORDER BY id")
    return found


# --- the flow ------------------------------------------------------------------------------------

@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_state_of_the_flow_is_in_the_small_demo_whatever_the_seed(tmp_path, _template_db, station, seed):
    db = station if seed == 1 else _build(tmp_path / "other.sqlite3", _template_db, seed=seed)
    try:
        states = Counter(flow_state(db, inspection_id=i) for (i,) in rows(db, "SELECT id FROM inspection"))
        assert set(states) == set(FLOW_STATES), states
        lines = [line for (i,) in rows(db, "SELECT DISTINCT inspection_id FROM rectification")
                 for line in rectifications_of(db, inspection_id=i)]
        kinds = {line.state(DAY).rstrip("0123456789天") for line in lines}
        assert {"整改中", "逾期", "已报整改，待复查", "整改到位", "逾期未改，已转执法办案"} <= kinds
        agenda = [(item.kind, item.state(DAY)) for item in enterprise_worklist(db, on=DAY, soon_days=7)]
        for kind in ("整改", "复查", "诉求"):
            assert any(k == kind and state.startswith("逾期") for k, state in agenda), kind
        assert any(k == "诉求" and state.endswith("后到期") for k, state in agenda)  # open, not due yet
    finally:
        if db is not station:
            db.close()


def test_every_inspection_is_one_the_form_would_have_saved(station):
    found = rows(station, "SELECT id, inspected_on, inspectors, categories, present, signer, opinion, notes, result "
                          "FROM inspection")
    assert len(found) > 40
    for r in found:
        day = date.fromisoformat(r.inspected_on)
        categories = tuple(r.categories.split(","))
        assert record_problems(inspected_on=day, inspectors=r.inspectors, categories=categories,
                               opinion=r.opinion or "", present=r.present or "", signer=r.signer or "",
                               notes=r.notes or "", today=DAY) == {}
        assert len(split_names(r.inspectors)) == 2 and DAY - timedelta(days=730) <= day < DAY
        items = rows(station, "SELECT category, item, passed, applicable, remark, checklist_version FROM "
                              "inspection_item WHERE inspection_id = :i ORDER BY position", i=r.id)
        assert [c for c in dict.fromkeys(x.category for x in items)] == list(categories)
        for category in categories:  # every item of the checklist of its day, in its order
            versions = {x.checklist_version for x in items if x.category == category}
            assert len(versions) == 1
            [listed] = [v.items for v in checklist_history(station, category=category) if v.version in versions]
            assert tuple(x.item for x in items if x.category == category) == listed
        failed = [x for x in items if not x.passed]
        assert (r.result == "issues") == bool(failed) and (not failed or r.opinion)
        assert all(x.applicable and x.remark for x in failed)
        problems = sorted(p for (p,) in rows(station, "SELECT problem FROM rectification WHERE inspection_id = :i",
                                              i=r.id))
        assert problems == sorted(f"{x.item}：{x.remark}" for x in failed)


def test_the_edited_checklist_is_used_from_the_day_it_was_made(station):
    assert current_checklist(station, category="技防").version == 2
    assert current_checklist(station, category="人防").items == BUILT_IN["人防"]
    used = rows(station, "SELECT i.inspected_on, t.checklist_version FROM inspection_item t JOIN inspection i "
                         "ON i.id = t.inspection_id WHERE t.category = '技防'")
    edited = (DAY - timedelta(days=365)).isoformat()
    assert {version for day, version in used} == {1, 2}
    assert all((version == 2) == (day >= edited) for day, version in used)


def test_notices_and_rechecks_follow_the_rules_of_the_flow(station):
    code = station.device.short_code
    notices = rows(station, "SELECT n.inspection_id, n.number, n.issued_on, n.deadline, i.inspected_on, "
                            "(SELECT max(deadline) FROM rectification r WHERE r.inspection_id = n.inspection_id) "
                            "AS latest FROM rectification_notice n JOIN inspection i ON i.id = n.inspection_id")
    assert notices and all(n.issued_on >= n.inspected_on and n.deadline == n.latest > n.issued_on for n in notices)
    for table, letter, day in (("rectification_notice", "Z", "issued_on"), ("recheck", "F", "rechecked_on")):
        numbered = rows(station, f"SELECT number, {day} FROM {table} ORDER BY {day}, id")
        years = Counter()
        for number, on in numbered:  # one sequence a year, in the order they were issued
            years[on[:4]] += 1
            assert number == f"{on[:4]}-{code}-{letter}{years[on[:4]]:04d}"
    rechecks = rows(station, "SELECT k.inspection_id, k.outcome, k.rechecked_on, n.deadline, n.issued_on "
                             "FROM recheck k JOIN rectification_notice n ON n.id = k.notice_id")
    assert {k.outcome for k in rechecks} == {"passed", "enforcement"}
    for k in rechecks:
        lines = rectifications_of(station, inspection_id=k.inspection_id)
        assert k.rechecked_on >= k.issued_on and all(line.closed_on.isoformat() == k.rechecked_on for line in lines)
        if k.outcome == "passed":
            assert all(line.verified and line.done_on for line in lines)
        else:
            assert k.rechecked_on > k.deadline and any(not line.verified for line in lines)
    for line in open_rectifications(station):
        assert line.done_on is None and line.closed_on is None


def test_every_row_passes_the_rules_a_sync_file_is_held_to(station):
    """Another laptop importing the demo station takes every row (app/enterprises/sync_rules.py)."""
    from app.sync.rules import Context, row_problems

    context = Context(datetime.combine(DAY, time(12), tzinfo=UTC))
    for table in TABLES:
        for row in rows(station, f"SELECT * FROM {table}"):
            found = dict(row._mapping)
            if table == "checklist":
                found["items"] = json.loads(found["items"])
            assert row_problems(table, found, context) == {}, (table, found)


# --- the register and the liaison ----------------------------------------------------------------

def test_enterprises_are_the_landmarks_and_firms_of_every_category_with_valid_codes(station):
    found = rows(station, "SELECT id, name, credit_code, category, phone, security_head, security_phone, guards, "
                          "liaison_officer_id FROM enterprise")
    assert len(found) == 30 and SCALES["station"].enterprises == 2500
    assert {r.category for r in found} == set(ENTERPRISE_CATEGORIES)
    names = " ".join(r.name for r in found)
    for trade in ("化工仓储", "爆破工程", "精密机械制造", "物流园管理", "超市", "便利店"):
        assert trade in names
    assert len({r.credit_code for r in found}) == len(found) and len({r.name for r in found}) == len(found)
    for r in found:
        assert check_credit_code(r.credit_code) is None and r.id == derived_id("enterprise", r.credit_code)
        assert check_phone(r.phone) is None and check_phone(r.security_phone) is None and r.security_head
        assert r.guards is not None and r.liaison_officer_id


def test_each_liaison_officer_is_the_last_one_assigned_and_every_contact_is_by_the_officer_of_its_day(station):
    changes = rows(station, "SELECT enterprise_id, officer_id, assigned_on FROM liaison_assignment "
                            "ORDER BY enterprise_id, assigned_on")
    history: dict[str, list] = {}
    for c in changes:
        history.setdefault(c.enterprise_id, []).append((c.assigned_on, c.officer_id))
    current = dict(rows(station, "SELECT id, liaison_officer_id FROM enterprise"))
    assert set(history) == set(current) and any(len(h) > 1 for h in history.values())
    assert all(h[-1][1] == current[e] for e, h in history.items())
    visits = rows(station, "SELECT enterprise_id, visited_on, officer_id, kind, contact, notes FROM liaison_visit")
    assert {v.kind for v in visits} == set(LIAISON_KINDS)
    for v in visits:
        assert v.contact and v.notes and v.visited_on <= DAY.isoformat()
        assert v.officer_id == officer_on(history[v.enterprise_id], v.visited_on)


def officer_on(history: list[tuple[str, str]], day: str) -> str:
    """The officer assigned last on or before ``day`` (the first one for a day before any change)."""
    chosen = history[0][1]
    for on, officer in history:
        if on <= day:
            chosen = officer
    return chosen


def test_requests_are_answered_open_and_overdue(station):
    found = rows(station, "SELECT raised_on, due_on, answered_on, answer, liaison_visit_id FROM enterprise_request")
    today = DAY.isoformat()
    assert any(r.answered_on and r.answer for r in found)
    assert any(r.answered_on is None and r.due_on < today for r in found)  # overdue
    assert any(r.answered_on is None and r.due_on >= today for r in found)
    assert all(r.raised_on <= r.due_on and (r.answered_on is None or r.raised_on <= r.answered_on <= today)
               for r in found)
    assert all(r.liaison_visit_id for r in found)


# --- hire checks -----------------------------------------------------------------------------------

def test_hire_checks_past_their_keep_until_day_are_purged_the_rest_kept_whole(station):
    found = rows(station, "SELECT id, id_number, phone, requested_on, checked_on, result, keep_until, id_hash, basis, "
                          "job FROM hire_check")
    today = DAY.isoformat()
    purged = [h for h in found if h.keep_until < today]
    kept = [h for h in found if h.keep_until >= today]
    assert purged and kept
    assert all(MASKED_ID.match(h.id_number) and ID_HASH.match(h.id_hash) and h.phone is None for h in purged)
    assert all(h.id_hash is None and check_id_number(h.id_number, today=DAY) is None for h in kept)
    assert {h.result for h in found} == {None, "clear", "flagged", "referred"}  # pending ones too
    assert all(h.basis and h.job and (h.result is None) == (h.checked_on is None) for h in found)


def test_someone_checked_again_is_recognised_by_the_hash_of_the_purged_check(station):
    kept = rows(station, "SELECT id, id_number FROM hire_check WHERE id_hash IS NULL")
    hashes = dict(rows(station, "SELECT id, id_hash FROM hire_check WHERE id_hash IS NOT NULL"))
    found = [(h, earlier) for h in kept for earlier in earlier_checks(station, id_number=h.id_number, excluding=h.id)
             if earlier.id in hashes]
    assert found
    h, earlier = found[0]
    assert matches(h.id_number, hashes[earlier.id])


# --- the same station again ---------------------------------------------------------------------

def test_the_same_seed_and_day_build_the_same_enterprises_ids_and_hashes_included(tmp_path, _template_db, station):
    again = _build(tmp_path / "again.sqlite3", _template_db, seed=1)
    other = _build(tmp_path / "other.sqlite3", _template_db, seed=2)
    try:
        first, second, third = dump(station), dump(again), dump(other)
    finally:
        again.close()
        other.close()
    for table in TABLES:
        assert first[table] and first[table] == second[table], table
    assert first["enterprise"] != third["enterprise"] and first["inspection"] != third["inspection"]


def test_the_small_demos_enterprises_take_a_fraction_of_a_second(tmp_path, _template_db):
    from app.demo import enterprises, households
    from app.demo.state import Demo
    from app.demo.writer import Writer

    shutil.copy(_template_db, tmp_path / "stage.sqlite3")
    db = Database.open(tmp_path / "stage.sqlite3")
    try:
        with db.engine.begin() as conn:
            rng = random.Random(1)
            writer = Writer(conn, db, lambda: uuid.UUID(int=rng.getrandbits(128)).hex)
            demo = Demo(writer, SCALES["small"], rng, DAY, db.device.short_code, lambda *_: None)
            households.officers_and_communities(demo)
            started = clock.perf_counter()
            enterprises.enterprises(demo)
            writer.flush()
            elapsed = clock.perf_counter() - started
    finally:
        db.close()
    assert writer.counts["enterprise"] == 30 and elapsed < 2.0, elapsed
