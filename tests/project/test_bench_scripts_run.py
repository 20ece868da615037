"""The bench scripts still run against today's schema, at a fiftieth of a quick run's data, on the
embedded default: each exits 0 and writes its JSON line with its figures. Nothing here reads a
time: a bench that breaks (a column grown NOT NULL, a renamed function) fails here instead of in
the next `make bench`. The web bench (locust, gunicorn, seconds a page) and the automation bench
(PostgreSQL and Redis workers) are left to `make bench`."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]
SCRIPTS = ["availability", "dispatch", "loyalty", "history"]

pytestmark = pytest.mark.embedded


@pytest.mark.parametrize("script", SCRIPTS)
def test_the_bench_script_runs_and_records_its_figures(script, tmp_path):
    results = tmp_path / "results.jsonl"
    environment = {
        **{
            k: v
            for k, v in os.environ.items()
            if k not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")
        },
        "DEBUG": "true",
        "BENCH_RESULTS": str(results),
        "BENCH_RUN_ID": "smoke",
    }
    extra = ["--repeat", "2"]
    finished = subprocess.run(
        [sys.executable, f"bench/{script}.py", "--quick", "--scale", "0.02", *extra],
        cwd=PROJECT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert finished.returncode == 0, finished.stdout[-2000:] + finished.stderr[-3000:]
    (line,) = [json.loads(text) for text in results.read_text().splitlines()]
    assert (line["bench"], line["run"], line["backend"]) == (script, "smoke", "embedded")
    assert line["figures"] and all(figure["median"] >= 0 for figure in line["figures"])
