"""Settings load on both stacks, and production refuses to start without its secrets."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args: str, unset: frozenset[str] = frozenset(), **env: str) -> subprocess.CompletedProcess:
    """``unset`` leaves variables of the test run out, so that only a .env file may give them."""
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE", *unset}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def _show(*names: str, **env: str) -> dict[str, str]:
    code = "from django.conf import settings as s; " + "; ".join(f"print(repr({n}))" for n in names)
    result = _manage("shell", "--no-imports", "-c", code, **env)
    assert result.returncode == 0, result.stderr
    return dict(zip(names, result.stdout.strip().splitlines(), strict=True))


def test_it_runs_on_sqlite_and_the_filesystem_broker_with_nothing_set():
    shown = _show(
        "s.DATABASES['default']['ENGINE']", "s.CELERY_BROKER_URL", DEBUG="true", DATABASE_URL="", REDIS_URL=""
    )
    assert shown["s.DATABASES['default']['ENGINE']"] == "'django.db.backends.sqlite3'"
    assert shown["s.CELERY_BROKER_URL"] == "'filesystem://localhost/'"


def test_it_switches_to_postgresql_and_redis_from_the_environment():
    shown = _show(
        "s.DATABASES['default']['ENGINE']",
        "s.DATABASES['default']['NAME']",
        "s.CELERY_BROKER_URL",
        DEBUG="true",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/rendez_elsewhere",
        REDIS_URL="redis://127.0.0.1:6379/3",
    )
    assert shown["s.DATABASES['default']['ENGINE']"] == "'django.db.backends.postgresql'"
    assert shown["s.DATABASES['default']['NAME']"] == "'rendez_elsewhere'"
    assert shown["s.CELERY_BROKER_URL"] == "'redis://127.0.0.1:6379/3'"


def test_it_refuses_to_start_in_production_without_a_secret_key():
    result = _manage("check", DEBUG="false", ALLOWED_HOSTS="rendez.example")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_it_refuses_the_development_key_in_production():
    result = _manage(
        "check",
        DEBUG="false",
        ALLOWED_HOSTS="rendez.example",
        SECRET_KEY="insecure-development-key-never-use-in-production",
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_it_refuses_to_start_in_production_without_allowed_hosts():
    result = _manage("check", DEBUG="false", SECRET_KEY=secrets.token_urlsafe(64))
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


def test_check_deploy_is_clean_under_production_settings():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="rendez.example",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_it_bounds_every_wait_on_redis_and_never_retries_a_publish():
    shown = _show(
        "s.CACHES['default']['OPTIONS']",
        "s.REDIS_PUBLISH_OPTIONS",
        "s.CELERY_TASK_PUBLISH_RETRY",
        DEBUG="true",
        REDIS_URL="redis://127.0.0.1:6379/3",
    )
    assert shown["s.CACHES['default']['OPTIONS']"] == (
        "{'socket_connect_timeout': 0.5, 'socket_timeout': 0.5,"
        " 'pool_class': 'config.redis_cache.GivingUpConnectionPool'}"
    )
    assert "'max_retries': 0" in shown["s.REDIS_PUBLISH_OPTIONS"]
    assert "'socket_timeout': 0.5" in shown["s.REDIS_PUBLISH_OPTIONS"]
    assert shown["s.CELERY_TASK_PUBLISH_RETRY"] == "False"


def test_links_follow_the_port_make_run_serves_on():
    shown = _show("s.SITE_URL", DEBUG="true", RENDEZ_HOST="localhost", RENDEZ_PORT="8123", SITE_URL="")
    assert shown["s.SITE_URL"] == "'http://localhost:8123'"


def test_links_name_the_loopback_address_when_make_run_listens_on_all():
    shown = _show("s.SITE_URL", DEBUG="true", RENDEZ_HOST="0.0.0.0", RENDEZ_PORT="8123", SITE_URL="")
    assert shown["s.SITE_URL"] == "'http://127.0.0.1:8123'"


def test_site_url_wins_over_the_port():
    shown = _show("s.SITE_URL", DEBUG="true", RENDEZ_PORT="8123", SITE_URL="https://book.studio.example")
    assert shown["s.SITE_URL"] == "'https://book.studio.example'"


def test_the_webhooks_routed_are_those_of_the_provider_e_mail_goes_through():
    assert _show(
        "s.ANYMAIL_PROVIDER", DEBUG="true", EMAIL_BACKEND="anymail.backends.postmark.EmailBackend"
    ) == {"s.ANYMAIL_PROVIDER": "'postmark'"}
    assert _show("s.ANYMAIL_PROVIDER", DEBUG="true", EMAIL_BACKEND="") == {"s.ANYMAIL_PROVIDER": "''"}


def test_it_refuses_the_deprecated_sendinblue_webhooks():
    result = _manage("check", DEBUG="true", ANYMAIL_PROVIDER="sendinblue")
    assert result.returncode != 0
    assert "ANYMAIL_PROVIDER=brevo" in result.stderr


def test_the_embedded_broker_passes_messages_promptly_and_quietly():
    code = (
        "from config.celery import app; from django.conf import settings as s; "
        "print(s.CELERY_BROKER_TRANSPORT_OPTIONS['polling_interval']); "
        "conn = app.connection_for_write(); conn.ensure_connection(max_retries=0);"
        " conn.info(); conn.release()"
    )  # info(): as a worker starts
    result = _manage("shell", "--no-imports", "-c", code, DEBUG="true", REDIS_URL="")

    assert result.returncode == 0, result.stderr
    assert float(result.stdout.strip()) <= 0.1  # an idle worker looks for messages ten times a second
    assert "No hostname was supplied" not in result.stdout + result.stderr


def test_a_var_dir_named_only_in_the_env_file_is_honoured(tmp_path):
    var_dir = tmp_path / "elsewhere"
    env_file = tmp_path / ".env"
    env_file.write_text(f"RENDEZ_VAR_DIR={var_dir}\nREDIS_URL=\nDATABASE_URL=\n")
    code = "from django.conf import settings as s; print(s.VAR_DIR); print(s.DATABASES['default']['NAME'])"

    result = _manage(
        "shell",
        "--no-imports",
        "-c",
        code,
        unset=frozenset({"RENDEZ_VAR_DIR", "REDIS_URL", "DATABASE_URL"}),
        DEBUG="true",
        RENDEZ_ENV_FILE=str(env_file),
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [str(var_dir), str(var_dir / "rendez.sqlite3")]
    assert (var_dir / "celery" / "broker").is_dir()  # made at start-up, the filesystem broker reads it


def test_reading_the_settings_makes_no_folder(tmp_path):
    var_dir = tmp_path / "var"
    result = subprocess.run(
        [sys.executable, "-c", "import config.settings"],
        cwd=ROOT,
        env={**os.environ, "DEBUG": "true", "RENDEZ_VAR_DIR": str(var_dir), "REDIS_URL": ""},
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr
    assert not var_dir.exists()
