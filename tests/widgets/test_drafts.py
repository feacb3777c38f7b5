"""Unsaved work: a form being edited is kept as a draft beside the database and offered again after
a crash or a forced close (issue 6, item 6)."""

from __future__ import annotations

import json
import logging
from datetime import date

import pytest
import shiboken6
from PySide6.QtCore import QDate, QDateTime, Qt
from PySide6.QtWidgets import QLabel

from app.disputes.register import PartyValues
from tests.support.disputes import TODAY, register
from tests.support.window import make_context
from ui.disputes.tab import DisputesTab
from ui.households.tab import HouseholdsTab
from ui.widgets import drafts
from ui.widgets.drafts import DraftStore, drafts_dir, keeper
from ui.widgets.ops import changes


@pytest.fixture(autouse=True)
def _quick_drafts(monkeypatch):
    monkeypatch.setattr(keeper, "SAVE_DELAY_MS", 50)


@pytest.fixture(autouse=True)
def _no_home_writes(monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path))


def households_tab(qtbot, db, *, keep: bool = True) -> HouseholdsTab:
    tab = HouseholdsTab()
    if keep:
        qtbot.addWidget(tab)
    tab.resize(1200, 700)
    tab.show()
    tab.attach(make_context(db))
    return tab


def disputes_tab(qtbot, db, *, keep: bool = True) -> DisputesTab:
    tab = DisputesTab()
    if keep:
        qtbot.addWidget(tab)
    tab.resize(1300, 800)
    tab.show()
    tab.attach(make_context(db, today=TODAY))
    return tab


def draft_files(db) -> list:
    return sorted(drafts_dir(db.path).glob("*.json"))


def wait_for_drafts(qtbot, db, n: int = 1) -> list[dict]:
    qtbot.waitUntil(lambda: len(draft_files(db)) == n, timeout=3000)
    return [json.loads(p.read_text(encoding="utf-8")) for p in draft_files(db)]


def crash(tab) -> None:
    """What a crash leaves: the tab and its forms gone at once, nothing saved, nothing closed."""
    shiboken6.delete(tab)


def type_a_visit(tab, household_id):
    form = tab.record_visit(household_id)
    form.purposes["反诈宣传"].setChecked(True)
    form.met.item(0).setCheckState(Qt.CheckState.Checked)
    form.companions.setText("辅警王强")
    form.texts["findings"].setPlainText("老人独居，已留联系卡")
    form.visited_at.setDateTime(QDateTime.currentDateTime().addDays(-1))
    return form


def type_a_registration(tab):
    form = tab.register()
    form.kind.setCurrentIndex(form.kind.findData("neighbour"))
    form.place.setText("阳光花园3栋2单元")
    form.facts.setPlainText("楼上漏水，双方争执")
    form.editors[0].name.setText("张三")
    form.editors[0].phone.setText("13800138000")
    form.editors[1].name.setText("李四")
    form.add_party(PartyValues(role="third_party", name="王五"), touched=True)
    return form


# --- writing ---------------------------------------------------------------------------------------
def test_typing_into_a_visit_form_writes_a_draft_beside_the_database_after_a_pause(qtbot, db, sample_households,
                                                                                    monkeypatch):
    monkeypatch.setattr(keeper, "SAVE_DELAY_MS", 400)
    tab = households_tab(qtbot, db)
    form = tab.record_visit(sample_households[0])
    form.texts["findings"].setPlainText("正在写")
    assert draft_files(db) == []  # debounced: not on every keystroke
    (draft,) = wait_for_drafts(qtbot, db)
    assert drafts_dir(db.path) == db.path.parent / "cpdesk-drafts"
    assert draft["area"] == "households" and draft["kind"] == "visit" and draft["record_id"] is None
    assert draft["context"] == {"household_id": sample_households[0]}
    assert draft["values"]["texts.findings"] == "正在写" and draft["title"] == form.windowTitle()
    assert date.fromisoformat(draft["saved_at"][:10]) == date.today()
    assert not list(drafts_dir(db.path).glob("*.tmp"))  # written whole, then renamed into place


def test_typing_into_a_dispute_register_form_writes_a_draft_with_its_parties(qtbot, db):
    tab = disputes_tab(qtbot, db)
    type_a_registration(tab)
    (draft,) = wait_for_drafts(qtbot, db)
    assert draft["area"] == "disputes" and draft["kind"] == "register" and draft["record_id"] is None
    assert draft["values"]["place"] == "阳光花园3栋2单元"
    assert draft["values"]["kind"]["data"] == "neighbour"
    assert [p["name"] for p in draft["values"]["parties"]] == ["张三", "李四", "王五"]


