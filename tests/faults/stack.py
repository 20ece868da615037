"""Real processes for the fault suite: a private PostgreSQL and Redis that tests may stop and
start, gunicorn, Celery workers and beat. Everything listens on the loopback only.

The machine's own PostgreSQL and Redis are never touched: each fault run starts its own on
free ports, in a temporary directory, and stops them afterwards.
"""

import base64
import glob
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import suppress
from pathlib import Path

import psycopg
from celery import Celery

ROOT = Path(__file__).resolve().parents[2]
# Debian's layout: the newest installed PostgreSQL, unless PG_BIN names another.
PG_BIN = Path(
    os.environ.get("PG_BIN")
    or max(
        glob.glob("/usr/lib/postgresql/*/bin"),
        default="/usr/lib/postgresql/15/bin",
        key=lambda path: int(Path(path).parent.name),
    )
)
SECRET_KEY = "fault-suite-" + "k" * 50


class ToolMissing(Exception):
    """A binary the suite needs is not installed."""


def tool(name: str) -> str:
    """The path of ``name`` (PostgreSQL's binaries from ``PG_BIN``); raises ToolMissing."""
    candidate = PG_BIN / name if name in ("initdb", "pg_ctl", "postgres") else None
    if candidate is not None and candidate.exists():
        return str(candidate)
    found = shutil.which(name) or shutil.which(name, path=str(Path(sys.executable).parent))
    if not found:
        raise ToolMissing(f"{name} is not installed (needed by the fault suite)")
    return found


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(predicate, *, timeout: float, interval: float = 0.1) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()


def port_open(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def stop_group(process: subprocess.Popen, *, sig: int = signal.SIGTERM, timeout: float = 20) -> None:
    """Stop a process started with its own session, and everything it started."""
    with suppress(ProcessLookupError):
        os.killpg(process.pid, sig)
    with suppress(subprocess.TimeoutExpired):
        process.wait(timeout=timeout)
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


class PrivateRedis:
    """``redis-server`` on a free port, without persistence; stop and start it at will."""

    def __init__(self) -> None:
        self.binary = tool("redis-server")
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                self.binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        if not wait_for(lambda: port_open(self.port), timeout=15):
            raise RuntimeError("the private Redis did not start")

    def stop(self) -> None:
        if self.process is not None:
            stop_group(self.process, sig=signal.SIGKILL)
            self.process = None
        wait_for(lambda: not port_open(self.port), timeout=10)


class BrokerTap:
    """Every command Redis receives, through ``redis-cli MONITOR``: what was put on the queues."""

    TASK = re.compile(r'\\"task\\": \\"([\w.]+)\\"')
    BODY = re.compile(r'\\"body\\": \\"([A-Za-z0-9+/=]+)\\"')

    def __init__(self, redis: "PrivateRedis", path: Path) -> None:
        self.path = path
        with open(path, "wb") as log:
            self.process = subprocess.Popen(
                [tool("redis-cli"), "-p", str(redis.port), "monitor"],
                stdout=log,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )

    def sent(self, task: str) -> list[list]:
        """The positional arguments of each ``task`` message pushed onto a queue so far."""
        calls = []
        for line in self.path.read_text(errors="replace").splitlines():
            if '"LPUSH"' not in line or (name := self.TASK.search(line)) is None or name.group(1) != task:
                continue
            calls.append(json.loads(base64.b64decode(self.BODY.search(line).group(1)))[0])
        return calls

    def close(self) -> None:
        stop_group(self.process)


class PrivatePostgres:
    """A throwaway PostgreSQL cluster in a temporary directory, trusting local connections.

    PostgreSQL refuses to run as root, so under root the cluster belongs to ``postgres``.
    """

    def __init__(self) -> None:
        self.initdb, self.pg_ctl = tool("initdb"), tool("pg_ctl")
        self.port = free_port()
        self.home = Path(tempfile.mkdtemp(prefix="rendez-faults-pg-"))
        self.data = self.home / "data"
        self.as_postgres = os.geteuid() == 0
        if self.as_postgres:
            shutil.chown(self.home, "postgres", "postgres")

    def _run(self, *args: str) -> None:
        command = [*(["runuser", "-u", "postgres", "--"] if self.as_postgres else []), *args]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=120)

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def create(self) -> None:
        self._run(
            self.initdb, "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"
        )
        with open(self.data / "postgresql.conf", "a") as conf:
            conf.write(
                f"\nport = {self.port}\nlisten_addresses = '127.0.0.1'\n"
                f"unix_socket_directories = '{self.home}'\nmax_connections = 200\nfsync = off\n"
                "synchronous_commit = off\nfull_page_writes = off\n"
            )

    def start(self) -> None:
        self._run(self.pg_ctl, "-D", str(self.data), "-l", str(self.home / "log"), "-w", "-t", "60", "start")

    def stop(self) -> None:
        self._run(self.pg_ctl, "-D", str(self.data), "-m", "fast", "-w", "-t", "60", "stop")

    def execute(self, sql: str) -> None:
        with psycopg.connect(self.url("postgres"), autocommit=True) as connection:
            connection.execute(sql)

    def destroy(self) -> None:
        with suppress(Exception):
            self.stop()
        shutil.rmtree(self.home, ignore_errors=True)


