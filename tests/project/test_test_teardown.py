"""`make test` leaves no test.sqlite3-wal / -shm behind, even when a thread still holds its
connection at the end of the session (tests/conftest.py closes it before the file goes)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.embedded
def test_a_session_leaves_no_sqlite_file_behind(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(DEBUG="true", RENDEZ_VAR_DIR=str(tmp_path))
    session = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "tests/project/teardown_probe.py",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert session.returncode == 0, session.stdout + session.stderr
    assert sorted(path.name for path in tmp_path.glob("test.sqlite3*")) == []
