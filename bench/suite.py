"""Every bench script on both backends, then the summary table: what ``make bench`` runs.

    .venv/bin/python bench/suite.py [--quick] [--scale 10] [--only web,loyalty] [--readme SECTION]
                                    [--against RUN]

Each script runs first on the embedded default (SQLite, Celery's filesystem broker), then on
PostgreSQL + Redis (``BENCH_DATABASE_URL``, default ``postgres://postgres@127.0.0.1:5432/postgres``,
only used to create and drop databases of the bench's own; ``BENCH_REDIS_URL``, default
``redis://127.0.0.1:6379/14``). The automation bench needs real workers on Redis and runs on
PostgreSQL + Redis only. All lines of the run share one ``BENCH_RUN_ID`` (set it to add
to an earlier run); at the end
``bench/report.py`` prints the table, and with ``--readme`` writes it into bench/README.md.
"""

import argparse
import os
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

BENCH = Path(__file__).resolve().parent
PROJECT = BENCH.parent
SCRIPTS = ["web", "availability", "history", "dispatch", "loyalty", "automations"]
NEEDS_REDIS = {"automations"}
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a tenth of the data (make bench-quick)")
    parser.add_argument("--scale", default="1", help="multiply the data (growth: 10)")
    parser.add_argument("--only", help=f"comma-separated scripts among {','.join(SCRIPTS)}")
    parser.add_argument("--readme", metavar="SECTION", help="write the table into bench/README.md's section")
    parser.add_argument("--against", metavar="RUN", help="add each median's growth against that run")
    args = parser.parse_args()
    scripts = args.only.split(",") if args.only else SCRIPTS
    run_id = os.environ.get("BENCH_RUN_ID") or datetime.now(UTC).strftime("%Y%m%dT%H%M%S") + (
        "-quick" if args.quick else ""
    ) + (f"-x{args.scale}" if args.scale != "1" else "")
    flags = ["--scale", args.scale] + (["--quick"] if args.quick else [])
    backends = {"embedded": {"DATABASE_URL": "", "REDIS_URL": ""}}
    problem = postgres_and_redis_problem()
    if problem:
        print(f"bench: PostgreSQL + Redis skipped: {problem}", file=sys.stderr)
    else:
        backends["pg+redis"] = {"DATABASE_URL": DATABASE_URL, "REDIS_URL": REDIS_URL}
    failed = []
    for script in scripts:
        for backend, urls in backends.items():
            if script in NEEDS_REDIS and backend == "embedded":
                print(f"\n== {script} on {backend}: not run (needs Redis workers and PostgreSQL)", flush=True)
                continue
            print(f"\n== {script} on {backend}", flush=True)
            started = time.monotonic()
            env = {**os.environ, **urls, "BENCH_RUN_ID": run_id, "DEBUG": "true"}
            command = [sys.executable, str(BENCH / f"{script}.py"), *flags]
            if subprocess.run(command, cwd=PROJECT, env=env).returncode:
                failed.append(f"{script} on {backend}")
            print(f"== {script} on {backend}: {time.monotonic() - started:.0f} s", flush=True)
    print()
    report = [sys.executable, str(BENCH / "report.py"), "--run", run_id]
    report += ["--against", args.against] if args.against else []
    report += ["--readme", str(BENCH / "README.md"), "--section", args.readme] if args.readme else []
    subprocess.run(report, check=False)
    if failed:
        sys.exit(f"bench: failed: {', '.join(failed)}")


def postgres_and_redis_problem() -> str:
    """Why the PostgreSQL + Redis pass cannot run, or "" when both answer."""
    try:
        import psycopg
        import redis

        psycopg.connect(DATABASE_URL, connect_timeout=3).close()
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3).ping()
    except Exception as error:  # noqa: BLE001 - any failure is reported and that pass skipped
        return str(error).strip().splitlines()[0]
    return ""


if __name__ == "__main__":
    main()
