"""Keyboard rules checked over the whole ui/ tree (issue 13). Shortcuts are never parsed from
text (item 2). Tab always leaves a table (item 13): Qt item views move between their cells on
Tab unless told not to, which trapped the keyboard in the queue, the profile's visit history
and the manager's visit log. Every item view the app builds has tabKeyNavigation off: walked
at run time in the windows and dialogs, and checked in the source for every view built
anywhere in ui/ (some are built only when a file is chosen). Real Tab presses:
tests/ui/real_display/test_tab_order.py."""

from __future__ import annotations

import ast
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QWidget

from counter.settings import load_settings
from tests.core.report_fixtures import NOW, build_store
from ui.main_window import DEFERRED_PANELS, MainWindow

VIEW_CLASSES = {
    "QTableView",
    "QTableWidget",
    "QTreeView",
    "QTreeWidget",
    "QListView",
    "QListWidget",
}
UI = Path(__file__).resolve().parents[2] / "ui"


def item_views(top: QWidget) -> list[QAbstractItemView]:
    """The item views in ``top``, but not the lists inside combo boxes' popups."""
    return [v for v in top.findChildren(QAbstractItemView) if v.window().windowType() != Qt.Popup]


def test_every_item_view_of_every_window_lets_tab_leave(qtbot, runner, db, ui_language, tmp_path):
    store = build_store(db)
    main = MainWindow(runner, load_settings(db), ui_language, clock=lambda: NOW)
    qtbot.addWidget(main)
    main.signed_in.set(store.manager)
    for name in DEFERRED_PANELS:
        main._panel(name)
    dialogs = [
        main.visit_actions.show_follow_ups(),
        main.edit_phrases(store.manager),
        main.new_customer(),
    ]
    from ui.import_dialog import ImportDialog
    from ui.manager_view.manager_window import ManagerWindow
    from ui.restore_dialog import RestoreDialog

    dialogs.append(ImportDialog(runner, phone_region="GB", clock=lambda: NOW, parent=main))
    dialogs.append(RestoreDialog(runner, tmp_path, clock=lambda: NOW, parent=main))
    manager = ManagerWindow(runner, store.manager, load_settings(db), ui_language, lambda: NOW)
    qtbot.addWidget(manager)
    views = [v for top in (main, manager, *dialogs) for v in item_views(top)]
    names = {v.objectName() for v in views}
    assert {"queueView", "visitHistory", "checklist", "logTable", "auditTable"} <= names
    assert {"backupList", "followUpView", "phraseEditorTable", "importMapping"} <= names
    trapping = [v.objectName() for v in views if v.tabKeyNavigation()]
    assert trapping == []


def test_every_item_view_built_in_ui_turns_tab_navigation_off():
    """Each ``x = QTableView(...)`` (or any item view) in ui/ is followed, in the same
    function, by ``x.setTabKeyNavigation(False)``."""
    missing = []
    for path in sorted(UI.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            built, turned_off = {}, set()
            for node in ast.walk(function):
                if (
                    isinstance(node, ast.Assign)
                    and isinstance(node.value, ast.Call)
                    and getattr(node.value.func, "id", "") in VIEW_CLASSES
                ):
                    built[ast.unparse(node.targets[0])] = node.lineno
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "setTabKeyNavigation"
                    and [ast.unparse(a) for a in node.args] == ["False"]
                ):
                    turned_off.add(ast.unparse(node.func.value))
            missing += [
                f"{path.relative_to(UI.parent)}:{line} {name}"
                for name, line in built.items()
                if name not in turned_off
            ]
    assert missing == []


def test_no_shortcut_is_parsed_from_text():
    """QKeySequence("Ctrl+Enter") reads the text through Qt's translation (Hungarian names
    Return and Enter alike): shortcuts are built from key codes (ui.keyboard.keys), and so is
    every QShortcut and setShortcut(s) argument."""
    parsed = []
    for path in sorted(UI.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", "") or getattr(node.func, "attr", "")
            if name not in {"QKeySequence", "QShortcut", "setShortcut", "setShortcuts"}:
                continue
            texts = [
                arg
                for arg in ast.walk(node)
                if isinstance(arg, ast.JoinedStr)
                or (isinstance(arg, ast.Constant) and isinstance(arg.value, str))
            ]
            if texts:
                parsed.append(f"{path.relative_to(UI.parent)}:{node.lineno}")
    assert parsed == []
