"""A signal connected to a method with an optional argument fills that argument with its own:
``clicked(bool)`` arrived as ``print_report``'s path (a TypeError), as the note of a closed
follow-up (``False``) and as ``focus_search``'s ``select_all``. PySide6 passes as many of the
signal's arguments as the slot can take. This walks every ``connect`` in ui/ and refuses a
slot that has optional positional parameters, and a lambda on a signal that carries
``checked`` whose first parameter is a captured default instead of a place for ``checked``."""

from __future__ import annotations

import ast
from pathlib import Path

import ui

UI = Path(ui.__file__).parent
# Signals whose argument is easy to forget: clicked(bool), triggered(bool), toggled(bool).
CHECKED_SIGNALS = {"clicked", "triggered", "toggled"}


def _optional_positional(fn: ast.FunctionDef) -> list[str]:
    positional = [*fn.args.posonlyargs, *fn.args.args]
    defaults = len(fn.args.defaults)
    return [a.arg for a in positional[len(positional) - defaults :]] if defaults else []


def _functions() -> dict[str, list[tuple[str, ast.FunctionDef]]]:
    """Every function and method defined in ui/, by name (with its class, or '')."""
    found: dict[str, list[tuple[str, ast.FunctionDef]]] = {}
    for path in UI.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                for item in node.body:
                    if isinstance(item, ast.FunctionDef):
                        found.setdefault(item.name, []).append((node.name, item))
    return found


def _connections():
    """(where, signal name, slot expression, enclosing class name) for each ``.connect(x)``."""
    for path in sorted(UI.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for cls in [n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)] + [tree]:
            name = cls.name if isinstance(cls, ast.ClassDef) else ""
            for node in ast.walk(cls):
                if not (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "connect"
                    and node.args
                ):
                    continue
                signal = node.func.value
                signal_name = signal.attr if isinstance(signal, ast.Attribute) else ""
                where = f"{path.relative_to(UI.parent)}:{node.lineno}"
                yield where, signal_name, node.args[0], name


def test_no_slot_has_an_optional_argument_a_signal_could_fill():
    functions = _functions()
    offenders = set()
    for where, signal, slot, cls in _connections():
        if isinstance(slot, ast.Attribute):
            candidates = functions.get(slot.attr, [])
            if isinstance(slot.value, ast.Name) and slot.value.id == "self":
                own = [c for c in candidates if c[0] == cls]
                candidates = own or candidates
            for owner, fn in candidates:
                optional = _optional_positional(fn)
                if optional:
                    offenders.add(f"{where}: {signal} -> {owner}.{fn.name}({', '.join(optional)}=)")
        elif isinstance(slot, ast.Lambda) and signal in CHECKED_SIGNALS:
            params = [*slot.args.posonlyargs, *slot.args.args]
            if params and slot.args.defaults and len(slot.args.defaults) == len(params):
                first = params[0].arg
                if not first.startswith("_") and first != "checked":
                    offenders.add(f"{where}: {signal} -> lambda {first}=... gets `checked`")
    assert not offenders, "\n".join(sorted(offenders))


def test_no_signal_is_connected_to_another_signals_emit():
    """``button.clicked.connect(self.done.emit)``: PySide6 picks ``clicked()`` for a slot it
    cannot count the arguments of, so ``done(bool)`` was emitted with none (a TypeError in
    the event loop, and the complaint switch never saved). Connect the signals themselves
    (``button.clicked.connect(self.done)``) or a lambda that says what it passes."""
    offenders = [
        f"{where}: {signal} -> ….{slot.attr}"
        for where, signal, slot, _cls in _connections()
        if isinstance(slot, ast.Attribute) and slot.attr == "emit"
    ]
    assert not offenders, "\n".join(offenders)
