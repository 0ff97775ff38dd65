"""An assistive-technology client: walks Counter's accessibility tree over AT-SPI, as a screen
reader does, and reports every focusable control that has no name.

Runs with the system Python that has ``pyatspi`` (Debian's python3-pyatspi), inside a D-Bus
session whose AT-SPI bus Qt joins (tests/ui/test_atspi_walk.py starts both):

    atspi_walk.py PYTHON APP_SCRIPT

starts ``PYTHON APP_SCRIPT`` (tests/ui/atspi_app.py), and for each ``STATE <name>`` it prints
walks the app's windows, then answers with a line. Prints one JSON object per control found
(``{"state", "role", "name", "description", "focusable", "showing", "path"}``; a focused table
or list adds its focused item, with ``"focused_item": true``) and a summary; exits 1 when a
showing, focusable control (or a focused item) has no name, 2 when the app never appeared.
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import time

import pyatspi

# Their children are rows and cells: the container's own name is what is checked here (the
# cells speak their data; walking thousands of them over D-Bus is slow and proves nothing).
CONTAINERS = {
    pyatspi.ROLE_TABLE,
    pyatspi.ROLE_TREE_TABLE,
    pyatspi.ROLE_LIST,
    pyatspi.ROLE_LIST_BOX,
    pyatspi.ROLE_TREE,
    pyatspi.ROLE_MENU,
}
# Parts of a control that take its name (a combo box's list, a spin box's text).
PARTS_OF = {pyatspi.ROLE_COMBO_BOX, pyatspi.ROLE_SPIN_BUTTON, pyatspi.ROLE_SCROLL_BAR}


def speaks_its_purpose(item: dict) -> bool:
    """A name; for a combo box, whose AT-SPI name Qt on Linux makes its current value
    ("Everyone", see ui/accessible.py), a label it is labelled by (Orca reads "Staff:
    Everyone") and a description saying the same (for a client that reads no relations)."""
    if item["role"] == "combo box":
        return bool(item["labelled_by"] and item["description"].strip())
    return bool(item["name"].strip())


def focused_cell(node):
    """The item with the focus inside a focused table or list: what a screen reader announces
    when the focus lands there (the selected rows first, then the first children)."""
    candidates = []
    try:
        table = node.queryTable()
        for row in table.getSelectedRows():
            candidates += [table.getAccessibleAt(row, c) for c in range(table.nColumns)]
    except Exception:  # not a table
        pass
    for index in range(min(node.childCount, 400)):
        if len(candidates) > 400:
            break
        with contextlib.suppress(Exception):
            candidates.append(node.getChildAtIndex(index))
    for cell in candidates:
        with contextlib.suppress(Exception):
            if cell is not None and cell.getState().contains(pyatspi.STATE_FOCUSED):
                return cell
    return None


def has_rows(node) -> bool:
    """A table or list with items in it (an empty one is announced by its own name)."""
    try:
        return node.queryTable().nRows > 0
    except Exception:
        return node.childCount > 0


def find_app(pid: int, timeout: float = 60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        desktop = pyatspi.Registry.getDesktop(0)
        for index in range(desktop.childCount):
            app = desktop.getChildAtIndex(index)
            try:
                if app is not None and app.get_process_id() == pid:
                    return app
            except Exception:  # an app leaving the bus while we look
                continue
        time.sleep(0.2)
    return None


def walk(node, path, state, found, depth=0):
    if node is None or depth > 60:
        return
    try:
        role = node.getRole()
        states = node.getState()
        name = node.name or ""
        description = node.description or ""
        role_name = node.getRoleName()
    except Exception:  # a node gone while walked
        return
    focusable = states.contains(pyatspi.STATE_FOCUSABLE)
    labelled_by = []
    if focusable:
        try:
            for relation in node.getRelationSet():
                if relation.getRelationType() == pyatspi.RELATION_LABELLED_BY:
                    labelled_by += [
                        relation.getTarget(i).name for i in range(relation.getNTargets())
                    ]
        except Exception:
            pass
    showing = states.contains(pyatspi.STATE_SHOWING)
    if not showing and depth > 1:
        return  # a page of another tab, a hidden panel: walked when it shows
    here = f"{path}/{role_name}" + (f"[{name}]" if name else "")
    if focusable or role in CONTAINERS or role == pyatspi.ROLE_CHART or description:
        found.append(
            {
                "state": state,
                "role": role_name,
                "name": name,
                "description": description,
                "labelled_by": [text for text in labelled_by if text],
                "focusable": focusable,
                "showing": showing,
                "path": here,
            }
        )
    focused_container = role in CONTAINERS and states.contains(pyatspi.STATE_FOCUSED)
    cell = focused_cell(node) if focused_container else None
    if cell is not None or (focused_container and has_rows(node)):
        found.append(
            {
                "state": state,
                "role": cell.getRoleName() if cell is not None else "(no focused item)",
                "name": (cell.name or "") if cell is not None else "",
                "description": (cell.description or "") if cell is not None else "",
                "labelled_by": [],
                "focusable": True,
                "showing": True,
                "focused_item": True,
                "path": f"{here}/(focused item)",
            }
        )
    if role in CONTAINERS or role in PARTS_OF:
        return
    for index in range(node.childCount):
        try:
            child = node.getChildAtIndex(index)
        except Exception:
            continue
        walk(child, here, state, found, depth + 1)


def main() -> int:
    python, script = sys.argv[1], sys.argv[2]
    app_process = subprocess.Popen(
        [python, script], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    unnamed = []
    walked = 0
    states = 0
    try:
        app = None
        for line in app_process.stdout:
            line = line.strip()
            if line == "DONE":
                break
            if not line.startswith("STATE "):
                print(line)
                continue
            state, *titles = line[len("STATE ") :].split("\t")
            states += 1
            if app is None:
                app = find_app(app_process.pid)
                if app is None:
                    print("walk: Counter never appeared on the AT-SPI bus", flush=True)
                    return 2
            started = time.monotonic()
            found = []
            for index in range(app.childCount):
                window = app.getChildAtIndex(index)
                if window is not None and (not titles or window.name in titles):
                    walk(window, "", state, found)
            for item in found:
                print(json.dumps(item, ensure_ascii=False), flush=True)
                if item["focusable"] and item["showing"] and not speaks_its_purpose(item):
                    unnamed.append(item)
            print(f"walk: {state}: {time.monotonic() - started:.1f} s", flush=True)
            walked += sum(1 for item in found if item["focusable"] and item["showing"])
            app_process.stdin.write("next\n")
            app_process.stdin.flush()
    finally:
        with contextlib.suppress(OSError):
            app_process.stdin.close()
        try:
            app_process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            app_process.kill()
    print(f"walk: {states} screens, {walked} focusable controls showing, {len(unnamed)} unnamed")
    for item in unnamed:
        print(f"UNNAMED {item['state']}: {item['role']} at {item['path']}")
    if states == 0:
        return 2
    return 1 if unnamed else 0


if __name__ == "__main__":
    sys.exit(main())
