"""``counter bench``: builds or reuses the bench file, runs the domain measurements
(``counter.bench``) and the ones that need Qt, and prints the result table.

Qt side:
- keystroke to painted rows: names typed letter by letter into the real main window (its
  search panel, its threaded ``TaskRunner``, its event filters), Latin keys through the window
  as a person's arrive; each keystroke is timed until its results are shown and the event
  loop has repainted the list (its viewport's paint event, and the rest of that update,
  done), the paint a person waits for;
- start-up: a fresh ``python -m ui.main --db FILE run`` process until its first window is up
  and the event loop idle (``ui.ready_probe``), against a fresh process that shows a bare
  ``QMainWindow``; and the peak memory (max RSS) of each.
"""

from __future__ import annotations

import argparse
import os
import platform
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

from platformdirs import user_cache_path
from PySide6.QtCore import QEvent, QEventLoop, QObject, QTimer

from counter.backup import DAILY, backup_folder, parse_backup_name, run_daily_backup
from counter.bench import dataset, measure
from counter.bench.table import Result, format_table
from counter.bench.timing import Stats
from counter.bench.workload import name_sequences
from counter.cli import BENCH_PARTS
from counter.storage import open_database
from ui import ready_probe

if TYPE_CHECKING:
    from ui.counter_view.search_panel import SearchPanel

QUICK_SIZE = (10_000, 50_000)
FULL_SIZE = (1_000_000, 5_000_000)
PAINT_TARGET_MS = 16.0
STARTUP_FACTOR = 2.0
RSS_FACTOR = 2.0
_BARE_WINDOW = (
    "import sys\n"
    "from PySide6.QtWidgets import QApplication, QMainWindow\n"
    "from ui import ready_probe\n"
    "app = QApplication(sys.argv)\n"
    "window = QMainWindow()\n"
    "window.resize(1100, 680)\n"
    "window.show()\n"
    "ready_probe.watch(window)\n"
    "sys.exit(app.exec())\n"
)


def default_path(customers: int, visits: int) -> Path:
    """Bench files live in the user's cache folder, never next to the store's database."""
    return user_cache_path("Counter", appauthor=False) / f"bench-{customers}-{visits}.db"


def _log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# keystroke -> painted ------------------------------------------------------------------------
def _quiet_offscreen(mode, context, message: str) -> None:
    # The offscreen platform says this for every window it shows; anything else gets through.
    if "propagateSizeHints" not in message:
        print(message, file=sys.stderr)


class _PaintedAnswers(QObject):
    """When the search panel's answer to a text is on screen: shown (``results_shown``), then
    the list repainted by the event loop, as for the person at the counter (only the list's
    viewport is watched: a filter on the whole application would run Python for every
    event). A key typed through the window may deliver both before ``wait`` even runs."""

    TIMEOUT_MS = 10_000  # never hang the bench on a lost signal

    def __init__(self, panel: SearchPanel):
        super().__init__(panel)
        self._loop = QEventLoop()
        self._text: str | None = None
        self._shown = False
        self._painted_at: int | None = None
        panel.results_shown.connect(self._results_shown)
        panel.view.viewport().installEventFilter(self)

    def expect(self, text: str) -> None:
        self._text, self._shown, self._painted_at = text, False, None

    def wait(self) -> int:
        """When the awaited answer was painted (``perf_counter_ns``)."""
        timeout = QTimer(self, singleShot=True)
        timeout.timeout.connect(self._loop.quit)
        timeout.start(self.TIMEOUT_MS)
        while self._painted_at is None and timeout.isActive():
            self._loop.exec()
        timeout.stop()
        if self._painted_at is None:
            raise RuntimeError(f"the results of {self._text!r} were never painted")
        return self._painted_at

    def _results_shown(self, text: str) -> None:
        if text == self._text:
            self._shown = True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self._shown and event.type() == QEvent.Type.Paint:
            self._shown = False
            # Runs once this paint, and the rest of the window's update it belongs to (the
            # status line, the box), is done.
            QTimer.singleShot(0, self._painted)
        return False

    def _painted(self) -> None:
        if self._painted_at is None:
            self._painted_at = time.perf_counter_ns()
        self._loop.quit()


