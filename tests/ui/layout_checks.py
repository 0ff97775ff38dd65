"""Generic checks that nothing on a window is clipped or lies on top of something else: each
label and button at least as large as it asks to be, each combo box wide enough for its
current text, each table column (not stretched) as wide as its title, no two controls
overlapping. Used by the layout tests on every dialog in every UI language."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QStyle,
    QStyleOptionComboBox,
    QTabBar,
    QTextEdit,
    QWidget,
)

from ui.fit import FitLabel

LEAVES = (QLabel, QAbstractButton, QLineEdit, QComboBox, QAbstractSpinBox, QAbstractItemView)
SLACK = 1  # a pixel of rounding


def _internal(widget: QWidget, top: QWidget) -> bool:
    """Parts of another control (a combo's line edit, a table's header, a tab bar's buttons),
    which that control lays out itself."""
    parent = widget.parentWidget()
    while parent is not None and parent is not top:
        if isinstance(parent, (QAbstractItemView, QComboBox, QAbstractSpinBox, QTabBar)):
            return True
        if isinstance(parent, QTextEdit):
            return True
        parent = parent.parentWidget()
    return False


def _shown(top: QWidget) -> list[QWidget]:
    return [
        w
        for w in top.findChildren(QWidget)
        if w.isVisibleTo(top) and not w.isWindow() and not _internal(w, top)
    ]


def _clipped_rect(widget: QWidget, top: QWidget) -> QRect:
    """Where the widget is seen on ``top``: its rectangle cut by every ancestor's (a scroll
    area's viewport hides what is scrolled away)."""
    rect = QRect(widget.mapTo(top, QPoint(0, 0)), widget.size())
    parent = widget.parentWidget()
    while parent is not None and parent is not top:
        rect = rect.intersected(QRect(parent.mapTo(top, QPoint(0, 0)), parent.size()))
        parent = parent.parentWidget()
    return rect.intersected(top.rect())


def _name(widget: QWidget) -> str:
    text = widget.text() if hasattr(widget, "text") and callable(widget.text) else ""
    return f"{type(widget).__name__} {widget.objectName()!r} {str(text)[:40]!r}"


def clipping(top: QWidget) -> list[str]:
    problems = []
    for w in _shown(top):
        if isinstance(w, FitLabel):
            continue  # wraps and elides on purpose, the whole text in its tooltip
        if isinstance(w, QLabel) and w.text():
            if w.wordWrap():
                if w.heightForWidth(w.width()) > w.height() + SLACK:
                    problems.append(f"{_name(w)}: wrapped text taller than {w.height()} px")
            elif w.sizeHint().width() > w.width() + SLACK:
                problems.append(f"{_name(w)}: needs {w.sizeHint().width()} px, has {w.width()}")
        elif isinstance(w, (QPushButton, QCheckBox, QRadioButton)) and w.text():
            if w.sizeHint().width() > w.width() + SLACK:
                problems.append(f"{_name(w)}: needs {w.sizeHint().width()} px, has {w.width()}")
        elif isinstance(w, QComboBox) and w.currentText() and not w.isEditable():
            option = QStyleOptionComboBox()
            option.initFrom(w)
            option.currentText = w.currentText()
            field = w.style().subControlRect(
                QStyle.CC_ComboBox, option, QStyle.SC_ComboBoxEditField, w
            )
            needed = w.fontMetrics().horizontalAdvance(w.currentText())
            if needed > field.width() + SLACK:
                problems.append(f"combo {w.objectName()!r} {w.currentText()!r}: text cut")
        if isinstance(w, QAbstractItemView) and hasattr(w, "horizontalHeader"):
            problems += _header_problems(w.horizontalHeader(), w.objectName())
    return problems + overlaps(top)


def _header_problems(header: QHeaderView, name: str) -> list[str]:
    if header.isHidden() or header.model() is None:
        return []
    problems = []
    for section in range(header.count()):
        if header.isSectionHidden(section):
            continue
        if header.sectionResizeMode(section) == QHeaderView.Stretch:
            continue
        if header.stretchLastSection() and section == header.count() - 1:
            continue
        needed = header.sectionSizeHint(section)
        if header.sectionSize(section) + SLACK < needed:
            title = header.model().headerData(section, header.orientation())
            problems.append(f"{name} column {title!r}: {header.sectionSize(section)} < {needed}")
    return problems


def overlaps(top: QWidget) -> list[str]:
    leaves = [w for w in _shown(top) if isinstance(w, LEAVES)]
    rects = [(w, _clipped_rect(w, top)) for w in leaves]
    problems = []
    for i, (a, ra) in enumerate(rects):
        if ra.isEmpty():
            continue
        for b, rb in rects[i + 1 :]:
            if rb.isEmpty() or a.isAncestorOf(b) or b.isAncestorOf(a):
                continue
            both = ra.intersected(rb)
            if both.width() > 2 and both.height() > 2:
                problems.append(f"{_name(a)} overlaps {_name(b)}")
    return problems
