"""No process of a run outlives it: not after a normal exit, not after SIGKILL of the run
while its tearsheet workers are busy (issue 11). Each run starts in its own session, so its
processes are exactly those of its process group (read from /proc)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
import yaml
from conftest import REPO

from catalystlab.report.tearsheet_batch import remove_abandoned_scratch

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")

CONFIG = {
    "name": "hygiene",
    "start": "2019-01-02",
    "cash": 10000,
    "costs": {"commission": 0.0, "slippage": 0.0},
    "benchmark": "SPY",
    "strategies": [
        {"id": f"hold_{t.lower()}", "kind": "buy_and_hold", "ticker": t}
        for t in ("AAA", "BBB", "CCC", "SPY")
    ],
}
PATIENCE = 120.0  # seconds a step may take on a loaded machine before the test gives up


def _group(pgid: int) -> list[int]:
    """Live (not zombie) processes whose process group is ``pgid``."""
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            members.append(int(stat.parent.name))
    return members


def _wait_until(condition, what: str) -> None:
    deadline = time.monotonic() + PATIENCE
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"gave up waiting: {what}")
        time.sleep(0.1)


@pytest.fixture
def start_run(tmp_path, price_folder):
    data = price_folder(("AAA", "BBB", "CCC", "SPY"), days=600)
    config = tmp_path / "hygiene.yaml"
    config.write_text(yaml.safe_dump(CONFIG))
    out = tmp_path / "results"
    scratch = tmp_path / "tmp"  # the run's temporary folder, where tearsheets are drawn
    scratch.mkdir()
    started = []

    def start() -> subprocess.Popen:
        command = [sys.executable, str(REPO / "runner.py"), "run", str(config)]
        command += ["--data-dir", str(data), "--out", str(out), "--quiet"]
        process = subprocess.Popen(
            command,
            cwd=REPO,
            start_new_session=True,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env={**os.environ, "TMPDIR": str(scratch)},
        )
        started.append(process)
        return process

    yield start, out, scratch
    for process in started:  # a failed test leaves nothing running either
        for pid in _group(process.pid):
            os.kill(pid, signal.SIGKILL)
        process.wait()


def test_sigkill_while_tearsheets_are_written_leaves_no_process(start_run, monkeypatch):
    start, out, scratch = start_run
    run = start()
    # The workers are forked as the run starts and draw each tearsheet once its backtest is
    # done: the first page written means they are busy with the others.
    _wait_until(lambda: list(scratch.glob("catalystlab-tearsheets-*/*.html")), "a tearsheet")
    assert len(_group(run.pid)) > 1
    os.kill(run.pid, signal.SIGKILL)
    run.wait()
    _wait_until(lambda: not _group(run.pid), "every process of the killed run to exit")
    # Nothing half-written under the run's name (report/folder.py may leave the empty
    # folder that reserved the name; its staging folder goes with the next run).
    assert not out.exists() or not [
        p for p in out.iterdir() if not p.name.startswith(".") and any(p.iterdir())
    ]
    # The killed run's temporary tearsheets go when the next run starts its own.
    (abandoned,) = scratch.glob(f"catalystlab-tearsheets-{run.pid}-*")
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    assert remove_abandoned_scratch() == [abandoned]
    assert not abandoned.exists()


def test_a_closed_terminal_while_tearsheets_are_written_leaves_nothing(start_run):
    # Closing the terminal sends SIGHUP: the run unwinds like an interrupted one, so its
    # staging folder is removed and no half-written folder (or process) is left.
    start, out, scratch = start_run
    run = start()
    _wait_until(lambda: list(scratch.glob("catalystlab-tearsheets-*/*.html")), "a tearsheet")
    os.kill(run.pid, signal.SIGHUP)
    assert run.wait(timeout=PATIENCE) == 130
    _wait_until(lambda: not _group(run.pid), "every process of the run to exit")
    assert not out.exists() or not [p for p in out.iterdir() if any(p.iterdir())]


def test_after_a_normal_exit_nothing_lingers(start_run):
    start, out, scratch = start_run
    run = start()
    stdout, _ = run.communicate(timeout=10 * PATIENCE)
    assert run.returncode == 0
    assert _group(run.pid) == []  # checked at once: nothing is left even for a moment
    (folder,) = [p for p in out.iterdir() if not p.name.startswith(".")]
    assert stdout.decode().strip() == str(folder)
    assert len(list((folder / "tearsheets").glob("*.html"))) == 4
    assert not list(scratch.iterdir())  # the temporary tearsheets were moved, not copied


def test_pool_workers_blocked_on_a_task_die_with_their_parent():
    # A parent killed outright while its workers sleep in a task: they go too.
    script = (
        "import os, signal, sys, time\n"
        "from catalystlab.report.workers import run_in_pool, worker_pool\n"
        "with worker_pool(2) as pool:\n"
        "    run_in_pool(pool, time.sleep, [((60,), {}), ((60,), {})])\n"
        "    time.sleep(1)\n"
        "    print(' '.join(str(p.pid) for p in pool._pool), flush=True)\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    parent = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, timeout=PATIENCE, capture_output=True
    )
    assert parent.returncode == -signal.SIGKILL
    pids = [int(pid) for pid in parent.stdout.split()]
    assert len(pids) == 2

    def gone(pid: int) -> bool:
        stat = Path(f"/proc/{pid}/stat")
        return not stat.exists() or stat.read_text().rsplit(")", 1)[1].split()[0] == "Z"

    _wait_until(lambda: all(gone(pid) for pid in pids), "the orphaned workers to exit")


def test_children_terminated_while_starting_end_even_under_the_run_s_sigterm_handler():
    # The command line turns SIGTERM into KeyboardInterrupt (cli.py). A child forked with that
    # handler and terminated before it has set its own used to raise in its start-up code and
    # could hang there, and its parent with it (1 run in 3 of the bad-config tests).
    script = (
        "import signal, time\n"
        "from catalystlab.report.workers import bound_process, worker_pool\n"
        "def stop(signum, frame):\n"
        "    raise KeyboardInterrupt\n"
        "signal.signal(signal.SIGTERM, stop)\n"
        "for _ in range(40):\n"
        "    for start in (lambda: bound_process(time.sleep, (30,)), lambda: worker_pool(2)):\n"
        "        try:\n"
        "            with start():\n"
        "                raise RuntimeError('a bad config, found at once')\n"
        "        except RuntimeError:\n"
        "            pass\n"
        "print('done')\n"
    )
    finished = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, timeout=PATIENCE, capture_output=True
    )
    assert finished.stdout.decode().strip() == "done"