def _own_settings_folder() -> tuple[str, str]:
    """The variable that says where the app keeps its settings, and a new folder for it: the
    bench's windows keep their sizes there, never in the person's own settings."""
    from ui.window_state import ENV

    return ENV, tempfile.mkdtemp(prefix="counter-bench-settings-")


def measure_typing(path: Path, bench: dataset.BenchData, plan: measure.Plan) -> Result:
    from PySide6.QtCore import qInstallMessageHandler
    from PySide6.QtGui import QInputMethodEvent
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from counter.settings import read_settings_file
    from ui.i18n import UiLanguage
    from ui.main_window import DEFERRED_PANELS, MainWindow
    from ui.tasks import TaskRunner

    app = QApplication.instance() or QApplication([])
    language = UiLanguage(app)
    language.set_language("en")
    previous_handler = qInstallMessageHandler(_quiet_offscreen)
    db = open_database(path, migrate=False)
    try:
        customers = measure.sample_customers(db, plan.ui_names, bench.seed + 11)
    finally:
        db.close()
    sequences = name_sequences(customers, bench.seed + 12)
    settings_env, settings_folder = _own_settings_folder()
    previous_settings = os.environ.get(settings_env)
    os.environ[settings_env] = settings_folder
    runner = TaskRunner(lambda: open_database(path, migrate=False))
    # The real main window, as the app shows it: its event filters (the idle lock watches
    # every event of the application), its typing guard, the queue beside the list.
    window = MainWindow(runner, read_settings_file(path), language, db_path=path)
    window.resize(1100, 680)
    window.show()
    window.activateWindow()
    panel = window.search
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not (
        all(window.panel_built(name) for name in DEFERRED_PANELS)
        and QApplication.focusWidget() is panel.box
    ):  # painted, the panels built after the first paint, the search box focused
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
    answers = _PaintedAnswers(panel)

    def clear() -> None:
        if panel.box.text():  # clearing an empty box searches nothing
            answers.expect("")
            panel.box.clear()
            answers.wait()

    def type_key(char: str) -> None:
        """A key as a person's reaches the app: a Latin one through the window (shortcuts,
        the window's filters, then the focused widget); any other as an input method commits
        it, to whatever has the focus."""
        if char.isascii() and char.isprintable():
            QTest.keyClick(window.windowHandle(), char)  # type: ignore[call-overload]
        else:
            event = QInputMethodEvent("", [])
            event.setCommitString(char)
            QApplication.sendEvent(QApplication.focusObject(), event)

    times: list[float] = []
    try:
        if QApplication.focusWidget() is not panel.box:
            raise RuntimeError("the search box never got the focus")
        for sequence in sequences:
            clear()
            for text in sequence:
                answers.expect(text)
                start = time.perf_counter_ns()
                type_key(text[-1])
                if panel.box.text() != text:
                    raise RuntimeError(f"typed {text!r}, the box says {panel.box.text()!r}")
                times.append((answers.wait() - start) / 1e6)
    finally:
        runner.shutdown()
        window.close()
        window.deleteLater()
        app.processEvents()
        qInstallMessageHandler(previous_handler)
        if previous_settings is None:
            os.environ.pop(settings_env, None)
        else:
            os.environ[settings_env] = previous_settings
    stats = Stats.of(times)
    return Result(
        "keystroke → rows painted (real search panel)",
        stats,
        target=f"p95 ≤ {PAINT_TARGET_MS:g} ms",
        met=stats.p95 <= PAINT_TARGET_MS,
        note=f"{len(sequences)} names typed into the main window offscreen, letter by letter "
        "(Latin keys through the window, others as an input method commits them), threaded "
        "task runner, timed until the results are shown and the event loop has painted the list",
    )


# start-up and memory -------------------------------------------------------------------------
def _one_start(argv: list[str], env: dict[str, str]) -> tuple[float, float | None, float]:
    """One fresh process: seconds to the first idle window, seconds to the first search
    answered (the app only) and the peak RSS in MB, as the child measured them itself (a
    fork's copy of this big process is not counted)."""
    start = time.time()
    process = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert process.stdout is not None
    marks: dict[str, tuple[float, float]] = {}
    for raw in process.stdout:
        words = raw.decode(errors="replace").split()
        if len(words) == 3 and words[0] in (ready_probe.MARK, ready_probe.SEARCH_MARK):
            marks[words[0]] = (float(words[1]), float(words[2]))
    process.wait()
    if ready_probe.MARK not in marks:
        raise RuntimeError(f"{argv[1:3]} never showed a window (exit {process.returncode})")
    ready, rss = marks[ready_probe.MARK]
    searched = marks.get(ready_probe.SEARCH_MARK)
    if searched is not None:
        rss = max(rss, searched[1])
    return ready - start, None if searched is None else searched[0] - start, rss


