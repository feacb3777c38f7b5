"""The program speaks its language setting, not the machine's: calendars, dates and Qt's own file
dialog are Chinese on a machine set to LANG=C (as this one is), and native dialogs are kept only
where they speak the program's language (a Chinese Windows).

With CPDESK_SHOTS=<folder> the calendar popup and the file dialog are saved there, to be looked at."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QLocale, QPoint, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QTableView, QToolButton

from tests.support.disputes import NOW, register
from ui.shell.app import native_dialogs_speak

NO_NATIVE = Qt.ApplicationAttribute.AA_DontUseNativeDialogs
ROOT = Path(__file__).resolve().parents[2]


def calendar_texts(calendar) -> tuple[str, list[str]]:
    """The month shown in the calendar's title bar, and its day-of-week headers."""
    month = calendar.findChild(QToolButton, "qt_calendar_monthbutton").text()
    model = calendar.findChild(QTableView).model()
    days = [model.data(model.index(0, column)) for column in range(model.columnCount())]
    return month, days[-7:]  # after the week numbers, where a locale shows them


@pytest.mark.qt_log_ignore("This plugin does not support grabbing the keyboard")
def test_a_date_edit_popup_shows_a_chinese_calendar_on_an_english_machine(qtbot, db, program_language):
    from ui.disputes.dialogs import TransitionForm

    assert program_language().name() == "zh_CN" and QLocale().monthName(12) == "十二月"
    dispute = register(db, occurred_at=NOW - timedelta(days=1))
    form = TransitionForm(db, dispute_id=dispute.id, number=dispute.number, current="mediating",
                          occurred_at=NOW - timedelta(days=1), preselect="to_center")
    qtbot.addWidget(form)
    form.show()
    edit = form.transferred_on
    edit.setDate(QDate(2026, 12, 1))
    assert edit.text() == "2026-12-01"
    qtbot.mouseClick(edit, Qt.MouseButton.LeftButton, pos=QPoint(edit.width() - 8, edit.height() // 2))
    calendar = edit.calendarWidget()
    qtbot.waitUntil(calendar.isVisible, timeout=2000)
    assert calendar.locale().name() == "zh_CN"
    assert calendar_texts(calendar) == ("十二月", ["周一", "周二", "周三", "周四", "周五", "周六", "周日"])
    if folder := os.environ.get("CPDESK_SHOTS"):
        shot = form.grab()
        painter = QPainter(shot)
        popup = calendar.window()  # a window of its own, over the form
        painter.drawPixmap(form.mapFromGlobal(popup.pos()), popup.grab())
        painter.end()
        shot.save(str(Path(folder) / "calendar_popup.png"))


def test_english_chosen_gives_an_english_calendar(qtbot, program_language):
    from PySide6.QtWidgets import QDateEdit

    assert program_language("en_US").name() == "en_US"
    edit = QDateEdit(QDate(2026, 12, 1), calendarPopup=True)
    qtbot.addWidget(edit)
    assert calendar_texts(edit.calendarWidget())[0] == "December"


def test_a_language_qt_does_not_know_falls_back_to_simplified_chinese(program_language):
    assert program_language("klingon").name() == "zh_CN"


def test_native_dialogs_are_kept_only_where_the_system_speaks_the_program_language():
    chinese = QLocale(QLocale.Language.Chinese, QLocale.Country.China)
    assert native_dialogs_speak(chinese, system=QLocale("zh-Hans-CN"))  # the officers' Windows
    assert not native_dialogs_speak(chinese, system=QLocale("en-US"))
    assert not native_dialogs_speak(chinese, system=QLocale.c())  # LANG=C
    assert not native_dialogs_speak(chinese, system=QLocale("zh-Hant-TW"))  # traditional characters


# The machine's locale is read once, when Qt starts: a fresh process with LANG=C shows it.
UNDER_LANG_C = r"""
import json, os, sys, time
from pathlib import Path
from ui.shell.settings import Settings
from ui.shell.app import choose_dialogs, date_files_in_language, install_language

settings = Settings()
date_files_in_language(settings)
from PySide6.QtCore import QDate, QLocale, Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QFileSystemModel, QLabel
from ui.shell.fonts import install_cjk_font

app = QApplication([])
install_cjk_font(app)
choose_dialogs(app, install_language(app, settings))
folder = sys.argv[1]
model = QFileSystemModel()
model.setRootPath(folder)
index = model.index(os.path.join(folder, "台账"))
deadline = time.monotonic() + 10
while not model.data(model.index(index.row(), 3, index.parent())) and time.monotonic() < deadline:
    app.processEvents()
dialog = QFileDialog(None, "导出走访台账", folder, "Excel 文件 (*.xlsx)")
dialog.setViewMode(QFileDialog.ViewMode.Detail)
labels = {label.objectName(): label.text() for label in dialog.findChildren(QLabel)}
if os.environ.get("CPDESK_SHOTS"):
    dialog.resize(900, 520)
    dialog.show()
    for _ in range(30):
        app.processEvents()
        time.sleep(0.02)
    dialog.grab().save(os.path.join(os.environ["CPDESK_SHOTS"], "file_dialog.png"))
print(json.dumps({
    "system": QLocale.system().name(), "default": QLocale().name(), "labels": labels,
    "non_native": app.testAttribute(Qt.ApplicationAttribute.AA_DontUseNativeDialogs),
    "type": model.data(model.index(index.row(), 2, index.parent())),
    "modified": model.data(model.index(index.row(), 3, index.parent())),
}, ensure_ascii=False))
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="LANG=C is how a Linux machine speaks English")
def test_under_lang_c_the_file_dialog_speaks_chinese_and_dates_files_the_chinese_way(tmp_path):
    folder = tmp_path / "files"
    (folder / "台账").mkdir(parents=True)
    stamp = datetime(2026, 11, 30, 8, 13).timestamp()
    os.utime(folder / "台账", (stamp, stamp))
    env = {key: value for key, value in os.environ.items() if not key.startswith(("LC_", "LANG"))}
    env.update(LANG="C.UTF-8", QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / "config"))
    done = subprocess.run([sys.executable, "-c", UNDER_LANG_C, str(folder)], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["system"] == "C" and seen["default"] == "zh_CN" and seen["non_native"]
    assert seen["labels"]["lookInLabel"] == "查找范围(&L)：" and seen["labels"]["fileTypeLabel"] == "文件类型(&T)："
    assert seen["labels"]["fileNameLabel"] == "文件名称(&N)："
    assert seen["type"] == "文件夹" and seen["modified"] == "2026/11/30 08:13"
