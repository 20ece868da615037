"""The fault suite (``make test-faults``): real processes, real signals, loopback only.

Its tests carry the ``faults`` marker and run only when asked for (``-m faults``); ``make
test`` leaves them out. They bring their own PostgreSQL cluster and Redis on free ports, so
they can stop and restart them; a missing binary fails the run under CI=true.
"""

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis as redis_client

from .stack import PrivatePostgres, PrivateRedis, Stack, ToolMissing, port_open, tool

IN_CI = os.environ.get("CI", "").lower() == "true"
VAR_DIR = Path(os.environ.get("RENDEZ_VAR_DIR") or Path(__file__).resolve().parents[2] / "var") / "faults"


def pytest_collection_modifyitems(config, items) -> None:
    """Fault tests run only when the marker expression names them."""
    if "faults" in (config.option.markexpr or ""):
        return
    kept, dropped = [], []
    for item in items:
        (dropped if item.get_closest_marker("faults") else kept).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


def _missing(error: ToolMissing):
    if IN_CI:
        pytest.fail(str(error))
    pytest.skip(str(error))


@pytest.fixture(scope="session")
def tools() -> None:
    """Every binary the suite starts, checked before anything starts."""
    try:
        for name in (
            "initdb",
            "pg_ctl",
            "redis-server",
            "redis-cli",
            "gunicorn",
            "celery",
            *(["runuser"] if os.geteuid() == 0 else []),
        ):
            tool(name)
    except ToolMissing as error:
        _missing(error)


@pytest.fixture(scope="session")
def postgres(tools) -> Iterator[PrivatePostgres]:
    """A private cluster with ``rendez_template``: migrated once, copied for each test."""
    cluster = PrivatePostgres()
    try:
        cluster.create()
        cluster.start()
        cluster.execute("CREATE DATABASE rendez_template")
        Stack(database_url=cluster.url("rendez_template"), redis_url="", var_dir=VAR_DIR / "template").python(
            "manage.py", "migrate", "--noinput", timeout=600
        )
        yield cluster
    finally:
        cluster.destroy()


@pytest.fixture(scope="session")
def redis_server(tools) -> Iterator[PrivateRedis]:
    server = PrivateRedis()
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def static_root(postgres) -> Path:
    """Collected once: with DEBUG off, pages need WhiteNoise's manifest."""
    root = VAR_DIR / "static"
    Stack(database_url=postgres.url("rendez_template"), redis_url="", var_dir=VAR_DIR).python(
        "manage.py", "collectstatic", "--noinput", timeout=300
    )
    return root


@pytest.fixture
def stack(request, postgres, redis_server, static_root) -> Iterator[Stack]:
    """A fresh database and an empty broker for one test; every process it started is stopped after."""
    name = "t_" + re.sub(r"\W", "_", request.node.name)[:50].lower()
    if not port_open(postgres.port):  # a failed test may have left it stopped
        postgres.start()
    postgres.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    postgres.execute(f"CREATE DATABASE {name} TEMPLATE rendez_template")
    if redis_server.process is None:
        redis_server.start()
    redis_client.Redis.from_url(redis_server.url).flushall()
    var_dir = VAR_DIR / name
    if var_dir.exists():
        for old in (var_dir / "mail").glob("*"):
            old.unlink()
    var_dir.mkdir(parents=True, exist_ok=True)
    if not (var_dir / "static").exists():
        (var_dir / "static").symlink_to(static_root)
    each = Stack(database_url=postgres.url(name), redis_url=redis_server.url, var_dir=var_dir)
    for old_log in each.logs.glob("*.log"):
        old_log.unlink()
    try:
        yield each
    finally:
        each.stop_all()