class Stack:
    """The environment every Rendez process of one test shares: database, broker, var dir."""

    def __init__(self, *, database_url: str, redis_url: str, var_dir: Path) -> None:
        self.database_url, self.redis_url, self.var_dir = database_url, redis_url, var_dir
        self.processes: list[subprocess.Popen] = []
        self.logs = var_dir / "logs"
        self.logs.mkdir(parents=True, exist_ok=True)

    @property
    def env(self) -> dict[str, str]:
        """Production-like: DEBUG off, so a failing request gets the real error page."""
        env = {
            **os.environ,
            "DATABASE_URL": self.database_url,
            "REDIS_URL": self.redis_url,
            "RENDEZ_VAR_DIR": str(self.var_dir),
            "DEBUG": "false",
            "SECRET_KEY": SECRET_KEY,
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "false",
            "SECURE_HSTS_SECONDS": "0",
            "CONN_MAX_AGE": "60",
            "LOG_LEVEL": "INFO",
            "PYTHONUNBUFFERED": "1",
        }
        env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        env.pop("EMAIL_URL", None)
        return env

    def python(self, *args: str, timeout: float = 180) -> str:
        """Run Python in the project with this stack's environment; its stdout."""
        done = subprocess.run(
            [sys.executable, *args], cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=timeout
        )
        if done.returncode:
            raise RuntimeError(f"{' '.join(args[:3])} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
        return done.stdout

    def studio(self, command: str, **arguments) -> dict:
        """One command of ``tests/faults/studio.py`` against this stack; its JSON answer."""
        output = self.python("-m", "tests.faults.studio", command, json.dumps(arguments))
        return json.loads(output.strip().splitlines()[-1])  # the logs come first

    def sql(self, query: str, *params) -> list[tuple]:
        """Straight to the database, as an operator with psql would."""
        with psycopg.connect(self.database_url, autocommit=True) as connection:
            cursor = connection.execute(query, params or None)
            return cursor.fetchall() if cursor.description else []

    def send_task(self, name: str) -> None:
        """Send a task by name through the broker, as beat does."""
        app = Celery(broker=self.redis_url)
        try:
            app.send_task(name)
        finally:
            app.close()

    def _spawn(self, name: str, command: list[str]) -> subprocess.Popen:
        log = open(self.logs / f"{name}.log", "ab")
        process = subprocess.Popen(
            command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        log.close()
        self.processes.append(process)
        return process

    def gunicorn(self, name: str = "web", *, workers: int = 2, threads: int = 8) -> int:
        """A gunicorn on a free port (gthread workers); returns the port once it answers."""
        port = free_port()
        process = self._spawn(
            name,
            [
                tool("gunicorn"),
                "config.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(workers),
                "--threads",
                str(threads),
                "--worker-class",
                "gthread",
                "--timeout",
                "60",
                "--graceful-timeout",
                "5",
                "--backlog",
                "512",
            ],
        )
        if not wait_for(lambda: port_open(port) or process.poll() is not None, timeout=30) or process.poll():
            raise RuntimeError(f"gunicorn did not start; see {self.logs / name}.log")
        return port

    def worker(self, name: str = "worker", *, concurrency: int = 2) -> subprocess.Popen:
        return self._spawn(
            name,
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--pool",
                "prefork",
                "--concurrency",
                str(concurrency),
                "--hostname",
                f"{name}@%h",
                "--without-heartbeat",
                "--without-mingle",
                "--without-gossip",
                "--loglevel",
                "INFO",
            ],
        )

    def beat(self, name: str = "beat") -> subprocess.Popen:
        return self._spawn(
            name,
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "beat",
                "--loglevel",
                "INFO",
                "--schedule",
                str(self.var_dir / f"{name}-schedule"),
            ],
        )

    def sent_message_ids(self) -> list[str]:
        """The Message-ID of every message the e-mail backend wrote to its files, repeats included."""
        return [
            line.split(":", 1)[1].strip()
            for path in sorted((self.var_dir / "mail").glob("*"))
            for line in path.read_text(errors="replace").splitlines()
            if line.startswith("Message-ID:")
        ]

    def log(self, name: str) -> str:
        path = self.logs / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def stop_all(self) -> None:
        for process in reversed(self.processes):  # the test is over: a short grace, then SIGKILL
            stop_group(process, timeout=5)
        self.processes.clear()
