"""The window the customer sees. It shows only what :class:`counter.customer_greeting.
ScreenTexts` carries (the store's name, a greeting, the question, faces and reasons), in the
customer's language, and says what was tapped; what to do with an answer is the
controller's job (ui/customer_screen/controller.py).

Pages: blank (nothing at all: idle lock, sign-out, between customers), greeting, the question
with five faces, the reasons, thanks. Touch, mouse and keys all work: 1-5 tap a face, 1-9 a
reason, Esc skips the reasons, arrows and Tab move, Enter or Space press.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QKeyEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from counter.customer_greeting import ScreenTexts
from ui.customer_screen.faces import FaceButton
from ui.i18n import _


def _big_label(parent: QWidget, name: str, share: float) -> QLabel:
    """A centred, wrapping label whose letters are ``share`` of the window's height: read
    from a step or two away on any size of screen (see CustomerScreen.resizeEvent)."""
    label = QLabel(parent)
    label.setObjectName(name)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setWordWrap(True)
    label.setProperty("height_share", share)
    return label


class CustomerScreen(QWidget):
    face_chosen = Signal(int)
    reason_chosen = Signal(str)
    reason_skipped = Signal()

    def __init__(self, parent: QWidget | None = None):
        # A window of its own (parent only for ownership): it goes on the second screen.
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("customerScreen")
        self.texts: ScreenTexts | None = None
        self._reason_keys: list[str] = []
        self.stack = QStackedWidget(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(40, 40, 40, 40)
        layout.addWidget(self.stack)

        self.blank_page = QWidget(self.stack)
        self.blank_page.setObjectName("customerBlank")

        self.greeting_page = QWidget(self.stack)
        greeting_layout = QVBoxLayout(self.greeting_page)
        self.store = _big_label(self.greeting_page, "customerStore", 0.045)
        self.greeting = _big_label(self.greeting_page, "customerGreeting", 0.085)
        self.welcome = _big_label(self.greeting_page, "customerWelcome", 0.05)
        greeting_layout.addWidget(self.store)
        greeting_layout.addStretch(1)
        greeting_layout.addWidget(self.greeting)
        greeting_layout.addWidget(self.welcome)
        greeting_layout.addStretch(2)

        self.question_page = QWidget(self.stack)
        question_layout = QVBoxLayout(self.question_page)
        self.question = _big_label(self.question_page, "customerQuestion", 0.075)
        question_layout.addStretch(1)
        question_layout.addWidget(self.question)
        row = QHBoxLayout()
        row.setSpacing(24)
        self.faces: list[FaceButton] = []
        for face in (1, 2, 3, 4, 5):
            button = FaceButton(face, self.question_page)
            button.clicked.connect(lambda _checked=False, f=face: self.face_chosen.emit(f))
            row.addWidget(button)
            self.faces.append(button)
        question_layout.addLayout(row, 2)
        question_layout.addStretch(1)

        self.reason_page = QWidget(self.stack)
        reason_layout = QVBoxLayout(self.reason_page)
        self.reason_question = _big_label(self.reason_page, "customerReasonQuestion", 0.06)
        reason_layout.addWidget(self.reason_question)
        self.reason_box = QVBoxLayout()  # one button per reason, made when asked
        reason_layout.addLayout(self.reason_box)
        self.reason_buttons: list[QPushButton] = []
        self.skip = self._tap_button(self.reason_page, "customerSkipReason")
        self.skip.clicked.connect(self.reason_skipped)
        reason_layout.addWidget(self.skip)
        reason_layout.addStretch(1)

        self.thanks_page = QWidget(self.stack)
        thanks_layout = QVBoxLayout(self.thanks_page)
        self.thanks = _big_label(self.thanks_page, "customerThanks", 0.075)
        thanks_layout.addWidget(self.thanks)

        for page in (
            self.blank_page,
            self.greeting_page,
            self.question_page,
            self.reason_page,
            self.thanks_page,
        ):
            self.stack.addWidget(page)
        self.setWindowTitle(_("Customer screen"))
        self.resize(1024, 640)
        self.show_blank()

    @staticmethod
    def _tap_button(parent: QWidget, name: str) -> QPushButton:
        button = QPushButton(parent)
        button.setObjectName(name)
        button.setMinimumHeight(72)
        button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        button.setProperty("height_share", 0.035)
        return button

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        height = max(self.height(), 400)
        for widget in self.findChildren(QWidget):
            share = widget.property("height_share")
            if share:
                font = QFont(widget.font())
                font.setPixelSize(max(14, round(height * share)))
                widget.setFont(font)
                if isinstance(widget, QPushButton):
                    widget.setMinimumHeight(max(72, round(height * share * 2.2)))

    # pages -------------------------------------------------------------------------------
    @property
    def page(self) -> str:
        current = self.stack.currentWidget()
        return (
            {
                self.blank_page: "blank",
                self.greeting_page: "greeting",
                self.question_page: "question",
                self.reason_page: "reasons",
                self.thanks_page: "thanks",
            }.get(current, "blank")
            if current is not None
            else "blank"
        )

    def show_blank(self) -> None:
        """Nothing of anyone: between customers, at the idle lock and after signing out."""
        self.texts = None
        for label in (self.store, self.greeting, self.welcome, self.question, self.thanks):
            label.clear()
        self._clear_reasons()
        self.stack.setCurrentWidget(self.blank_page)

    def _use(self, texts: ScreenTexts) -> None:
        self.texts = texts
        self.setLayoutDirection(
            Qt.LayoutDirection.RightToLeft
            if texts.right_to_left
            else Qt.LayoutDirection.LeftToRight
        )
        self.store.setText(texts.store_name)

    def show_greeting(self, texts: ScreenTexts) -> None:
        self._use(texts)
        self.greeting.setText(texts.greeting)
        self.welcome.setText(texts.welcome)
        self.stack.setCurrentWidget(self.greeting_page)

    def ask(self, texts: ScreenTexts) -> None:
        self._use(texts)
        self.question.setText(texts.question)
        for button, (_face, name) in zip(self.faces, texts.faces, strict=True):
            button.setAccessibleName(name)
            button.setToolTip(name)
        self.stack.setCurrentWidget(self.question_page)
        self.faces[2].setFocus(Qt.FocusReason.OtherFocusReason)

    def ask_reason(self) -> None:
        texts = self.texts
        if texts is None:
            return
        self._clear_reasons()
        self.reason_question.setText(texts.reason_question)
        for number, (key, label) in enumerate(texts.reasons, start=1):
            button = self._tap_button(self.reason_page, f"customerReason{number}")
            button.setFont(self.skip.font())
            button.setMinimumHeight(self.skip.minimumHeight())
            button.setText(label)
            button.clicked.connect(lambda _checked=False, k=key: self.reason_chosen.emit(k))
            self.reason_box.addWidget(button)
            self.reason_buttons.append(button)
            self._reason_keys.append(key)
        self.skip.setText(texts.skip)
        self.stack.setCurrentWidget(self.reason_page)
        for first, second in zip(
            self.reason_buttons, [*self.reason_buttons[1:], self.skip], strict=True
        ):
            QWidget.setTabOrder(first, second)  # top to bottom: the reasons, then Skip
        if self.reason_buttons:
            self.reason_buttons[0].setFocus(Qt.FocusReason.OtherFocusReason)

    def _clear_reasons(self) -> None:
        for button in self.reason_buttons:
            self.reason_box.removeWidget(button)
            button.deleteLater()
        self.reason_buttons = []
        self._reason_keys = []

    def thank(self) -> None:
        if self.texts is not None:
            self.thanks.setText(self.texts.thanks)
        self.stack.setCurrentWidget(self.thanks_page)

    # keys --------------------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        number = key - Qt.Key.Key_0 if Qt.Key.Key_1 <= key <= Qt.Key.Key_9 else 0
        if self.page == "question" and 1 <= number <= len(self.faces):
            self.face_chosen.emit(number)
            return
        if self.page == "reasons":
            if 1 <= number <= len(self._reason_keys):
                self.reason_chosen.emit(self._reason_keys[number - 1])
                return
            if key == Qt.Key.Key_Escape:
                self.reason_skipped.emit()
                return
        if key in (Qt.Key.Key_Left, Qt.Key.Key_Right) and self.page == "question":
            forward = (key == Qt.Key.Key_Right) != (
                self.layoutDirection() == Qt.LayoutDirection.RightToLeft
            )
            self.focusNextPrevChild(forward)
            return
        super().keyPressEvent(event)
