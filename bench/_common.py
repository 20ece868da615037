"""What every bench script shares: sizes, a throw-away database, timing, and the JSON line.

Each script builds its data in a database of its own (Django's test-database machinery:
a temporary SQLite file, or ``rendez_bench_<name>_<pid>`` on PostgreSQL, dropped at the
end), so a bench never touches your data. Every figure sits beside a floor measured in the
same run, and one JSON line per run is printed and appended to ``var/bench/results.jsonl``;
``bench/report.py`` turns the lines of one run (``BENCH_RUN_ID``) into the summary table.
"""

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
RESULTS = Path(os.environ.get("BENCH_RESULTS") or PROJECT / "var" / "bench" / "results.jsonl")
QUICK_FACTOR = 0.1


def add_size_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--quick", action="store_true", help="a tenth of the data and fewer repeats")
    parser.add_argument("--scale", type=float, default=1, help="multiply the data (growth: --scale 10)")


def size_factor(args: argparse.Namespace) -> float:
    """How much data, relative to the sizes the issue names: ``--scale`` × (a tenth with ``--quick``)."""
    return args.scale * (QUICK_FACTOR if args.quick else 1)


def sized(count: int, args: argparse.Namespace, *, least: int = 1) -> int:
    return max(least, round(count * size_factor(args)))


def setup_django(scratch: str) -> None:
    """Django on ``DATABASE_URL`` (SQLite in ``scratch`` when unset), logs and files in ``scratch``."""
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = f"sqlite:///{scratch}/bench.sqlite3"
    os.environ["RENDEZ_VAR_DIR"] = scratch
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if str(PROJECT) not in sys.path:
        sys.path.insert(0, str(PROJECT))
    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False  # DEBUG keeps every query's SQL in memory


@contextmanager
def bench_database(name: str):
    """A scratch directory and a database of the bench's own for the ``with`` block; yields the
    scratch directory. Both are removed afterwards, whatever happens."""
    with tempfile.TemporaryDirectory(prefix=f"rendez-bench-{name}-") as scratch:
        setup_django(scratch)
        from django.db import connection

        on_sqlite = connection.vendor == "sqlite"
        test_name = f"{scratch}/bench-test.sqlite3" if on_sqlite else f"rendez_bench_{name}_{os.getpid()}"
        connection.settings_dict["TEST"]["NAME"] = test_name
        original_name = connection.settings_dict["NAME"]  # create_test_db returns the test name
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        try:
            yield Path(scratch)
        finally:
            connection.close()
            connection.creation.destroy_test_db(original_name, verbosity=0)


def database_url() -> str:
    """A URL for the database Django is on now (the bench's own), for child processes."""
    from django.db import connection

    settings_dict = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings_dict['NAME']}"
    auth = settings_dict["USER"] + (f":{settings_dict['PASSWORD']}" if settings_dict["PASSWORD"] else "")
    return (
        f"postgres://{auth}@{settings_dict['HOST'] or '127.0.0.1'}:{settings_dict['PORT'] or 5432}/"
        f"{settings_dict['NAME']}"
    )


def backend() -> str:
    """``embedded`` (SQLite, filesystem broker) or ``pg+redis``; the name the table uses."""
    from django.db import connection

    return "embedded" if connection.vendor == "sqlite" else "pg+redis"


def timed(action, repeat: int) -> list[float]:
    """Milliseconds per run."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return times


def spread(values: list[float]) -> dict:
    """Median, extremes, and the spread: the median absolute deviation as a share of the median
    (``spread_pct``; one slow outlier on a busy machine barely moves it) and the range's."""
    median = statistics.median(values)
    deviation = statistics.median(abs(value - median) for value in values)
    return {
        "median": round(median, 3),
        "min": round(min(values), 3),
        "max": round(max(values), 3),
        "n": len(values),
        "spread_pct": round(deviation / median * 100, 1) if median else 0.0,
        "range_pct": round((max(values) - min(values)) / median * 100, 1) if median else 0.0,
    }


def figure(
    measure: str,
    values: list[float],
    unit: str,
    *,
    floor: list[float] | float,
    floor_label: str,
    size: str,
    aim: str = "",
) -> dict:
    """One row of the summary table: a measurement, its floor from the same run, the ratio."""
    measured = spread(values)
    floor_figures = spread(floor if isinstance(floor, list) else [floor])
    ratio = measured["median"] / floor_figures["median"] if floor_figures["median"] else None
    return {
        "measure": measure,
        "unit": unit,
        **measured,
        "floor": floor_figures["median"],
        "floor_spread_pct": floor_figures["spread_pct"],
        "floor_label": floor_label,
        "ratio": round(ratio, 3) if ratio is not None else None,
        "size": size,
        "aim": aim,
    }


def machine() -> dict:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in _read("/proc/cpuinfo").splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or platform.machine(),
    )
    memory_kb = next(
        (
            int(line.split()[1])
            for line in _read("/proc/meminfo").splitlines()
            if line.startswith("MemTotal:")
        ),
        0,
    )
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(memory_kb / 2**20, 1),
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "database": _database_version(),
    }


def _read(path: str) -> str:
    try:
        return Path(path).read_text()
    except OSError:
        return ""


def _database_version() -> str:
    from django.db import connection

    if connection.vendor == "sqlite":
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version}"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return f"PostgreSQL {cursor.fetchone()[0]}"


def record(bench: str, figures: list[dict], *, args: argparse.Namespace, details: dict) -> dict:
    """Print the run's JSON line and append it to the results file."""
    line = {
        "bench": bench,
        "run": os.environ.get("BENCH_RUN_ID") or datetime.now(UTC).strftime("%Y%m%dT%H%M%S"),
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "backend": backend(),
        "quick": args.quick,
        "scale": args.scale,
        "machine": machine(),
        "figures": figures,
        "details": details,
    }
    text = json.dumps(line, default=str)
    print(text)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    with RESULTS.open("a", encoding="utf-8") as results:
        results.write(text + "\n")
    return line
