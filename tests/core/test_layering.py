"""The wall between domain and UI: nothing under counter/ imports Qt or the ui package."""

import ast
from pathlib import Path

import counter

FORBIDDEN = ("PySide6", "PyQt5", "PyQt6", "shiboken6", "ui")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_counter_package_imports_no_qt_and_no_ui():
    root = Path(counter.__file__).parent
    offenders = {
        f"{path.relative_to(root.parent)}: {name}"
        for path in root.rglob("*.py")
        for name in _imports(path)
        if name.split(".")[0] in FORBIDDEN
    }
    assert not offenders, sorted(offenders)


def test_sql_lives_only_in_storage():
    root = Path(counter.__file__).parent
    ui_root = root.parent / "ui"
    keywords = ("SELECT ", "INSERT INTO", "UPDATE ", "DELETE FROM", "CREATE TABLE")
    offenders = [
        str(path)
        for path in [*root.rglob("*.py"), *ui_root.rglob("*.py")]
        if "storage" not in path.parts
        and "hub" not in path.parts  # the hub's PostgreSQL SQL: counter/hub/ only
        and any(k in path.read_text(encoding="utf-8") for k in keywords)
    ]
    assert not offenders