def _remove_new_daily_backups(folder: Path, before: set[Path]) -> None:
    """The app's daily backups of the bench file (gigabytes at full size) that these runs
    wrote; nothing that was there before."""
    if folder.is_dir():
        for file in set(folder.iterdir()) - before:
            parsed = parse_backup_name(file.name)
            if parsed is not None and parsed.kind == DAILY:
                file.unlink(missing_ok=True)


def measure_startup(path: Path, plan: measure.Plan) -> list[Result]:
    env = {**os.environ}
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    # The warm-up start writes the window and column sizes, the measured starts read them, as
    # a person's second start would.
    settings_env, settings_folder = _own_settings_folder()
    env.setdefault(settings_env, settings_folder)
    # An installed app runs from compiled bytecode; with this set, every start would compile
    # Counter's own modules afresh (the first, warm-up start writes the .pyc files).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    root = str(Path(__file__).resolve().parent.parent)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH", "")) if p)
    app_env = {**env, ready_probe.ENV_VAR: "search"}
    bare_env = {**env, ready_probe.ENV_VAR: "1"}
    app = [sys.executable, "-m", "ui.main", "--db", str(path), "run"]
    bare = [sys.executable, "-c", _BARE_WINDOW]
    backups = backup_folder(path)
    before = set(backups.iterdir()) if backups.is_dir() else set()
    try:
        # The day's backup first, as the day's first start takes it: the starts measured are
        # the day's later ones, which copy nothing (a copy of gigabytes on its own thread
        # would compete with every start measured, and be cancelled as each one quits).
        db = open_database(path, migrate=False)
        try:
            run_daily_backup(db, backups, now=int(time.time()))
        finally:
            db.close()
        _one_start(bare, bare_env)  # warm the disk cache for both
        _one_start(app, app_env)
        app_runs, bare_runs = [], []
        for _ in range(plan.startups):  # alternate, so machine noise hits both alike
            bare_runs.append(_one_start(bare, bare_env))
            app_runs.append(_one_start(app, app_env))
    finally:
        _remove_new_daily_backups(backups, before)
    bare_startup = Stats.of(t * 1000 for t, _, _ in bare_runs)
    startup = Stats.of(t * 1000 for t, _, _ in app_runs)
    first_search = Stats.of(s * 1000 for _, s, _ in app_runs if s is not None)
    rss = Stats.of(m for _, _, m in app_runs)
    bare_rss = Stats.of(m for _, _, m in bare_runs)
    limit = STARTUP_FACTOR * bare_startup.median
    return [
        Result(
            "start-up to a usable window (fresh process)",
            startup,
            baseline=bare_startup,
            target=f"≤ {STARTUP_FACTOR:g}× bare window",
            met=startup.median <= limit,
            compare="of bare",
            note="python -m ui.main --db FILE run until the first window is exposed and the "
            "event loop idle; baseline: a bare QMainWindow in a fresh process (medians)",
        ),
        Result(
            "start-up to the first search answered",
            first_search,
            baseline=bare_startup,
            target=f"≤ {STARTUP_FACTOR:g}× bare window",
            met=first_search.median <= limit,
            compare="of bare",
            note="a search submitted the moment the window is ready waits behind whatever "
            "start-up work the database worker was given first",
        ),
        Result(
            "peak memory (max RSS) at start-up",
            rss,
            unit="MB",
            baseline=bare_rss,
            target=f"≤ {RSS_FACTOR:g}× bare window",
            met=rss.median <= RSS_FACTOR * bare_rss.median,
            compare="of bare",
            note="VmHWM of each process when its window is ready (the app: after its first search)",
        ),
    ]


def _warm_file_cache(path: Path) -> None:
    """Read the bench file once through, so the OS file cache holds it as it holds the
    database of a counter that has been running: the measurements are of Counter's work,
    not of the disk's first reads (a second read costs a second or so)."""
    started = time.perf_counter()
    with open(path, "rb", buffering=0) as file:
        while file.read(64 * 1024 * 1024):
            pass
    _log(f"file cache warmed in {time.perf_counter() - started:.1f} s")