def test_opening_a_form_without_typing_writes_nothing(qtbot, db, sample_households):
    tab = households_tab(qtbot, db)
    tab.record_visit(sample_households[0])
    tab.new_household()
    qtbot.wait(200)
    assert draft_files(db) == []


# --- recovery --------------------------------------------------------------------------------------
def test_draft_recovery_after_the_window_is_destroyed_without_saving(qtbot, db, sample_households):
    tab = households_tab(qtbot, db, keep=False)
    type_a_visit(tab, sample_households[1])
    wait_for_drafts(qtbot, db)
    crash(tab)

    tab = households_tab(qtbot, db)
    banner = tab.draft_banner
    assert banner.isVisible() and banner.title.text() == "有 1 份未保存的草稿（上次未正常关闭）"
    assert "记录走访：阳光花园10栋1单元101室" in banner.details.text()
    with qtbot.waitSignal(banner.restored) as restored:
        banner.restore_button.click()
    (form,) = restored.args[0]
    assert form.isVisible() and form.has_unsaved() and not banner.isVisible()
    assert form.texts["findings"].toPlainText() == "老人独居，已留联系卡"
    assert form.companions.text() == "辅警王强" and form.purposes["反诈宣传"].isChecked()
    assert form.met.item(0).checkState() == Qt.CheckState.Checked
    assert form.visited_at.date() == QDate.currentDate().addDays(-1)
    assert form.save_button.isEnabled()
    form.texts["findings"].setPlainText("老人独居，已留联系卡，下周回访")  # still kept, in the same file
    (draft,) = wait_for_drafts(qtbot, db)
    qtbot.waitUntil(lambda: json.loads(draft_files(db)[0].read_text("utf-8"))["values"]["texts.findings"]
                    .endswith("下周回访"), timeout=3000)


def test_a_dispute_registration_is_recovered_with_its_parties_after_the_tab_is_destroyed(qtbot, db):
    tab = disputes_tab(qtbot, db, keep=False)
    type_a_registration(tab)
    wait_for_drafts(qtbot, db)
    crash(tab)

    tab = disputes_tab(qtbot, db)
    assert tab.draft_banner.isVisible() and "1 份未保存的草稿" in tab.draft_banner.title.text()
    assert households_tab(qtbot, db).draft_banner.isHidden()  # each tab offers its own drafts
    (form,) = tab.draft_banner.restore()
    assert form is tab.register()  # the tab's one registration form, not a second window
    assert form.place.text() == "阳光花园3栋2单元" and form.facts.toPlainText() == "楼上漏水，双方争执"
    assert form.kind.currentData() == "neighbour"
    assert [e.name.text() for e in form.editors] == ["张三", "李四", "王五"]
    assert form.editors[0].phone.text() == "13800138000" and form.editors[2].role.currentData() == "third_party"
    assert form.editors[2].title() == "当事人3"


def test_a_form_closed_with_later_is_offered_as_such_next_time(qtbot, db):
    tab = disputes_tab(qtbot, db, keep=False)
    form = tab.register()
    form.place.setText("草稿里的地点")
    form.close()  # 稍后再填: kept, and written at once
    (draft,) = [json.loads(p.read_text("utf-8")) for p in draft_files(db)]
    assert draft["parked"] is True
    crash(tab)
    tab = disputes_tab(qtbot, db)
    assert tab.draft_banner.title.text() == "有 1 份“稍后再填”的草稿"


def test_a_draft_for_a_record_deleted_since_is_dropped_with_a_note(qtbot, db, sample_households):
    from app.households.visits import delete_visit

    tab = households_tab(qtbot, db, keep=False)
    tab.show_household(sample_households[2])
    visit_id = tab.detail.visits.topLevelItem(0).data(0, Qt.ItemDataRole.UserRole)
    form = tab.open_visit(visit_id)
    form.texts["findings"].setPlainText("一切正常，补记")
    (draft,) = wait_for_drafts(qtbot, db)
    assert draft["record_id"] == visit_id
    crash(tab)
    delete_visit(db, visit_id=visit_id)

    tab = households_tab(qtbot, db)
    assert tab.draft_banner.restore() == []
    assert "无法恢复" in tab.draft_banner.title.text() and "已被删除" in tab.draft_banner.title.text()
    assert tab.draft_banner.close_button.isVisible() and draft_files(db) == []


