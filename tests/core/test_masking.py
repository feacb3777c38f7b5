"""ID numbers and phones are masked in lists; showing them in full (CLI or GUI) is logged."""

from __future__ import annotations

import json

import pytest
from sqlmodel import select

from app.audit import log as audit
from app.cli.main import main
from app.disputes.queries import dispute_detail
from app.households.service import household_detail
from db.models import AuditEntry, Community, Household, Resident
from tests.support.disputes import register
from tests.support.sync import Courier, make_device
from ui.disputes.detail import DisputeDetailPane
from ui.households.detail import ID_ROLE, HouseholdDetailPane
from ui.sync.conflicts import ConflictsDialog


def reveals(db) -> list[audit.AuditRow]:
    return audit.search_audit(db, action="reveal")


# --- the command line --------------------------------------------------------------------------

def test_list_json_masks_id_numbers_and_phones(db, db_path, sample_households, capsys):
    assert main(["--db", str(db_path), "list", "residents", "--json"]) == 0
    listed = {row["name"]: row for row in json.loads(capsys.readouterr().out)}
    assert (listed["张伟"]["id_number"], listed["张伟"]["phone"]) == ("110105********002X", "138****8000")
    assert (listed["王芳"]["id_number"], listed["王芳"]["phone"]) == ("330102********0018", "057******4321")
    assert reveals(db) == []  # masked listings are not logged


def test_the_plain_table_output_is_masked_too(db_path, sample_households, capsys):
    assert main(["--db", str(db_path), "list", "residents"]) == 0
    printed = capsys.readouterr().out
    assert "110105********002X" in printed and "138****8000" in printed
    assert "11010519491231002X" not in printed and "13800138000" not in printed


def test_household_phones_are_masked_unless_revealed(db, db_path, capsys):
    with db.session() as s:
        community = Community(name="阳光社区")
        s.add(community)
        s.flush()
        s.add(Household(community_id=community.id, estate="金桂苑", building="1", unit="1", room="101",
                        head_name="赵六", phone="13700137000"))
        s.commit()
    assert main(["--db", str(db_path), "list", "households", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["phone"] == "137****7000"
    assert main(["--db", str(db_path), "list", "households", "--json", "--reveal"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["phone"] == "13700137000"


def test_reveal_shows_the_numbers_in_full_and_logs_which_list_and_how_many_rows(db, db_path, sample_households,
                                                                                   capsys):
    assert main(["--db", str(db_path), "list", "residents", "--search", "张伟", "--json", "--reveal"]) == 0
    [row] = json.loads(capsys.readouterr().out)
    assert (row["id_number"], row["phone"]) == ("11010519491231002X", "13800138000")
    [entry] = reveals(db)
    assert (entry.table_name, entry.record_id) == ("resident", None)
    assert entry.detail == {"list": "residents", "rows": 1, "search": "张伟"}
    assert entry.describe() == "居民；列表：residents；记录数：1；搜索：张伟"


def test_a_revealed_plain_table_is_logged_as_well(db, db_path, sample_households, capsys):
    assert main(["--db", str(db_path), "list", "residents", "--reveal"]) == 0
    assert "11010519491231002X" in capsys.readouterr().out
    assert [e.detail["rows"] for e in reveals(db)] == [3]


# --- the window ----------------------------------------------------------------------------------

def test_revealing_a_residents_numbers_in_the_household_pane_is_logged(qtbot, db, sample_households):
    pane = HouseholdDetailPane()
    qtbot.addWidget(pane)
    pane.show_household(household_detail(db, sample_households[0]))
    item = pane.residents.topLevelItem(0)
    assert (item.text(4), item.text(5)) == ("110105********002X", "138****8000")
    assert not pane.reveal_button.isVisibleTo(pane)  # no database given: nothing to reveal with
    pane.set_database(db)
    assert pane.reveal_button.isVisibleTo(pane) and not pane.reveal_button.isEnabled()  # nobody selected
    pane.residents.setCurrentItem(item)
    assert pane.reveal_action in pane.residents.actions() and pane.reveal_action.isEnabled()
    with qtbot.waitSignal(pane.revealed) as revealed:
        pane.reveal_button.click()
    resident_id = item.data(0, ID_ROLE)
    assert revealed.args == [resident_id]
    assert (item.text(4), item.text(5)) == ("11010519491231002X", "13800138000")
    assert not pane.reveal_button.isEnabled()  # already shown: once is enough
    [entry] = reveals(db)
    assert (entry.table_name, entry.record_id, entry.detail) == ("resident", resident_id, {"where": "入户走访"})
    pane.show_household(household_detail(db, sample_households[0]))  # refilled: masked again
    assert pane.residents.topLevelItem(0).text(4) == "110105********002X"


def test_revealing_a_partys_numbers_in_the_dispute_pane_is_logged(qtbot, db):
    dispute = register(db)
    pane = DisputeDetailPane()
    qtbot.addWidget(pane)
    pane.set_database(db)
    pane.show_dispute(dispute_detail(db, dispute.id))
    applicant = pane.parties.topLevelItem(0)
    assert (applicant.text(1), applicant.text(4), applicant.text(5)) == ("张三", "138****8000", "110105********002X")
    assert not pane.reveal_button.isEnabled()
    pane.parties.setCurrentItem(applicant)
    with qtbot.waitSignal(pane.revealed) as revealed:
        pane.reveal_button.click()
    assert (applicant.text(4), applicant.text(5)) == ("13800138000", "11010519491231002X")
    [entry] = reveals(db)
    assert (entry.table_name, entry.record_id, entry.detail) == ("dispute_party", revealed.args[0],
                                                                {"where": "矛盾纠纷"})
    [(party_id, name)] = [p for p in audit.dispute_party_ids(db, dispute.id) if p[0] == revealed.args[0]]
    assert name == "张三"


def test_revealing_a_phone_in_a_sync_conflict_is_logged(qtbot, tmp_path, _template_db):
    a, b = make_device(_template_db, tmp_path, "A01"), make_device(_template_db, tmp_path, "B02")
    try:
        with a.session() as s:
            s.add(Community(name="阳光社区"))
            person = Resident(name="王芳", phone="13800138000")
            s.add(person)
            s.commit()
            person_id = person.id
        courier = Courier(tmp_path)
        courier.bring(b, courier.export(a))
        for db, phone in ((a, "13900139000"), (b, "13700137000")):
            with db.session() as s:
                s.get(Resident, person_id).phone = phone
                s.commit()
        courier.bring(b, courier.export(a))
        dialog = ConflictsDialog(b)
        qtbot.addWidget(dialog)
        assert dialog.kept_value.text() == "137****7000" and reveals(b) == []
        dialog.reveal.setChecked(True)
        assert dialog.kept_value.text() == "13700137000" and dialog.lost_value.text() == "13900139000"
        [entry] = reveals(b)
        assert (entry.table_name, entry.record_id, entry.detail) == ("resident", person_id,
                                                                    {"where": "同步冲突", "field": "phone"})
        dialog.reveal.setChecked(False)  # masking again is not an event
        assert len(reveals(b)) == 1
    finally:
        a.close()
        b.close()


def test_reveal_numbers_refuses_tables_without_numbers(db):
    with pytest.raises(ValueError):
        audit.reveal_numbers(db, table="household", record_id="x")
    with pytest.raises(LookupError):
        audit.reveal_numbers(db, table="resident", record_id="nobody")
    with db.session() as s:
        assert s.exec(select(AuditEntry).where(AuditEntry.action == "reveal")).all() == []