WARM_NOTE = (
    "before each database-side part the bench file is read once through, so the OS file "
    "cache holds it as on a counter that has been running"
)


# the command ------------------------------------------------------------------------------
def run_bench(args: argparse.Namespace) -> int:
    quick = bool(getattr(args, "quick", False))
    customers, visits = QUICK_SIZE if quick else FULL_SIZE
    customers = args.customers or customers
    visits = args.visits if args.visits is not None else visits
    if customers < 1 or visits < 10:
        print("counter bench: --customers must be ≥ 1 and --visits ≥ 10.", file=sys.stderr)
        return 2
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    path = Path(args.bench_db or args.db or default_path(customers, visits)).expanduser()
    plan = measure.QUICK if quick else measure.FULL
    _log(f"bench file {path} ({customers:,} customers, {visits:,} visits)")
    try:
        bench = dataset.build_or_reuse(path, customers=customers, visits=visits, progress=_log)
    except FileExistsError as error:
        print(f"counter bench: {error}", file=sys.stderr)
        return 1
    _log("reused" if bench.reused else f"built in {bench.build_seconds:.0f} s")
    parts = set(getattr(args, "only", None) or BENCH_PARTS)
    db = open_database(path)
    results: list[Result] = []
    notes: list[str] = []
    try:
        if parts & {"search", "customer", "dashboard", "typing"}:
            notes.append(WARM_NOTE)
        if "search" in parts:
            _warm_file_cache(path)
            _log("search")
            results += measure.search(db, bench, plan)
        if "customer" in parts:
            _log("open a customer")
            results.append(measure.open_customer(db, bench, plan))
        if "dashboard" in parts:
            _warm_file_cache(path)
            _log("dashboard")
            dashboard = measure.dashboard(db, bench, plan)
            if isinstance(dashboard, str):
                notes.append(dashboard)
            else:
                results.append(dashboard)
    finally:
        db.close()
    if "typing" in parts:
        _warm_file_cache(path)
        _log("keystroke to painted rows")
        results.append(measure_typing(path, bench, plan))
    # The import before the start-ups: an app's first start of the day writes a backup of the
    # whole file, and the disk would still be busy with it.
    imported: Result | str | None = None
    if "import" in parts:
        _log("import")
        imported = measure.import_csv(path.parent, customers if quick else 1_000_000, bench.seed)
    if "startup" in parts:
        _log("start-up and memory")
        results += measure_startup(path, plan)
    if isinstance(imported, str):
        notes.append(imported)
    elif imported is not None:
        results.append(imported)
    if "sync" in parts:
        from counter.bench import sync as sync_bench

        def while_syncing(counter: Path) -> list[Result]:
            # The same rows as above, on a joined counter that holds the bench's data.
            _warm_file_cache(counter)
            synced_db = open_database(counter, migrate=False)
            try:
                rows = measure.search(synced_db, bench, plan)
                rows.append(measure.open_customer(synced_db, bench, plan))
            finally:
                synced_db.close()
            rows.append(measure_typing(counter, bench, plan))
            return rows

        synced = sync_bench.measure(
            path.parent,
            bench,
            trials=10 if quick else 40,
            log=_log,
            while_syncing=while_syncing,
        )
        if isinstance(synced, str):
            notes.append(synced)
        else:
            results += synced
    if "office" in parts:
        from counter.bench import office as office_bench

        per_store = office_bench.FULL_VISITS_PER_STORE if not quick else 2_000
        per_store = int(os.environ.get("COUNTER_BENCH_OFFICE_VISITS", per_store))
        chain = office_bench.measure(
            visits_per_store=per_store, trials=10 if quick else 40, log=_log
        )
        if isinstance(chain, str):
            notes.append(chain)
        else:
            results += chain
    print(format_table(results, _title(bench, quick)))
    for note in notes:
        print(f"- {note}")
    return 0


def _title(bench: dataset.BenchData, quick: bool) -> str:
    from PySide6 import __version__ as pyside

    built = "reused" if bench.reused else f"built in {bench.build_seconds:.0f} s"
    return (
        f"counter bench{' --quick' if quick else ''}: {bench.customers:,} customers, "
        f"{bench.visits:,} visits over two years ({built}); {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
        f"PySide6 {pyside}\n"
    )