# --- removal ---------------------------------------------------------------------------------------
def test_saving_removes_the_draft(qtbot, db, sample_households):
    tab = households_tab(qtbot, db)
    form = type_a_visit(tab, sample_households[0])
    wait_for_drafts(qtbot, db)
    form.texts["hazards"].setPlainText("楼道堆物")  # a write is pending when the officer saves
    with qtbot.waitSignal(changes.data_changed):
        form.save_button.click()
    qtbot.wait(200)
    assert draft_files(db) == []


def test_saving_a_restored_dispute_removes_its_draft(qtbot, db):
    tab = disputes_tab(qtbot, db, keep=False)
    type_a_registration(tab)
    wait_for_drafts(qtbot, db)
    crash(tab)
    tab = disputes_tab(qtbot, db)
    (form,) = tab.draft_banner.restore()
    form.source.setCurrentIndex(form.source.findData("walk_in"))
    with qtbot.waitSignal(form.saved):
        form.save_button.click()
    qtbot.wait(200)
    assert draft_files(db) == [] and tab.model.rowCount() == 1


def test_discarding_removes_the_draft(qtbot, db, sample_households, monkeypatch):
    disputes = disputes_tab(qtbot, db)
    form = disputes.register()
    form.place.setText("不要了")
    wait_for_drafts(qtbot, db)
    form.discard_button.click()  # 放弃
    assert draft_files(db) == []

    households = households_tab(qtbot, db)
    visit = households.record_visit(sample_households[0])
    visit.texts["findings"].setPlainText("也不要了")
    wait_for_drafts(qtbot, db)
    monkeypatch.setattr(type(visit), "confirm_discard", lambda self: True)  # "确定放弃吗？" → 放弃
    visit.reject()
    qtbot.wait(200)
    assert draft_files(db) == []


def test_discarding_from_the_banner_removes_the_drafts(qtbot, db, sample_households):
    tab = households_tab(qtbot, db, keep=False)
    type_a_visit(tab, sample_households[0])
    tab.new_household().estate.setText("新村")
    wait_for_drafts(qtbot, db, 2)
    crash(tab)
    tab = households_tab(qtbot, db)
    assert tab.draft_banner.title.text().startswith("有 2 份")
    tab.draft_banner.discard_button.click()
    assert draft_files(db) == [] and tab.draft_banner.isHidden() and tab.open_forms() == []


# --- damage ----------------------------------------------------------------------------------------
def test_a_damaged_draft_file_is_ignored_and_logged(qtbot, db, sample_households, caplog):
    tab = households_tab(qtbot, db, keep=False)
    type_a_visit(tab, sample_households[0])
    wait_for_drafts(qtbot, db)
    crash(tab)
    folder = drafts_dir(db.path)
    (folder / "broken.json").write_bytes(b'{"area": "households", "kind": "vis')  # cut off mid-write
    (folder / "odd.json").write_text(json.dumps({"area": "households", "kind": "visit", "values": []}), "utf-8")
    (folder / "bytes.json").write_bytes(b"\xff\xfe\x00garbage")

    with caplog.at_level(logging.WARNING, logger="ui.widgets.drafts"):
        tab = households_tab(qtbot, db)
    assert sum("damaged draft" in r.getMessage() for r in caplog.records) == 3
    assert tab.draft_banner.title.text().startswith("有 1 份")
    (form,) = tab.draft_banner.restore()
    assert form.texts["findings"].toPlainText() == "老人独居，已留联系卡"
    assert sorted(p.name for p in folder.iterdir() if p.suffix == ".damaged") == [
        "broken.json.damaged", "bytes.json.damaged", "odd.json.damaged"]  # set aside, not read again


def test_a_draft_value_that_no_longer_fits_its_field_is_skipped(qtbot, db, sample_households):
    tab = households_tab(qtbot, db)
    form = tab.new_household()
    form.restore_draft({"estate": "新村", "kind": {"data": "no-such-kind", "text": "?"}, "room": None,
                        "tags.独居老人": "yes", "community": 5})
    assert form.estate.text() == "新村" and form.kind.currentIndex() == 0 and form.has_unsaved()


def test_an_unwritable_drafts_folder_is_logged_not_raised(tmp_path, caplog):
    (tmp_path / "db-drafts").write_text("a file where the folder should be")
    store = DraftStore.beside(tmp_path / "db.sqlite3")
    with caplog.at_level(logging.ERROR, logger="ui.widgets.drafts"):
        assert store.write(drafts.Draft(id="x", area="households", kind="visit", record_id=None, context={},
                                        values={})) is False
    assert "could not write" in caplog.text and store.load() == []


