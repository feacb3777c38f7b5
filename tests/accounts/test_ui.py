"""The 账户 menu and 账户管理: the admin creates, resets, disables and enrols accounts (never
deletes one); an officer changes his own password and sees no admin entries."""

from __future__ import annotations

import pytest

from app.accounts.account import Account
from app.accounts.login import log_in
from app.accounts.manage import create_account
from app.core.errors import UserError
from tests.support.accounts import ADMIN_PASSWORD, OFFICER_PASSWORD, close_all, make_station, make_window
from ui.accounts.dialog import AccountsDialog, AccountsModel

pytestmark = pytest.mark.usefixtures("cheap_kdf")


@pytest.fixture
def station(tmp_path):
    path = tmp_path / "station.sqlite3"
    make_station(path).db.close()
    return path


def logged_in(qtbot, tmp_path, station, username: str, password: str):
    window = make_window(qtbot, tmp_path)
    window.attach_login(log_in(station, username, password))
    return window


@pytest.fixture
def admin_window(qtbot, tmp_path, station):
    window = logged_in(qtbot, tmp_path, station, "admin", ADMIN_PASSWORD)
    yield window
    close_all(window)


def texts(dialog: AccountsDialog) -> list[list[str]]:
    model = dialog.model
    return [[model.data(model.index(r, c)) for c in range(model.columnCount())] for r in range(model.rowCount())]


def gone(form) -> bool:
    from shiboken6 import isValid

    return not isValid(form) or not form.isVisible()


def wait_done(qtbot, form) -> None:
    form.ok_button.click()
    qtbot.waitUntil(lambda: not form.busy, timeout=10000)


def test_admin_creates_an_account(qtbot, admin_window):
    window = admin_window
    assert window.accounts.manage.isVisible() and window.accounts.audit.isVisible()
    window.accounts.manage.trigger()
    dialog = window.accounts.open_accounts()  # the same window, raised
    assert isinstance(dialog, AccountsDialog) and dialog.isVisible()
    headers = [dialog.model.headerData(c, _horizontal()) for c in range(5)]
    assert headers == ["用户名", "姓名", "身份", "状态", "本机可登录"]
    assert texts(dialog) == [["admin", "张所长", "所领导", "启用", "是"], ["wang", "王警官", "民警", "启用", "是"]]
    form = dialog.new_account()
    form.username.setText("wang")
    form.name.setText("王二")
    form.password.setText("li123456")
    form.again.setText("li123456")
    wait_done(qtbot, form)
    assert form.message.text() == "用户名 wang 已被使用" and form.isVisible()
    form.username.setText("lixf")
    form.name.setText("李晓峰")
    form.role.setCurrentIndex(form.role.findData("auxiliary"))
    wait_done(qtbot, form)
    assert gone(form)
    assert texts(dialog)[1] == ["lixf", "李晓峰", "辅警", "启用", "是"]
    assert dialog.selected().username == "lixf" and dialog.message.text() == "已新建账户 李晓峰（lixf）。"
    close_all(window)
    log_in(window.db.path, "lixf", "li123456").db.close()


def _horizontal():
    from PySide6.QtCore import Qt

    return Qt.Orientation.Horizontal


def test_a_non_admin_does_not_see_accounts_management(qtbot, tmp_path, station):
    window = logged_in(qtbot, tmp_path, station, "wang", OFFICER_PASSWORD)
    assert not window.accounts.manage.isVisible() and not window.accounts.audit.isVisible()
    assert window.accounts.change_password.isVisible() and window.accounts.lock.isEnabled()
    with pytest.raises(UserError):  # and the service refuses him anyway
        create_account(window.db, username="x1", name="某", role="admin", password="abc12345")
    close_all(window)


def test_disable_and_enable_keep_the_account(qtbot, admin_window, station):
    dialog = admin_window.accounts.open_accounts()
    dialog.select(admin_window.officer.id)
    assert not dialog.active_button.isEnabled()  # not one's own account
    wang = next(a for a in dialog.model.rows if a.username == "wang")
    dialog.select(wang.id)
    assert dialog.active_button.text() == "停用"
    dialog.active_button.click()
    assert texts(dialog)[1] == ["wang", "王警官", "民警", "停用", "否"]
    assert dialog.active_button.text() == "启用" and not dialog.reset_button.isEnabled()
    with pytest.raises(UserError):
        log_in(station, "wang", OFFICER_PASSWORD)
    dialog.active_button.click()
    assert texts(dialog)[1][3:] == ["启用", "否"] and "在本机启用" in dialog.message.text()
    enroll = dialog.enroll()
    enroll.password.setText("wrong1234")
    wait_done(qtbot, enroll)
    assert enroll.message.text() == "密码与该账户不符" and enroll.password.text() == ""
    enroll.password.setText(OFFICER_PASSWORD)
    wait_done(qtbot, enroll)
    assert texts(dialog)[1][3:] == ["启用", "是"]
    log_in(station, "wang", OFFICER_PASSWORD).db.close()


def test_reset_password_sets_a_new_one(qtbot, admin_window, station):
    dialog = admin_window.accounts.open_accounts()
    dialog.select(next(a.id for a in dialog.model.rows if a.username == "wang"))
    form = dialog.reset_password()
    form.password.setText("short")
    form.again.setText("short")
    wait_done(qtbot, form)
    assert form.message.text() == "密码至少 8 位"
    form.password.setText("fresh123")
    form.again.setText("fresh123")
    wait_done(qtbot, form)
    assert gone(form) and dialog.message.text() == "已为 王警官（wang）重设密码。"
    log_in(station, "wang", "fresh123").db.close()


def test_an_officer_changes_his_own_password(qtbot, tmp_path, station):
    window = logged_in(qtbot, tmp_path, station, "wang", OFFICER_PASSWORD)
    form = window.accounts.open_change_password()
    form.old.setText("nottheone1")
    form.password.setText("better123")
    form.again.setText("better123")
    wait_done(qtbot, form)
    assert form.message.text() == "原密码不正确"
    form.old.setText(OFFICER_PASSWORD)
    wait_done(qtbot, form)
    assert gone(form) and window.statusBar().currentMessage() == "密码已修改"
    close_all(window)
    log_in(station, "wang", "better123").db.close()


def test_the_audit_log_opens_for_the_admin(qtbot, admin_window):
    from ui.audit import AuditDialog

    admin_window.accounts.audit.trigger()
    [dialog] = [w for w in admin_window.findChildren(AuditDialog) if w.isVisible()]
    dialog.close()


def test_the_accounts_model_is_a_proper_model(qtmodeltester):
    model = AccountsModel()
    model.set_rows([Account("1", "admin", "张所长", "admin", True, True),
                    Account("2", "fj001", "李辅", "auxiliary", False, False)])
    qtmodeltester.check(model)
    assert model.data(model.index(1, 2)) == "辅警" and model.data(model.index(1, 4)) == "否"
