"""``cpdesk show``: each kind by id and by number, masked unless revealed (and then audited)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime

import pytest
from sqlalchemy import select

from app.audit import log as audit
from app.cli.main import main
from app.disputes.queries import search_disputes
from app.households.service import delete_household, search_households
from db.engine import Database
from db.models import Agreement, Dispute, DisputeParty, Household, Resident, Visit
from tests.support.cli import run_cli


def show(capsys, demo, *argv: str) -> tuple[int, str, str]:
    code = main(["--db", str(demo), "show", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def shown_json(capsys, demo, *argv: str) -> dict:
    code, out, err = show(capsys, demo, *argv, "--json")
    assert (code, err) == (0, "")
    return json.loads(out)


@contextmanager
def opened(demo) -> Iterator[Database]:
    db = Database.open(demo)
    try:
        yield db
    finally:
        db.close()


def rows(demo, query) -> list:
    with opened(demo) as db, db.connect() as conn:
        return conn.execute(query).all()


def first(demo, query):
    return rows(demo, query)[0]


def reveals(demo) -> list[audit.AuditRow]:
    with opened(demo) as db:
        return audit.search_audit(db, action="reveal")


@pytest.fixture
def writable_demo(small_demo, tmp_path):
    """A copy of the demo to write audit entries (and deletions) into."""
    path = tmp_path / "demo.sqlite3"
    shutil.copy(small_demo, path)
    return path


# --- each kind --------------------------------------------------------------------------------

def test_show_household_prints_its_address_residents_and_visits_with_numbers_masked(small_demo, capsys):
    with opened(small_demo) as db:
        [row] = search_households(db, limit=1)
    people = rows(small_demo, select(Resident.id_number, Resident.name).where(
        Resident.household_id == row.id, Resident.deleted.is_(False)))
    assert people
    code, out, err = show(capsys, small_demo, "household", row.id)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == f"住户　{row.address}" and f"地址：{row.address}" in lines
    for id_number, name in people:
        assert name in out and id_number[:6] + "********" + id_number[-4:] in out and id_number not in out
    assert "走访记录：" in lines and "  1. 时间：" in out


def test_show_resident_by_id_and_by_id_number_is_the_same_person(small_demo, capsys):
    r = first(small_demo, select(Resident.id, Resident.name, Resident.id_number, Resident.phone)
              .where(Resident.id_number.is_not(None), Resident.deleted.is_(False)).order_by(Resident.name))
    by_id = shown_json(capsys, small_demo, "resident", r.id)
    assert by_id == shown_json(capsys, small_demo, "resident", r.id_number.lower())
    assert (by_id["id"], by_id["name"]) == (r.id, r.name)
    assert by_id["id_number"] == r.id_number[:6] + "********" + r.id_number[-4:]
    assert by_id["phone"] == r.phone[:3] + "****" + r.phone[-4:] and by_id["address"]
    assert date.fromisoformat(by_id["birth_date"])


def test_show_visit_prints_what_the_visit_sheet_holds(small_demo, capsys):
    v = first(small_demo, select(Visit.id, Visit.visited_at, Visit.findings, Household.estate)
              .join(Household, Household.id == Visit.household_id)
              .where(Visit.deleted.is_(False), Visit.findings.is_not(None)).order_by(Visit.visited_at.desc()))
    code, out, err = show(capsys, small_demo, "visit", v.id)
    assert (code, err) == (0, "") and out.startswith("入户走访　")
    assert f"发现情况：{v.findings}" in out and v.estate in out
    data = shown_json(capsys, small_demo, "visit", v.id)
    assert datetime.fromisoformat(data["visited_at"]) == v.visited_at
    assert data["residents"] and all("*" in p["phone"] for p in data["residents"] if p["phone"])


@pytest.mark.parametrize("position", ["first", "middle", "last"])
def test_show_dispute_opens_any_dispute_of_the_list_by_id_and_by_number(small_demo, capsys, position):
    """Not only the one at the top of the list's default order (the detail once reused the page query)."""
    with opened(small_demo) as db:
        listed = search_disputes(db, limit=1000)
    assert len(listed) == 60
    row = listed[{"first": 0, "middle": len(listed) // 2, "last": -1}[position]]
    code, out, err = show(capsys, small_demo, "dispute", row.id)
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == f"矛盾纠纷　{row.number}　{row.kind}"
    assert f"状态：{row.status_label}" in out and f"风险：{row.risk_label}" in out
    for party in row.parties.split("、"):
        assert party in out
    assert show(capsys, small_demo, "dispute", row.number.lower()) == (0, out, "")


def test_show_dispute_json_has_iso_dates_and_masked_parties(small_demo, capsys):
    d = first(small_demo, select(Dispute.id, Dispute.number, Dispute.occurred_at)
              .join(Agreement, Agreement.dispute_id == Dispute.id).order_by(Dispute.number))
    data = shown_json(capsys, small_demo, "dispute", d.number)
    assert data["id"] == d.id and data["number"] == d.number
    assert datetime.fromisoformat(data["occurred_at"]) == d.occurred_at
    assert data["agreements"] and all(date.fromisoformat(a["signed_on"]) for a in data["agreements"])
    assert data["history"] and datetime.fromisoformat(data["history"][0]["at"])
    assert all("*" in p["id_number"] for p in data["parties"] if p["id_number"])


def test_show_agreement_by_id_and_by_number_prints_its_terms(small_demo, capsys):
    a = first(small_demo, select(Agreement.id, Agreement.number, Agreement.terms, Agreement.kind)
              .order_by(Agreement.number))
    code, out, err = show(capsys, small_demo, "agreement", a.number)
    assert (code, err) == (0, "")
    assert out.splitlines()[0].endswith(f"协议书　{a.number}")
    assert all(f"  {n}. {term}" in out.splitlines() for n, term in enumerate(a.terms, 1))
    assert show(capsys, small_demo, "agreement", a.id) == (0, out, "")
    data = shown_json(capsys, small_demo, "agreement", a.id)
    assert data["terms"] == list(a.terms) and len(data["parties"]) >= 2
    assert all(p["id_number"].count("*") == 8 for p in data["parties"] if p["id_number"])


# --- masked unless revealed, and a reveal is audited -------------------------------------------

def test_a_masked_show_leaves_no_audit_entry(writable_demo, capsys):
    d = first(writable_demo, select(Dispute.number).order_by(Dispute.number))
    assert show(capsys, writable_demo, "dispute", d.number)[0] == 0
    assert reveals(writable_demo) == []


def test_reveal_shows_a_residents_numbers_and_logs_the_id_number_it_was_asked_by_masked(writable_demo, capsys):
    r = first(writable_demo, select(Resident.id, Resident.id_number, Resident.phone)
              .where(Resident.id_number.is_not(None), Resident.phone.is_not(None)).order_by(Resident.name))
    data = shown_json(capsys, writable_demo, "resident", r.id_number, "--reveal")
    assert (data["id_number"], data["phone"]) == (r.id_number, r.phone)
    [entry] = reveals(writable_demo)
    assert (entry.table_name, entry.record_id) == ("resident", r.id)
    masked = r.id_number[:6] + "********" + r.id_number[-4:]
    assert entry.detail == {"where": "cpdesk show", "rows": 1, "search": masked}
    assert r.id_number not in json.dumps(entry.detail)


def test_reveal_shows_every_partys_numbers_of_a_dispute_and_logs_one_entry(writable_demo, capsys):
    d = first(writable_demo, select(Dispute.id, Dispute.number)
              .join(DisputeParty, DisputeParty.dispute_id == Dispute.id)
              .where(DisputeParty.id_number.is_not(None)).order_by(Dispute.number.desc()))
    stored = {(p.name, p.id_number or "", p.phone or "") for p in rows(writable_demo, select(
        DisputeParty.name, DisputeParty.id_number, DisputeParty.phone)
        .where(DisputeParty.dispute_id == d.id, DisputeParty.deleted.is_(False)))}
    code, out, err = show(capsys, writable_demo, "dispute", d.id, "--reveal")
    assert (code, err) == (0, "")
    for _name, id_number, phone in stored:
        assert id_number in out and phone in out
    data = shown_json(capsys, writable_demo, "dispute", d.id, "--reveal")
    assert {(p["name"], p["id_number"], p["phone"]) for p in data["parties"]} == stored
    assert [(e.table_name, e.record_id, e.detail) for e in reveals(writable_demo)] == [
        ("dispute", d.id, {"where": "cpdesk show", "rows": len(stored)})] * 2


def test_reveal_of_an_agreement_and_a_household_shows_the_stored_numbers(writable_demo, capsys):
    a = first(writable_demo, select(Agreement.id, Agreement.dispute_id).order_by(Agreement.number))
    numbers = {n for (n,) in rows(writable_demo, select(DisputeParty.id_number).where(
        DisputeParty.dispute_id == a.dispute_id, DisputeParty.id_number.is_not(None)))}
    data = shown_json(capsys, writable_demo, "agreement", a.id, "--reveal")
    assert numbers and numbers == {p["id_number"] for p in data["parties"] if p["id_number"]}
    h = first(writable_demo, select(Household.id, Household.phone).where(Household.phone.is_not(None))
              .order_by(Household.id))
    assert shown_json(capsys, writable_demo, "household", h.id, "--reveal")["phone"] == h.phone
    logged = [(e.table_name, e.record_id) for e in reveals(writable_demo)]
    assert logged == [("household", h.id), ("agreement", a.id)]  # newest first


# --- refusals ---------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["household", "resident", "visit", "dispute", "agreement"])
def test_an_unknown_record_is_one_line_on_stderr_and_exit_1(small_demo, capsys, kind):
    code, out, err = show(capsys, small_demo, kind, "2026-Z99-9999")
    assert (code, out) == (1, "")
    assert err.count("\n") == 1 and err.startswith("cpdesk: 没有") and "2026-Z99-9999" in err


def test_an_unknown_id_number_is_not_echoed_in_full(small_demo, capsys):
    code, _out, err = show(capsys, small_demo, "resident", "11010519491231002X")
    assert code == 1 and "110105********002X" in err and "11010519491231002X" not in err


def test_a_deleted_household_is_unknown(writable_demo, capsys):
    with opened(writable_demo) as db:
        [row] = search_households(db, limit=1)
        delete_household(db, household_id=row.id)
    assert show(capsys, writable_demo, "household", row.id)[0] == 1


def test_the_real_process_refuses_an_unknown_dispute_without_a_traceback(small_demo):
    result = run_cli("--db", str(small_demo), "show", "dispute", "nope")
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.strip() == "cpdesk: 没有这起纠纷：nope"


@pytest.mark.parametrize("argv", [["show"], ["show", "dispute"], ["show", "officer", "x"]])
def test_bad_usage_exits_2(small_demo, argv):
    with pytest.raises(SystemExit) as exited:
        main(["--db", str(small_demo), *argv])
    assert exited.value.code == 2
