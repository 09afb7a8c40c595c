"""`safelane org export` and `safelane org import`, with their exit codes."""

from __future__ import annotations

import struct
import subprocess
import sys
import zipfile

import pytest
from django.core.management import CommandError, call_command

from safelane.orgs.models import Organisation
from safelane.transfer import archive

pytestmark = pytest.mark.django_db


def test_export_then_import_under_a_new_slug(cast, tmp_path, capsys):
    target = tmp_path / "acme.zip"
    call_command("org", "export", cast.acme.slug, "-o", str(target))
    assert "rows written" in capsys.readouterr().out
    call_command("org", "import", str(target), "--slug", "acme-two")
    copy = Organisation.objects.get(slug="acme-two")
    assert copy.name == cast.acme.name
    again = tmp_path / "again.zip"
    call_command("org", "export", "acme-two", "-o", str(again))
    first = archive.Reader(str(target)).manifest
    second = archive.Reader(str(again)).manifest
    assert archive.data_manifest(first) == archive.data_manifest(second)
    assert not list(tmp_path.glob("*.partial"))


def test_an_unknown_organisation_is_an_error(db, tmp_path):
    with pytest.raises(CommandError, match="No organisation"):
        call_command("org", "export", "nobody", "-o", str(tmp_path / "x.zip"))


def test_a_taken_slug_is_refused_with_nothing_written(cast, tmp_path):
    target = tmp_path / "acme.zip"
    call_command("org", "export", cast.acme.slug, "-o", str(target))
    before = Organisation.objects.count()
    with pytest.raises(CommandError, match=r"Nothing was imported: .*exists already"):
        call_command("org", "import", str(target))
    assert Organisation.objects.count() == before


def test_a_damaged_archive_exits_non_zero(cast, tmp_path):
    target = tmp_path / "acme.zip"
    call_command("org", "export", cast.acme.slug, "-o", str(target))
    data = bytearray(target.read_bytes())
    with zipfile.ZipFile(target) as z:
        info = max(z.infolist(), key=lambda i: i.compress_size)
    name_length, extra_length = struct.unpack(
        "<HH", data[info.header_offset + 26 : info.header_offset + 30]
    )
    data[info.header_offset + 30 + name_length + extra_length + info.compress_size // 2] ^= 0xFF
    target.write_bytes(bytes(data))
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("org", "import", str(target), "--slug", "acme-two")
    assert not Organisation.objects.filter(slug="acme-two").exists()


def test_the_command_exits_1_on_a_refusal_and_2_on_bad_usage(tmp_path):
    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"nonsense")
    base = [sys.executable, "-m", "django"]
    env = {"DJANGO_SETTINGS_MODULE": "safelane.settings_test"}
    import os

    env = {**os.environ, **env}
    refused = subprocess.run(
        [*base, "org", "import", str(bad)], capture_output=True, text=True, env=env, check=False
    )
    assert refused.returncode == 1, refused.stderr
    assert "Nothing was imported" in refused.stderr
    usage = subprocess.run(
        [*base, "org", "export"], capture_output=True, text=True, env=env, check=False
    )
    assert usage.returncode == 2
