"""Fitting on a laptop screen (1366x768, the commonest here): a window never opens larger than the
screen's free area, a form's body scrolls while its buttons stay in view, long text in a label is cut
with …, and fields stop at the service's length limits as the officer types or pastes."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QGuiApplication, QPainter, QTextCursor
from PySide6.QtWidgets import QComboBox, QFrame, QLabel, QLineEdit, QPlainTextEdit, QScrollArea, QVBoxLayout, QWidget

# Room kept for the title bar and borders the window system adds around a window (Windows 10
# at 100-150 % scaling: a ~31 px title bar); before the first show Qt does not know them yet.
FRAME_ROOM = QSize(16, 40)
PHONE_LIMIT = 20  # the phone columns' size (db/models); a valid number is at most 13 characters
ELIDED_HINT_CHARS = 40  # a cut label asks for about this much width, not for its whole text


# --- fitting on the screen ---------------------------------------------------------------------
def available_area(window: QWidget) -> QRect:
    """The free part (without the taskbar) of the screen the window opens on."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def fit_to_screen(window: QWidget) -> None:
    """Size a window as its code asked or its contents want, but never beyond the free screen."""
    frame = window.frameGeometry().size() - window.geometry().size()
    room = available_area(window).size() - frame.expandedTo(FRAME_ROOM)
    window.resize(window.size().expandedTo(window.sizeHint()).boundedTo(room))


class FitsScreen:
    """Mixed in before QDialog: the first show sizes the window with ``fit_to_screen`` (after the
    subclass's own ``resize``), before Qt places it over its parent."""

    _fitted = False

    def showEvent(self, event) -> None:
        if not self._fitted:
            self._fitted = True
            fit_to_screen(self)
        super().showEvent(event)


class FitScrollArea(QScrollArea):
    """A frameless scroll area around a form's body: it asks for the room its contents want (a
    plain QScrollArea asks for at most 36x24 lines), and scrolls once the window is capped."""

    def __init__(self, content: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setWidgetResizable(True)
        self.setWidget(content)

    def sizeHint(self) -> QSize:
        content = self.widget().sizeHint() if self.widget() else QSize()
        bar = self.verticalScrollBar().sizeHint().width()  # room for it when the body does scroll
        return content + QSize(bar + 2 * self.frameWidth(), 2 * self.frameWidth())


def scrolling_body(parent: QWidget) -> tuple[FitScrollArea, QVBoxLayout]:
    """A scroll area for a dialog's body, and the layout its fields go into."""
    content = QWidget(parent)
    layout = QVBoxLayout(content)
    layout.setContentsMargins(0, 0, 0, 0)
    return FitScrollArea(content, parent), layout


class ElidedLabel(QLabel):
    """One line that may be longer than the window (an address, a file path): shown cut in the
    middle with …, in full as its tooltip; ``text()`` stays whole."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setText(text)

    def setText(self, text: str) -> None:
        super().setText(text)
        self.setToolTip(text)

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        return QSize(min(hint.width(), self.fontMetrics().averageCharWidth() * ELIDED_HINT_CHARS * 2), hint.height())

    def minimumSizeHint(self) -> QSize:
        return QSize(self.fontMetrics().horizontalAdvance("…") * 3, super().minimumSizeHint().height())

    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        rect = self.contentsRect()
        shown = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideMiddle, rect.width())
        self.style().drawItemText(painter, rect, int(self.alignment()), self.palette(), self.isEnabled(), shown,
                                  self.foregroundRole())


# --- length limits -----------------------------------------------------------------------------
def limit_length(widget: QLineEdit | QComboBox | QPlainTextEdit, limit: int) -> None:
    """Stop a field at the service's limit while the officer types or pastes.

    A line edit (or an editable combo box) refuses the extra characters itself; a plain-text
    box has no such setting, so what went past the limit is taken off again at once."""
    if isinstance(widget, QComboBox):
        widget = widget.lineEdit()
    if isinstance(widget, QLineEdit):
        widget.setMaxLength(limit)
    else:
        widget.textChanged.connect(lambda: _trim(widget, limit))


def _trim(edit: QPlainTextEdit, limit: int) -> None:
    # Counted in UTF-16 units as Qt counts (QLineEdit's maxLength too): a rare character outside
    # the BMP counts twice, so the cap is never looser than the service's.
    excess = edit.document().characterCount() - 1 - limit
    if excess <= 0:
        return
    cursor = edit.textCursor()
    end = cursor.position()
    start = end - excess  # what was just typed or pasted, before the cursor
    if start < 0:  # filled by the program (a load, a draft): keep the start of the text
        start, end = limit, limit + excess
    cursor.setPosition(start)
    cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
    cursor.removeSelectedText()