# --- every form's fields go through the generic walk ---------------------------------------------------
def test_household_and_resident_forms_round_trip_through_their_drafts(qtbot, db, sample_households):
    tab = households_tab(qtbot, db)
    form = tab.new_household()
    form.community.setCurrentText("阳光社区")
    form.estate.setText("新村")
    form.room.setText("12")
    form.kind.setCurrentIndex(form.kind.findData("rented"))
    form.tags["独居老人"].setChecked(True)
    form.notes.setPlainText("房东在外地")
    values = json.loads(json.dumps(form.draft_values()))
    form.discard()
    again = tab.new_household()
    again.restore_draft(values)
    assert (again.community.currentText(), again.estate.text(), again.room.text()) == ("阳光社区", "新村", "12")
    assert again.kind.currentData() == "rented" and again.tags["独居老人"].isChecked()
    assert again.notes.toPlainText() == "房东在外地" and again.address_preview.text() == "新村12室"

    tab.show_household(sample_households[2])
    resident = tab.new_resident()
    resident.name.setText("赵六")
    resident.birth_date.setDate(QDate(1990, 5, 6))
    resident.relation.setCurrentText("租客")
    values = json.loads(json.dumps(resident.draft_values()))
    resident.discard()
    again = tab.new_resident()
    again.restore_draft(values)
    assert again.name.text() == "赵六" and again.birth_date.date() == QDate(1990, 5, 6)
    assert again.relation.currentText() == "租客"


def test_mediation_forms_round_trip_through_their_drafts(qtbot, db):
    dispute = register(db)
    tab = disputes_tab(qtbot, db)
    tab.show_dispute(dispute.id)
    agreement = tab.open_agreement()
    agreement.performance.setCurrentIndex(agreement.performance.findData("promised"))
    agreement.terms.setPlainText("李四赔偿八百元。")
    agreement.deadline.setDate(QDate.currentDate().addDays(10))
    values = json.loads(json.dumps(agreement.draft_values()))
    agreement.discard()
    again = tab.open_agreement()
    assert again is not agreement
    again.restore_draft(values)
    assert again.performance.currentData() == "promised" and again.deadline.isEnabled()
    assert again.terms.toPlainText() == "李四赔偿八百元。"
    assert again.deadline.date() == QDate.currentDate().addDays(10)


def test_household_resident_and_campaign_drafts_are_reopened_where_they_were_typed(qtbot, db, sample_households):
    tab = households_tab(qtbot, db, keep=False)
    tab.edit_household(sample_households[0]).phone.setText("13700137000")
    tab.new_resident(sample_households[2]).name.setText("赵六")
    campaign = tab.open_campaigns().new_campaign()
    campaign.name.setText("十二月敲门行动")
    campaign.kinds["rented"].setChecked(True)
    campaign.days.setValue(30)
    wait_for_drafts(qtbot, db, 3)
    crash(tab)

    tab = households_tab(qtbot, db)
    forms = {type(f).__name__: f for f in tab.draft_banner.restore()}
    assert forms["HouseholdForm"].household_id == sample_households[0]
    assert forms["HouseholdForm"].phone.text() == "13700137000"
    assert forms["HouseholdForm"].estate.text() == "阳光花园"  # the rest as stored
    assert forms["ResidentForm"].household_id == sample_households[2] and forms["ResidentForm"].name.text() == "赵六"
    assert "金桂苑3栋2单元502室" in [label.text() for label in forms["ResidentForm"].findChildren(QLabel)]
    campaign = forms["CampaignForm"]
    assert campaign.name.text() == "十二月敲门行动" and campaign.kinds["rented"].isChecked()
    assert campaign.days.value() == 30 and not campaign.kinds["owner"].isChecked()


def test_drafts_beside_an_encrypted_database_are_sealed_and_read_back(tmp_path):
    import os as _os

    from db import cipher
    from ui.widgets.drafts import Draft, DraftStore

    db_path = tmp_path / "station.sqlite3"
    db_path.write_bytes(_os.urandom(4096))  # an encrypted database file: no SQLite header
    cipher.unlock(db_path, _os.urandom(32))
    try:
        store = DraftStore.beside(db_path)
        draft = Draft(id="d1", area="households", kind="resident", record_id=None, context={},
                      values={"id_number": "330102200001010018"}, saved_at="2026-11-23T10:00:00+08:00")
        assert store.write(draft)
        assert b"330102200001010018" not in store.path("d1").read_bytes()
        assert [d.values for d in store.load()] == [{"id_number": "330102200001010018"}]
    finally:
        cipher.forget(db_path)
