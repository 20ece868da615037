"""`make run`'s supervisor (bin/run): one signal stops web, worker and beat cleanly."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.embedded  # bin/run on a fresh SQLite site, whatever the pass's database


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _children_of(pid: int) -> set[int]:
    """The children of every thread of ``pid``; a thread or process that ends while we read has none."""
    found = set()
    try:
        tasks = list(Path(f"/proc/{pid}/task").iterdir())
    except FileNotFoundError:
        return found
    for task in tasks:
        try:
            found |= {int(child) for child in (task / "children").read_text().split()}
        except (FileNotFoundError, ProcessLookupError):
            continue
    return found


def _descendants_of(pid: int) -> set[int]:
    """Children, the server the autoreloader runs, the worker's pool processes."""
    found = set()
    for child in _children_of(pid):
        found |= {child} | _descendants_of(child)
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def _healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as answer:
            return answer.status == 200
    except OSError:
        return False


def _stop_if_running(supervisor: subprocess.Popen) -> None:
    """A failed test still stops bin/run and, through it, its children."""
    if supervisor.poll() is None:
        supervisor.terminate()
        try:
            supervisor.wait(timeout=90)
        except subprocess.TimeoutExpired:
            supervisor.kill()


@pytest.fixture(scope="module")
def run_env(tmp_path_factory) -> dict[str, str]:
    """A fresh SQLite site in a temporary var directory, as `make run` leaves it before bin/run."""
    var = tmp_path_factory.mktemp("var")
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(DEBUG="true", RENDEZ_VAR_DIR=str(var), RENDEZ_PORT=str(_free_port()))
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=300,
    )
    return env


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT])
def test_it_stops_web_worker_and_beat_cleanly_on_one_signal(run_env, tmp_path, stop_signal):
    port = int(run_env["RENDEZ_PORT"])
    log = (tmp_path / "run.log").open("w+")
    supervisor = subprocess.Popen(
        [sys.executable, "bin/run"], cwd=ROOT, env=run_env, stdout=log, stderr=subprocess.STDOUT
    )
    try:
        deadline = time.monotonic() + 90
        while not _healthy(port):
            assert supervisor.poll() is None and time.monotonic() < deadline, (
                "the site never answered /healthz"
            )
            time.sleep(0.5)
        time.sleep(3)  # the worker and beat finish starting
        assert len(_children_of(supervisor.pid)) == 4  # web, worker, mail worker, beat
        children = _descendants_of(supervisor.pid)

        supervisor.send_signal(stop_signal)
        code = supervisor.wait(timeout=90)
    finally:
        _stop_if_running(supervisor)
    log.seek(0)
    output = log.read()

    assert code == 0, output
    assert not [pid for pid in children if _alive(pid)]
    assert "signal 15" not in output and "SIGKILL" not in output and "killing" not in output
    assert "Warm shutdown" in output  # the worker finished what it held


def test_it_stops_the_others_when_one_of_them_dies(run_env, tmp_path):
    log = (tmp_path / "run.log").open("w+")
    supervisor = subprocess.Popen(
        [sys.executable, "bin/run"], cwd=ROOT, env=run_env, stdout=log, stderr=subprocess.STDOUT
    )
    try:
        deadline = time.monotonic() + 90
        while not _healthy(int(run_env["RENDEZ_PORT"])):
            assert time.monotonic() < deadline, "the site never answered /healthz"
            time.sleep(0.5)
        children = _descendants_of(supervisor.pid)
        beat = next(pid for pid in children if "beat" in Path(f"/proc/{pid}/cmdline").read_text())
        os.kill(beat, signal.SIGKILL)
        code = supervisor.wait(timeout=90)
    finally:
        _stop_if_running(supervisor)

    assert code == 1
    assert not [pid for pid in children if _alive(pid)]


def test_a_sigterm_to_make_run_stops_all_three(tmp_path):
    """make passes SIGTERM on to its child, which is bin/run itself (the recipe execs it)."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(DEBUG="true", RENDEZ_VAR_DIR=str(tmp_path / "var"), RENDEZ_PORT=str(_free_port()))
    log = (tmp_path / "make.log").open("w+")
    make = subprocess.Popen(
        ["make", "--no-print-directory", "run"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    try:
        deadline = time.monotonic() + 240
        while not _healthy(int(env["RENDEZ_PORT"])):
            assert make.poll() is None and time.monotonic() < deadline, "make run never answered /healthz"
            time.sleep(0.5)
        time.sleep(3)
        running = _descendants_of(make.pid)
        make.send_signal(signal.SIGTERM)
        make.wait(timeout=90)
    finally:
        if make.poll() is None:
            make.terminate()
            make.wait(timeout=90)
    log.seek(0)
    output = log.read()

    assert not [pid for pid in running if _alive(pid)], output[-3000:]
    assert "run: all stopped" in output
