"""The program opens to a login: the first start makes the station's admin and shows the
recovery code once; a wrong password is refused in the dialog, slowed down, then locked out;
a login hands the officer's database to the window; damage still reaches the backup offer."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from app.accounts.first_start import station_state
from app.accounts.login import log_in
from tests.support.accounts import ADMIN_PASSWORD, OFFICER_PASSWORD, Clock, close_all, make_station, make_window
from ui.shell.login import FirstStartDialog, LoginDialog, LoginFlow, RecoverDialog, RecoveryCodeDialog

pytestmark = pytest.mark.usefixtures("cheap_kdf")


def start(qtbot, tmp_path, path, *, now=None):
    window = make_window(qtbot, tmp_path)
    flow = LoginFlow(window, path, **({"now": now} if now else {}))
    flow.start()
    qtbot.waitUntil(lambda: flow.dialog is not None and flow.dialog.isVisible(), timeout=10000)
    return window, flow


def type_login(qtbot, dialog, username: str, password: str) -> None:
    dialog.username.setText(username)
    dialog.password.setText(password)
    dialog.ok_button.click()
    assert dialog.message.text() == "正在验证…" and not dialog.fields.isEnabled()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=10000)


@pytest.fixture
def station(tmp_path):
    path = tmp_path / "station.sqlite3"
    make_station(path).db.close()
    return path


def test_first_start_creates_the_admin_and_shows_the_recovery_code_once(qtbot, tmp_path):
    path = tmp_path / "new.sqlite3"
    window, flow = start(qtbot, tmp_path, path)
    dialog = flow.dialog
    assert isinstance(dialog, FirstStartDialog) and dialog.username.text() == "admin"
    dialog.name.setText("张所长")
    dialog.password.setText(ADMIN_PASSWORD)
    dialog.again.setText("admin124")
    dialog.ok_button.click()
    assert dialog.message.text() == "两次输入的密码不一致" and dialog.isVisible()
    dialog.again.setText(ADMIN_PASSWORD)
    with qtbot.waitSignal(flow.logged_in, timeout=10000) as blocker:
        dialog.ok_button.click()
    login = blocker.args[0]
    assert window.db is login.db and login.db.officer_id == login.officer.id
    assert window.officer_label.text() == "当前民警：张所长（所领导）"
    assert station_state(path) == "encrypted"
    [shown] = window.findChildren(RecoveryCodeDialog)
    assert shown.isVisible() and shown.code.text() == login.recovery_code
    texts = " ".join(label.text() for label in shown.findChildren(type(shown.code)))
    assert "恢复码用于忘记密码时重设，请抄写并存放在所里保险柜" in texts
    shown.copy_button.click()
    assert QApplication.clipboard().text() == login.recovery_code
    shown.reject()  # Esc does not close it: only "我已抄写" does
    assert shown.isVisible()
    shown.done_button.click()
    assert not shown.isVisible() and QApplication.clipboard().text() == ""  # not left on the clipboard
    close_all(window)


def test_a_plain_database_without_accounts_asks_for_the_admin_and_is_encrypted(qtbot, tmp_path, db_path):
    window, flow = start(qtbot, tmp_path, db_path)
    assert isinstance(flow.dialog, FirstStartDialog)
    flow.dialog.name.setText("张所长")
    flow.dialog.password.setText(ADMIN_PASSWORD)
    flow.dialog.again.setText(ADMIN_PASSWORD)
    with qtbot.waitSignal(flow.logged_in, timeout=10000):
        flow.dialog.ok_button.click()
    assert station_state(db_path) == "encrypted" and window.officer.is_admin
    close_all(window)


def test_wrong_password_is_refused_under_the_fields(qtbot, tmp_path, station):
    window, flow = start(qtbot, tmp_path, station)
    dialog = flow.dialog
    assert isinstance(dialog, LoginDialog)
    type_login(qtbot, dialog, "wang", "wrong1234")
    assert dialog.message.text() == "用户名或密码错误" and dialog.isVisible()
    assert dialog.password.text() == "" and window.db is None


def test_repeated_wrong_passwords_slow_down_then_lock_the_account(qtbot, tmp_path, station):
    clock = Clock()
    window, flow = start(qtbot, tmp_path, station, now=clock)
    dialog = flow.dialog
    for _ in range(3):
        type_login(qtbot, dialog, "wang", "wrong1234")
    type_login(qtbot, dialog, "wang", OFFICER_PASSWORD)  # too soon after the third failure
    assert dialog.message.text() == "请 2 秒后再试"
    for _ in range(3):
        clock.advance(60)
        type_login(qtbot, dialog, "wang", "wrong1234")
    type_login(qtbot, dialog, "wang", OFFICER_PASSWORD)
    assert dialog.message.text() == "登录失败次数过多，账户已锁定，请 15 分钟后再试"
    clock.advance(15 * 60)
    with qtbot.waitSignal(flow.logged_in, timeout=10000):
        type_login(qtbot, dialog, "wang", OFFICER_PASSWORD)
    close_all(window)


def test_successful_login_attaches_the_database_with_the_officer_set(qtbot, tmp_path, station):
    window, flow = start(qtbot, tmp_path, station)
    with qtbot.waitSignal(window.database_ready, timeout=10000):
        type_login(qtbot, flow.dialog, "Wang ", OFFICER_PASSWORD)
    assert window.db.officer_id == window.officer.id and window.officer.username == "wang"
    assert window.officer_label.text() == "当前民警：王警官（民警）"
    assert window.households.officer_id == window.officer.id and window.households.model.rowCount() == 1
    assert not window.findChildren(RecoveryCodeDialog)  # only the login that made the key file shows one
    assert window.accounts.lock.isEnabled() and not window.accounts.manage.isVisible()
    assert window.settings.get("login/username") == "wang"
    close_all(window)
    again, flow = start(qtbot, tmp_path, station)  # the next start offers the same user name
    assert flow.dialog.username.text() == "wang"


def test_closing_the_login_dialog_gives_up(qtbot, tmp_path, station):
    window, flow = start(qtbot, tmp_path, station)
    with qtbot.waitSignal(flow.cancelled, timeout=2000):
        flow.dialog.cancel_button.click()
    assert window.db is None


def test_a_forgotten_password_is_reset_with_the_recovery_code(qtbot, tmp_path):
    path = tmp_path / "station.sqlite3"
    login = make_station(path)
    code = login.recovery_code
    login.db.close()
    window, flow = start(qtbot, tmp_path, path)
    flow.dialog.username.setText("wang")
    flow.dialog.forgot_link.linkActivated.emit("#")
    [recover] = flow.dialog.findChildren(RecoverDialog)
    assert recover.isVisible() and recover.username.text() == "wang"
    recover.code.setText("AAAA-BBBB-CCCC-DDDD-EEEE-FFFF")
    recover.password.setText("new12345")
    recover.again.setText("new12345")
    recover.ok_button.click()
    qtbot.waitUntil(lambda: not recover.busy, timeout=10000)
    assert recover.message.text() == "恢复码不正确"
    recover.code.setText(code.lower())
    with qtbot.waitSignal(flow.logged_in, timeout=10000):
        recover.ok_button.click()
    assert window.officer.username == "wang"
    close_all(window)
    log_in(path, "wang", "new12345").db.close()


def test_a_missing_key_file_is_explained_with_its_name(qtbot, tmp_path, station):
    from app.accounts.keyring import keyring_path

    keys = keyring_path(station)
    saved = keys.read_bytes()
    keys.unlink()
    window, flow = start(qtbot, tmp_path, station)
    box = flow.dialog
    assert "station.sqlite3.keys" in box.text() and "station.sqlite3" in box.text()
    assert [b.text() for b in box.buttons()] == ["恢复密钥文件…", "退出"]
    copy = tmp_path / "u-disk.keys"
    copy.write_bytes(saved)
    from ui.shell.login import restore_keys

    (tmp_path / "junk.keys").write_text("不是密钥")
    assert "密钥文件已损坏" in restore_keys(station, tmp_path / "junk.keys") and not keys.exists()
    assert restore_keys(station, copy) is None and station_state(station) == "encrypted"
    with qtbot.waitSignal(flow.cancelled, timeout=2000):
        box.buttons()[1].click()


def test_a_damaged_database_reaches_the_backup_offer_and_the_restored_file_asks_for_a_login(
        qtbot, tmp_path, db_path, sample_households, db):
    from app.accounts.passwords import hash_password
    from db.backup import make_backup
    from db.models import Officer
    from tests.support.storage import damage

    with db.session() as s:  # a database from before encryption, with an account
        s.add(Officer(username="wang", name="王警官", role="officer", password_hash=hash_password(OFFICER_PASSWORD)))
        s.commit()
    db.close()
    backup = make_backup(db_path, reason="daily")
    damage(db_path)
    window = make_window(qtbot, tmp_path)
    flow = LoginFlow(window, db_path)
    with qtbot.waitSignal(window.database_damaged, timeout=10000) as blocker:
        flow.start()
    assert blocker.args[0].problems
    window.restore_and_reopen(backup, db_path).run()
    qtbot.waitUntil(lambda: isinstance(flow.dialog, LoginDialog) and flow.dialog.isVisible(), timeout=10000)
    assert window.db is None  # nobody is in before the login
    with qtbot.waitSignal(window.database_ready, timeout=10000):
        type_login(qtbot, flow.dialog, "wang", OFFICER_PASSWORD)
    assert window.households.model.rowCount() == 3
    close_all(window)


def test_smoke_mode_logs_in_from_the_environment(qtbot, tmp_path, monkeypatch):
    from ui.shell.login import smoke_login

    path = tmp_path / "smoke.sqlite3"
    monkeypatch.setenv("CPDESK_PASSWORD", ADMIN_PASSWORD)
    window = make_window(qtbot, tmp_path)
    with qtbot.waitSignal(window.database_ready, timeout=10000):
        smoke_login(window, path)  # a new station: made first
    assert window.officer.username == "admin" and station_state(path) == "encrypted"
    close_all(window)
    window = make_window(qtbot, tmp_path)
    with qtbot.waitSignal(window.database_ready, timeout=10000):
        smoke_login(window, path)  # then logged into
    close_all(window)
    monkeypatch.delenv("CPDESK_PASSWORD")
    window = make_window(qtbot, tmp_path)
    with qtbot.waitSignal(window.database_failed, timeout=10000) as blocker:
        smoke_login(window, path)
    assert "CPDESK_PASSWORD" in blocker.args[0]
