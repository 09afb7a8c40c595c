"""Production settings and the `safelane` command, run as an operator would run them."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

SAFELANE = str(Path(sys.executable).with_name("safelane"))


def run_safelane(*args, env_overrides, cwd):
    # Only what an operator's shell would have, not the test settings' environment.
    env = {key: os.environ[key] for key in ("PATH", "HOME", "LANG") if key in os.environ}
    env.update(env_overrides)
    return subprocess.run(
        [SAFELANE, *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


PRODUCTION = {
    "SECRET_KEY": "x7!production-like-secret-key-that-is-long-and-random-enough-9f2c",
    "ALLOWED_HOSTS": "safelane.example.com",
    "SITE_URL": "https://safelane.example.com",
    "DATABASE_URL": "sqlite:///:memory:",
}


def test_production_settings_pass_the_deployment_checks(tmp_path):
    result = run_safelane(
        "check", "--deploy", "--fail-level", "WARNING", env_overrides=PRODUCTION, cwd=tmp_path
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = dict(PRODUCTION)
    del env["SECRET_KEY"]
    result = run_safelane("check", env_overrides=env, cwd=tmp_path)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_its_public_address(tmp_path):
    env = dict(PRODUCTION)
    del env["SITE_URL"]
    result = run_safelane("check", env_overrides=env, cwd=tmp_path)
    assert result.returncode != 0
    assert "SITE_URL must be set" in result.stderr


def test_a_malformed_setting_is_named(tmp_path):
    result = run_safelane(
        "check", env_overrides={**PRODUCTION, "EMAIL_PORT": "twenty-five"}, cwd=tmp_path
    )
    assert result.returncode != 0
    assert "EMAIL_PORT must be a whole number" in result.stderr


@pytest.mark.django_db(transaction=True)
def test_the_database_worker_sends_an_invitation(cast, settings, mailoutbox):
    """With the database backend a task waits in the queue until a worker runs it."""
    from django.core.management import call_command

    from safelane.orgs import services
    from safelane.orgs.models import Role

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    services.invite(org=cast.acme, actor=cast.owner, email="nina@acme.test", role=Role.VIEWER)
    assert mailoutbox == []
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert [m.to for m in mailoutbox] == [["nina@acme.test"]]
    assert "/invitations/" in mailoutbox[0].body
