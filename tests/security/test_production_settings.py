"""Production settings: `check --deploy` is clean, and the site refuses to start without its secrets."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "x7-Production-Secret-Only-For-This-Test-8b1f3c9e2d4a6f0b5c7e9a1d3f5b7c9e",
    "ALLOWED_HOSTS": "book.studio-lumen.example",
    "SITE_URL": "https://book.studio-lumen.example",
}


def _manage(tmp_path, *args: str, **overrides: str | None) -> subprocess.CompletedProcess:
    """manage.py in a fresh process under production settings; an override of None unsets a variable."""
    # Only what finds Python: the test run's own variables (DJANGO_ALLOW_ASYNC_UNSAFE…) stay out.
    environment = {key: os.environ[key] for key in ("PATH", "HOME", "LANG") if key in os.environ}
    wanted = {**PRODUCTION, "RENDEZ_VAR_DIR": str(tmp_path), **overrides}
    environment.update({key: value for key, value in wanted.items() if value is not None})
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_under_production_settings(tmp_path):
    result = _manage(tmp_path, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout, result.stdout + result.stderr


@pytest.mark.parametrize(
    "missing, says",
    [
        ({"SECRET_KEY": None}, "SECRET_KEY"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY"),
        ({"SECRET_KEY": "insecure-development-key-never-use-in-production"}, "SECRET_KEY"),
        ({"ALLOWED_HOSTS": None}, "ALLOWED_HOSTS"),
    ],
)
def test_it_refuses_to_start_without_its_secrets(tmp_path, missing, says):
    result = _manage(tmp_path, "check", **missing)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and says in result.stderr


def test_code_only_commands_need_no_secrets(tmp_path):
    """A fresh checkout checks its migrations as it is; nothing that serves or signs runs so."""
    result = _manage(
        tmp_path, "makemigrations", "--check", "--dry-run", DEBUG=None, SECRET_KEY=None, ALLOWED_HOSTS=None
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No changes detected" in result.stdout
