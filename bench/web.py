"""Public pages under load: gunicorn (one worker per core) driven by locust from a second process.

    DEBUG=true .venv/bin/python bench/web.py [--repeat 3] [--seconds 10] [--users 10] [--quick] [--scale 10]
    DEBUG=true DATABASE_URL=postgres://… REDIS_URL=redis://… .venv/bin/python bench/web.py

It builds the availability bench's month (10 staff, 3,000 sessions of one appointment
service) in a database of its own, collects the static files, and starts gunicorn with
``DEBUG`` off, one sync worker per core, on a free loopback port. locust (headless, one
process, ``--users`` visitors asking without pause) then loads each page in turn for
``--seconds``, ``--repeat`` rounds:

- floor: ``/bench/floor``, a view that returns "ok" through the full middleware stack
  (``bench/web_urls.py``): what Django and gunicorn cost on their own;
- the service page ``/s/massage/`` (the month calendar and the first day's slots);
- the slots fragment the page's HTMX asks for when a day is picked (``?day=…``, ``HX-Request``).

Requests per second and the 95th percentile latency of each, median of the rounds, beside
the floor's. The loader shares the machine's cores with the server: the figures are this
machine's, loader included.
"""

import argparse
import contextlib
import csv
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import timedelta
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(PROJECT))

import _common  # noqa: E402
import availability  # noqa: E402

STARTUP_SECONDS = 60


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="rounds over the three pages (default 3)")
    parser.add_argument("--seconds", type=int, default=10, help="seconds a page and round (default 10)")
    parser.add_argument("--users", type=int, default=10, help="concurrent visitors (default 10)")
    _common.add_size_arguments(parser)
    args = parser.parse_args()
    if args.quick:
        args.repeat, args.seconds = min(args.repeat, 2), min(args.seconds, 4)
    staff = _common.sized(availability.STAFF, args)
    sessions = _common.sized(availability.SESSIONS, args, least=staff)
    with _common.bench_database("web") as scratch:
        pages = build_site(staff=staff, sessions=sessions)
        started = time.monotonic()
        server = start_server(scratch)
        print(
            f"gunicorn answered after {time.monotonic() - started:.1f} s (collectstatic included)",
            file=sys.stderr,
            flush=True,
        )
        try:
            for path, htmx in pages.values():
                fetch(server.url + path, htmx=htmx)  # warm-up, and a 200 or nothing
            rounds = [
                {
                    label: load(server.url, path, htmx=htmx, args=args, scratch=scratch)
                    for label, (path, htmx) in pages.items()
                }
                for _ in range(args.repeat)
            ]
        finally:
            server.stop()
        report(rounds, args=args, size=f"{staff} staff, {sessions:,} sessions")


def build_site(*, staff: int, sessions: int) -> dict[str, tuple[str, bool]]:
    """The month's data; the pages to load: {label: (path, is an HTMX request)}."""
    from django.db import connection
    from django.utils import timezone

    now = timezone.now()
    service, business = availability.build_month(now, staff=staff, sessions=sessions)
    day = (now + timedelta(days=1)).astimezone(business.tz).date()
    connection.close()  # the server opens its own connections
    return {
        "floor": ("/bench/floor", False),
        "service page": (f"/s/{service.slug}/", False),
        "slots fragment": (f"/s/{service.slug}/?day={day.isoformat()}", True),
    }


class Server:
    def __init__(self, process: subprocess.Popen, url: str) -> None:
        self.process, self.url = process, url

    def stop(self) -> None:
        with contextlib.suppress(ProcessLookupError):  # it may have died already
            os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=30)


def server_environment(scratch: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": _common.database_url(),
        "DEBUG": "false",
        "RENDEZ_VAR_DIR": str(scratch),
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_HSTS_SECONDS": "0",
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "web_settings",
        "PYTHONPATH": os.pathsep.join([str(BENCH), str(PROJECT)]),
    }


def start_server(scratch: Path) -> Server:
    """gunicorn on a free loopback port, after ``collectstatic`` (``DEBUG`` off wants the manifest)."""
    env = server_environment(scratch)
    collect = [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"]
    subprocess.run(collect, cwd=PROJECT, env=env, check=True)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    workers = os.cpu_count() or 1
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=PROJECT,
        env=env,
        start_new_session=True,
    )
    server = Server(process, f"http://127.0.0.1:{port}")
    deadline = time.monotonic() + STARTUP_SECONDS
    while True:
        try:
            fetch(server.url + "/bench/floor", htmx=False)
            return server
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                server.stop()
                raise RuntimeError("gunicorn did not answer") from None
            time.sleep(0.3)


def fetch(url: str, *, htmx: bool) -> int:
    request = urllib.request.Request(url, headers={"HX-Request": "true"} if htmx else {})
    with urllib.request.urlopen(request, timeout=10) as response:
        return len(response.read())


def load(url: str, path: str, *, htmx: bool, args: argparse.Namespace, scratch: Path) -> dict:
    """One locust run against one page: requests/s, p50 and p95 in ms, failures."""
    prefix = scratch / "locust"
    env = {**os.environ, "BENCH_PATH": path, "BENCH_HTMX": "1" if htmx else ""}
    subprocess.run(
        [
            sys.executable,
            "-m",
            "locust",
            "-f",
            str(BENCH / "locustfile.py"),
            "--headless",
            "--host",
            url,
            "--users",
            str(args.users),
            "--spawn-rate",
            str(args.users),
            "--run-time",
            f"{args.seconds}s",
            "--csv",
            str(prefix),
            "--only-summary",
            "--loglevel",
            "ERROR",
            "--exit-code-on-error",
            "0",
        ],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    with open(f"{prefix}_stats.csv", newline="") as stats:
        total = next(row for row in csv.DictReader(stats) if row["Name"] == "Aggregated")
    return {
        "rps": float(total["Requests/s"]),
        "p50_ms": float(total["50%"]),
        "p95_ms": float(total["95%"]),
        "requests": int(total["Request Count"]),
        "failures": int(total["Failure Count"]),
    }


def report(rounds: list[dict], *, args: argparse.Namespace, size: str) -> None:
    def values(label: str, key: str) -> list[float]:
        return [one[label][key] for one in rounds]

    print(
        f"public pages under load: gunicorn, {os.cpu_count()} workers; locust, {args.users} users, "
        f"{args.seconds} s a page, {args.repeat} rounds; {size}"
    )
    print(f"  {'':<16}{'req/s':>10}{'p50':>9}{'p95':>9}{'failed':>8}")
    for label in rounds[0]:
        rps, p50, p95 = (_common.spread(values(label, key))["median"] for key in ("rps", "p50_ms", "p95_ms"))
        print(f"  {label:<16}{rps:>10.0f}{p50:>7.0f}ms{p95:>7.0f}ms{sum(values(label, 'failures')):>8}")
    figures = [
        _common.figure(
            f"{label}, {name}",
            values(label, key),
            unit,
            floor=values("floor", key),
            floor_label="a trivial view",
            size=size,
        )
        for label in ("service page", "slots fragment")
        for name, key, unit in (("req/s", "rps", "req/s"), ("p95", "p95_ms", "ms"))
    ]
    _common.record(
        "web",
        figures,
        args=args,
        details={
            "workers": os.cpu_count(),
            "users": args.users,
            "seconds": args.seconds,
            "rounds": rounds,
        },
    )


if __name__ == "__main__":
    main()
