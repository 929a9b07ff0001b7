"""Configuration from the environment; production refuses to run insecurely."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from portal import env

ROOT = Path(__file__).resolve().parents[2]
GOOD_KEY = "x" * 20 + "production-secret-key-with-enough-entropy-0123456789"


def run_manage(*args, **environment):
    dropped = {"SECRET_KEY", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}  # the last is set for tests only
    clean = {k: v for k, v in os.environ.items() if k not in dropped}
    clean.update({"DJANGO_SETTINGS_MODULE": "portal.settings.production", **environment})
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize(
    "secret_key",
    [None, "django-insecure-development-only-never-use-in-production", "too-short"],
    ids=["missing", "development-default", "short"],
)
def test_production_refuses_a_missing_or_weak_secret_key(secret_key):
    environment = {"ALLOWED_HOSTS": "portal.example.org"}
    if secret_key is not None:
        environment["SECRET_KEY"] = secret_key
    result = run_manage("check", **environment)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_settings_pass_the_deployment_check_without_warnings():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY=GOOD_KEY,
        ALLOWED_HOSTS="portal.example.org",
        SITE_URL="https://portal.example.org",
        DATABASE_URL=os.environ.get("DATABASE_URL", "sqlite:///:memory:"),
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_env_helpers(monkeypatch):
    monkeypatch.setenv("PORTAL_FLAG", "yes")
    monkeypatch.setenv("PORTAL_LIST", "a.example.org, b.example.org,")
    monkeypatch.setenv("PORTAL_NUMBER", "42")
    monkeypatch.setenv("PORTAL_BLANK", "  ")
    assert env.env_bool("PORTAL_FLAG") is True
    assert env.env_list("PORTAL_LIST") == ["a.example.org", "b.example.org"]
    assert env.env_int("PORTAL_NUMBER", 1) == 42
    assert env.env_str("PORTAL_BLANK", "default") == "default"
    monkeypatch.setenv("PORTAL_FLAG", "perhaps")
    with pytest.raises(ImproperlyConfigured, match="PORTAL_FLAG"):
        env.env_bool("PORTAL_FLAG")
    monkeypatch.setenv("PORTAL_NUMBER", "lots")
    with pytest.raises(ImproperlyConfigured, match="PORTAL_NUMBER"):
        env.env_int("PORTAL_NUMBER", 1)


def test_no_broker_means_eager_tasks():
    result = subprocess.run(  # noqa: S603
        [
            sys.executable,
            "-c",
            "import django, os; os.environ.pop('CELERY_BROKER_URL', None); "
            "os.environ['DJANGO_SETTINGS_MODULE']='portal.settings.dev'; django.setup(); "
            "from django.conf import settings; print(settings.CELERY_TASK_ALWAYS_EAGER)",
        ],
        cwd=ROOT,
        env={k: v for k, v in os.environ.items() if k != "CELERY_BROKER_URL"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip() == "True", result.stderr
