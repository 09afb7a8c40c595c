"""`safelane tokens` and the command line as a newcomer meets it: one line, never a traceback."""

import datetime
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from safelane.accounts.models import ApiToken
from safelane.accounts.tokens import authenticate_token, hash_token

SAFELANE = str(Path(sys.executable).with_name("safelane"))
NO_SECRET_KEY = (
    "Safelane: SECRET_KEY must be set when DEBUG is off: set SECRET_KEY (for production) "
    "or DEBUG=1 (for development on this machine).\n"
)
NO_TABLES = "Safelane: the database has no tables yet: run `safelane migrate` first.\n"


@pytest.fixture
def safelane(tmp_path):
    """Run `safelane` as a newcomer would: a fresh folder, no DEBUG, no SECRET_KEY."""
    env = {key: os.environ[key] for key in ("PATH", "HOME", "LANG") if key in os.environ}
    env["SAFELANE_VAR_DIR"] = str(tmp_path / "var")
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'safelane.sqlite3'}"

    def run(*args, **env_overrides):
        return subprocess.run(
            [SAFELANE, *args],
            env={**env, **env_overrides},
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    return run


def create(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("tokens", "create", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def last_line(text):
    return text.rstrip("\n").splitlines()[-1]


# The newcomer's messages


def test_without_debug_or_a_secret_key_it_says_what_to_set(safelane):
    result = safelane("load_demo")
    assert result.returncode == 2
    assert result.stderr == NO_SECRET_KEY


def test_a_malformed_setting_is_named_in_one_line(safelane):
    result = safelane("check", DEBUG="maybe")
    assert result.returncode == 2
    assert result.stderr == "Safelane: DEBUG must be a boolean (1/0, true/false), not 'maybe'\n"


@pytest.mark.parametrize(
    "command",
    [["load_demo"], ["send_action_digests"], ["tokens", "create", "a@b.test", "--name", "ci"]],
)
def test_before_migrate_it_says_to_run_migrate(safelane, command):
    result = safelane(*command, DEBUG="1")
    assert result.returncode == 2
    assert result.stderr == NO_TABLES


def test_an_unreachable_database_is_named_with_its_address(safelane):
    result = safelane("migrate", DEBUG="1", DATABASE_URL="postgres://nobody@127.0.0.1:1/x")
    assert result.returncode == 2
    assert result.stderr.startswith("Safelane: cannot reach the database at 127.0.0.1:1: ")
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr


def test_traceback_still_shows_the_traceback(safelane):
    result = safelane("load_demo", "--traceback", DEBUG="1")
    assert result.returncode == 1
    assert "Traceback" in result.stderr
    assert "no such table" in result.stderr


def test_help_and_version_still_work_without_settings(safelane):
    help_text = safelane("help")
    assert help_text.returncode == 0
    assert "migrate" in help_text.stdout
    version = safelane("--version")
    assert version.returncode == 0
    assert version.stdout.strip()


@pytest.mark.slow
def test_a_newcomer_can_migrate_and_make_a_token(safelane):
    migrated = safelane("migrate", DEBUG="1")
    assert migrated.returncode == 0, migrated.stderr
    admin = safelane("createsuperuser", "--noinput", "--email", "ada@example.test", DEBUG="1")
    assert admin.returncode == 0, admin.stderr
    result = safelane(
        "tokens", "create", "ada@example.test", "--name", "ci", "--expires", "30", DEBUG="1"
    )
    assert result.returncode == 0, result.stderr
    assert last_line(result.stdout).startswith("sl_")
    assert " " not in last_line(result.stdout)


# tokens create


def test_it_prints_the_token_alone_on_the_last_line(cast):
    out, err = create("olivia@acme.test", "--name", "ci")
    raw = last_line(out)
    assert raw.startswith("sl_")
    assert raw.split() == [raw]
    token = authenticate_token(raw)
    assert token is not None
    assert token.user == cast.owner
    assert "Token 'ci' for olivia@acme.test, never expires." in err


def test_the_token_is_stored_only_as_a_hash(cast):
    raw = last_line(create("olivia@acme.test", "--name", "ci")[0])
    token = ApiToken.objects.get(user=cast.owner)
    stored = [str(value) for value in ApiToken.objects.values_list(flat=False).get(pk=token.pk)]
    assert not any(raw in value for value in stored)
    assert token.token_hash == hash_token(raw)
    assert raw.startswith(token.prefix)


def test_it_expires_as_asked(cast):
    before = timezone.now()
    out, err = create("OLIVIA@acme.test", "--name", "nightly", "--expires", "30")
    token = authenticate_token(last_line(out))
    assert token is not None
    assert token.name == "nightly"
    assert token.expires_at is not None
    assert (
        before + datetime.timedelta(days=30)
        <= token.expires_at
        <= timezone.now() + datetime.timedelta(days=30)
    )
    assert f"expires {timezone.localdate(token.expires_at)}." in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nobody@acme.test", "--name", "ci"], "No user has the e-mail address nobody@acme.test."),
        (["olivia@acme.test"], "Give the token a name with --name"),
        (["olivia@acme.test", "--name", "  "], "Give the token a name with --name"),
        (["olivia@acme.test", "--name", "x" * 101], "at most 100 characters (it has 101)"),
        (["olivia@acme.test", "--name", "ci", "--expires", "0"], "from 1 to 3650"),
        (["olivia@acme.test", "--name", "ci", "--expires", "-5"], "from 1 to 3650"),
        (["olivia@acme.test", "--name", "ci", "--expires", "3651"], "from 1 to 3650"),
        (["olivia@acme.test", "--name", "ci", "--expires", "soon"], "from 1 to 3650"),
    ],
)
def test_it_refuses_what_it_cannot_make_in_one_line(cast, args, message):
    with pytest.raises(CommandError) as refused:
        create(*args)
    assert message in str(refused.value)
    assert "\n" not in str(refused.value)
    assert not ApiToken.objects.exists()


def test_it_makes_no_token_for_a_deactivated_person(cast):
    cast.viewer.is_active = False
    cast.viewer.save()
    with pytest.raises(CommandError, match=r"victor@audit\.test is deactivated"):
        create("victor@audit.test", "--name", "ci")


# tokens list and revoke


def test_the_list_shows_each_token_with_its_dates(cast):
    create("olivia@acme.test", "--name", "ci", "--expires", "90")
    create("olivia@acme.test", "--name", "erp sync")
    out = io.StringIO()
    call_command("tokens", "list", "olivia@acme.test", stdout=out)
    header, *rows = out.getvalue().splitlines()
    assert header.split() == ["Name", "Prefix", "Created", "Expires", "Last", "used", "Revoked"]
    assert [row.split("  ")[0] for row in rows] == ["erp sync", "ci"]
    assert "never" in rows[0]
    assert all(row.rstrip().endswith("-") for row in rows)


def test_a_token_is_revoked_by_its_name_or_prefix(cast):
    first = last_line(create("olivia@acme.test", "--name", "ci")[0])
    second = last_line(create("olivia@acme.test", "--name", "old")[0])
    call_command("tokens", "revoke", "olivia@acme.test", "ci", stdout=io.StringIO())
    prefix = ApiToken.objects.get(name="old").prefix
    call_command("tokens", "revoke", "olivia@acme.test", f"{prefix}…", stdout=io.StringIO())
    assert authenticate_token(first) is None
    assert authenticate_token(second) is None


def test_revoking_a_shared_name_asks_for_the_prefix(cast):
    create("olivia@acme.test", "--name", "ci")
    create("olivia@acme.test", "--name", "ci")
    with pytest.raises(CommandError, match="revoke one by its prefix"):
        call_command("tokens", "revoke", "olivia@acme.test", "ci")
    assert ApiToken.objects.active().count() == 2


def test_another_persons_token_cannot_be_revoked(cast):
    create("olivia@acme.test", "--name", "ci")
    with pytest.raises(CommandError, match="has no unrevoked token"):
        call_command("tokens", "revoke", "oscar@norte.test", "ci")
    assert ApiToken.objects.active().count() == 1
