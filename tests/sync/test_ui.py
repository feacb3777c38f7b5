"""The sync dialogs: export and import in a worker with a summary, cancel, the passphrase, conflicts."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QLineEdit, QPushButton
from sqlmodel import select

from db.models import Community, Resident
from tests.support.sync import PASSPHRASE, Courier, file_state, make_device
from ui.sync.conflicts import ConflictsDialog
from ui.sync.dialogs import ExportDialog, ImportDialog, PassphraseStore, SyncSettingsDialog


@pytest.fixture
def store(tmp_path):
    store = PassphraseStore(QSettings(str(tmp_path / "sync.ini"), QSettings.Format.IniFormat))
    store.set(PASSPHRASE)
    return store


@pytest.fixture
def laptops(tmp_path, _template_db):
    a, b = make_device(_template_db, tmp_path, "A01"), make_device(_template_db, tmp_path, "B02")
    with a.session() as s:
        s.add(Community(name="阳光社区"))
        s.commit()
    yield a, b
    a.close()
    b.close()


def export_with_dialog(qtbot, db, store, path):
    dialog = ExportDialog(db, store)
    qtbot.addWidget(dialog)
    dialog.path.setText(str(path))
    with qtbot.waitSignal(dialog.exported, timeout=10_000) as exported:
        dialog.run_button.click()
    return dialog, exported.args[0]


def test_export_then_import_through_the_dialogs_shows_the_summary(qtbot, laptops, store, tmp_path):
    a, b = laptops
    dialog, result = export_with_dialog(qtbot, a, store, tmp_path / "a.cpsync")
    assert result.path.exists() and "已导出完整同步包" in dialog.status.text()
    importer = ImportDialog(b, store, path=result.path)
    qtbot.addWidget(importer)
    with qtbot.waitSignal(importer.imported, timeout=10_000) as imported:
        importer.run_button.click()
    assert imported.args[0].tables["community"].added == 1
    model = importer.summary.model()
    assert [model.index(0, c).data() for c in range(6)] == ["社区", "1", "0", "0", "0", "0"]
    assert not importer.conflicts_button.isVisibleTo(importer)


def test_a_refused_file_is_explained_in_the_dialog_and_changes_nothing(qtbot, laptops, store, tmp_path):
    a, b = laptops
    _dialog, result = export_with_dialog(qtbot, a, store, tmp_path / "a.cpsync")
    other = PassphraseStore(QSettings(str(tmp_path / "other.ini"), QSettings.Format.IniFormat))
    other.set("另一个派出所的口令")
    before = file_state(b)
    importer = ImportDialog(b, other, path=result.path)
    qtbot.addWidget(importer)
    importer.run_button.click()
    qtbot.waitUntil(lambda: "口令不对" in importer.status.text(), timeout=10_000)
    assert importer.run_button.isEnabled()
    assert file_state(b) == before


def test_cancelling_an_import_leaves_nothing_half_done(qtbot, laptops, store, tmp_path):
    a, b = laptops
    _dialog, result = export_with_dialog(qtbot, a, store, tmp_path / "a.cpsync")
    before = file_state(b)
    importer = ImportDialog(b, store, path=result.path)
    qtbot.addWidget(importer)
    importer.run_button.click()
    importer.task.dialog.findChild(QPushButton).click()  # the progress dialog's 取消
    qtbot.waitUntil(lambda: "已取消" in importer.status.text(), timeout=10_000)
    assert file_state(b) == before


def test_the_passphrase_is_typed_twice_and_never_shown(qtbot, laptops, tmp_path):
    a, _b = laptops
    store = PassphraseStore(QSettings(str(tmp_path / "fresh.ini"), QSettings.Format.IniFormat))
    dialog = SyncSettingsDialog(a, store)
    qtbot.addWidget(dialog)
    assert dialog.state.text() == "尚未设置"
    assert dialog.first.echoMode() == dialog.second.echoMode() == QLineEdit.EchoMode.Password
    dialog.first.setText("short")
    dialog.second.setText("short")
    assert not dialog.save() and "至少" in dialog.error.text()
    dialog.first.setText("派出所口令12345")
    dialog.second.setText("派出所口令1234")
    assert not dialog.save() and "不一致" in dialog.error.text()
    dialog.second.setText("派出所口令12345")
    assert dialog.save()
    assert store.get() == "派出所口令12345"
    assert dialog.state.text() == "已设置（不显示）" and dialog.first.text() == ""


def test_the_settings_list_the_last_export_and_import_per_device(qtbot, laptops, store, tmp_path):
    a, b = laptops
    courier = Courier(tmp_path)
    courier.bring(b, courier.export(a))
    courier.export(b)
    dialog = SyncSettingsDialog(b, store)
    qtbot.addWidget(dialog)
    model = dialog.history.model()
    rows = {(model.index(r, 0).data(), model.index(r, 1).data()) for r in range(model.rowCount())}
    assert rows == {("A01", "导入"), ("B02", "导出")}


def test_the_conflicts_view_shows_both_sides_and_keeping_the_lost_value_applies_it(qtbot, laptops, tmp_path):
    a, b = laptops
    courier = Courier(tmp_path)
    courier.bring(b, courier.export(a))
    for db, name in ((a, "东区"), (b, "西区")):
        with db.session() as s:
            row = s.exec(select(Community)).one()
            row.name = name
            s.commit()
    courier.bring(b, courier.export(a))
    dialog = ConflictsDialog(b)
    qtbot.addWidget(dialog)
    assert dialog.table.model().rowCount() == 1
    assert dialog.kept_value.text() == "西区" and dialog.lost_value.text() == "东区"
    assert "A01" in dialog.lost_from.text() and "B02" in dialog.kept_from.text()
    with qtbot.waitSignal(dialog.changed):
        dialog.restore_button.click()
    with b.session() as s:
        assert s.exec(select(Community)).one().name == "东区"
    assert dialog.table.model().rowCount() == 0 and "没有待处理" in dialog.note.text()


def test_probable_duplicates_are_listed_and_merged_into_the_chosen_person(qtbot, laptops, tmp_path, monkeypatch):
    a, _b = laptops
    with a.session() as s:
        s.add_all([Resident(name="王芳", id_number="330102200001010018", phone="13800138000"),
                   Resident(name="王芳", id_number="330102200001010018")])
        s.commit()
    dialog = ConflictsDialog(a)
    qtbot.addWidget(dialog)
    model = dialog.people.model()
    assert model.rowCount() == 2 and model.index(0, 0).data() == "330102********0018"
    monkeypatch.setattr(dialog, "confirm", lambda _text: True)
    dialog.people.selectRow(0)
    with qtbot.waitSignal(dialog.changed):
        dialog.merge_button.click()
    assert dialog.people.model().rowCount() == 0
    with a.session() as s:
        assert sorted(r.deleted for r in s.exec(select(Resident))) == [False, True]
