"""Starting the GUI: paint the window first, then open the database behind it."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from ui.fonts import install_cjk_font
from ui.main_window import MainWindow
from ui.settings import Settings


def run(db_path: Path, *, smoke: bool = False) -> int:
    """Show the main window on ``db_path``. ``smoke`` reports 'painted' and 'ready' on
    stdout and quits once the first page of households is in (start-up checks, bundle)."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("cpdesk")
    app.setApplicationDisplayName(app.translate("main", "社区警务工作台"))
    install_cjk_font(app)
    window = MainWindow(Settings())

    def failed(message: str) -> None:
        if smoke:
            print(f"failed: {message}", file=sys.stderr, flush=True)
        else:
            QMessageBox.critical(window, window.tr("无法打开数据库"), message)
        app.exit(1)

    window.database_failed.connect(failed)
    if smoke:
        window.first_painted.connect(lambda: print("painted", flush=True))
        window.database_ready.connect(lambda: (print("ready", flush=True), window.close(), app.exit(0)))
    # The database opens after the first paint: importing SQLAlchemy costs ~0.5 s.
    window.first_painted.connect(lambda: QTimer.singleShot(0, lambda: window.open_database(db_path)))
    window.show()
    return app.exec()
