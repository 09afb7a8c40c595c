"""The archive's envelope: a zip file whose manifest names every entry with its SHA-256.

Reading trusts nothing the archive says about itself: every name must be one the format uses
(so no entry can point outside the archive), each name appears once, every entry is a plain
file, and sizes are counted while reading, so a small file that unpacks into gigabytes (a zip
bomb, whose headers may lie) stops at the limit. Nothing here touches the database.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import stat
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

from django.utils.translation import gettext as _

from safelane.core.errors import DomainError

FORMAT = "safelane-organisation"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATA_NAME = re.compile(r"^data/[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*\.json$")
FILE_NAME = re.compile(r"^files/[0-9a-f]{64}$")
CHUNK = 1024 * 1024


@dataclass
class Limits:
    """What one archive may hold; generous for a real organisation, fatal for a bomb."""

    manifest_bytes: int = 64 * 1024 * 1024
    data_bytes: int = 2 * 1024 * 1024 * 1024
    file_bytes: int = 4 * 1024 * 1024 * 1024
    total_bytes: int = 200 * 1024 * 1024 * 1024
    # Text compresses well, but not a thousandfold; anything above is built to explode.
    ratio: int = 1000
    entries: int = 1_000_000


LIMITS = Limits()


class ArchiveRefusedError(DomainError):
    """The archive is damaged, edited, or not one Safelane wrote; nothing was written."""


def dumps(value: Any) -> bytes:
    """JSON in one canonical form, so the same data always hashes the same."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def data_manifest(manifest: dict[str, Any]) -> dict[str, Any]:
    """The part of a manifest that depends on the data only (not on when or where it was
    exported): the hash of every data file and every stored file."""
    return {"data": manifest["data"], "files": manifest["files"]}


class Writer:
    """Writes data files and stored files, then the manifest that names them."""

    def __init__(self, out: IO[bytes]) -> None:
        self.zip = zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED)
        self.data: dict[str, str] = {}
        self.files: dict[str, str] = {}

    def add_data(self, label: str, value: Any) -> None:
        name = f"data/{label.lower()}.json"
        content = dumps(value)
        self.data[name] = sha256(content)
        self._write(name, content)

    def add_file(self, stream: IO[bytes]) -> str:
        """Copy a stored file in, streamed; returns its SHA-256, which names it. The file is
        hashed into a temporary file first (the name must be known before the entry is
        written); content already in the archive (two versions alike) is kept once."""
        digest = hashlib.sha256()
        with tempfile.TemporaryFile() as spool:
            for chunk in iter(lambda: stream.read(CHUNK), b""):
                digest.update(chunk)
                spool.write(chunk)
            name = f"files/{digest.hexdigest()}"
            if name not in self.files:
                spool.seek(0)
                with self.zip.open(_entry(name), "w", force_zip64=True) as target:
                    shutil.copyfileobj(spool, target, CHUNK)
                self.files[name] = digest.hexdigest()
        return digest.hexdigest()

    def finish(self, header: dict[str, Any]) -> dict[str, Any]:
        manifest = {
            **header,
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "data": dict(sorted(self.data.items())),
            "files": dict(sorted(self.files.items())),
        }
        self._write(MANIFEST, json.dumps(manifest, sort_keys=True, indent=1).encode())
        self.zip.close()
        return manifest

    def _write(self, name: str, content: bytes) -> None:
        self.zip.writestr(_entry(name), content)


def _entry(name: str) -> zipfile.ZipInfo:
    # A fixed date and mode: the archive's bytes depend on the data, not on the clock.
    info = zipfile.ZipInfo(name, date_time=(2000, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = (stat.S_IFREG | 0o644) << 16
    return info


class Reader:
    """An archive checked whole before anything is read from it: format, names, types,
    sizes, and the hash of every entry against the manifest."""

    def __init__(self, source: IO[bytes] | str, limits: Limits | None = None) -> None:
        self.limits = limits or LIMITS
        try:
            self.zip = zipfile.ZipFile(source)
        except (zipfile.BadZipFile, OSError, ValueError) as error:
            raise ArchiveRefusedError(_("This is not a zip archive (%s).") % error) from None
        self.entries = self._entries()
        self.manifest = self._manifest()
        self.data: dict[str, Any] = {}

    def close(self) -> None:
        self.zip.close()

    def _entries(self) -> dict[str, zipfile.ZipInfo]:
        infos = self.zip.infolist()
        if len(infos) > self.limits.entries:
            raise ArchiveRefusedError(_("The archive holds too many entries."))
        entries: dict[str, zipfile.ZipInfo] = {}
        total = 0
        for info in infos:
            name = info.filename
            if name != MANIFEST and not DATA_NAME.match(name) and not FILE_NAME.match(name):
                raise ArchiveRefusedError(
                    _("The archive holds an entry Safelane never writes: %s") % name[:200]
                )
            if name in entries:
                raise ArchiveRefusedError(_("The archive holds %s twice.") % name)
            mode = info.external_attr >> 16
            # Many zip tools leave the type bits out; any type that is there must be a file.
            if info.is_dir() or (stat.S_IFMT(mode) and not stat.S_ISREG(mode)):
                raise ArchiveRefusedError(_("%s is not a plain file.") % name)
            if info.flag_bits & 0x1:
                raise ArchiveRefusedError(_("%s is encrypted.") % name)
            if info.compress_type not in {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED}:
                raise ArchiveRefusedError(
                    _("%s is compressed in a way Safelane never writes.") % name
                )
            self._check_size(info, info.file_size)
            total += info.file_size
            if total > self.limits.total_bytes:
                raise ArchiveRefusedError(_("The archive unpacks to more than Safelane accepts."))
            entries[name] = info
        return entries

    def _limit(self, name: str) -> int:
        if name == MANIFEST:
            return self.limits.manifest_bytes
        return self.limits.data_bytes if name.startswith("data/") else self.limits.file_bytes

    def _check_size(self, info: zipfile.ZipInfo, size: int) -> None:
        if size > self._limit(info.filename):
            raise ArchiveRefusedError(_("%s is larger than Safelane accepts.") % info.filename)
        if size > CHUNK and size > self.limits.ratio * max(info.compress_size, 1):
            raise ArchiveRefusedError(
                _("%s unpacks to far more than it weighs (a zip bomb?).") % info.filename
            )

    def stream(self, name: str) -> Iterator[bytes]:
        """An entry's bytes in chunks, counted as they come (headers may lie about sizes)."""
        info = self.entries[name]
        read = 0
        try:
            with self.zip.open(info) as entry:
                while chunk := entry.read(CHUNK):
                    read += len(chunk)
                    if read > info.file_size:
                        raise ArchiveRefusedError(_("%s is longer than the archive says.") % name)
                    self._check_size(info, read)
                    yield chunk
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, zlib.error) as error:
            raise ArchiveRefusedError(
                _("%(name)s cannot be read: %(error)s") % {"name": name, "error": error}
            ) from None

    def read(self, name: str) -> bytes:
        return b"".join(self.stream(name))

    def hash_of(self, name: str) -> str:
        digest = hashlib.sha256()
        for chunk in self.stream(name):
            digest.update(chunk)
        return digest.hexdigest()

    def _manifest(self) -> dict[str, Any]:
        if MANIFEST not in self.entries:
            raise ArchiveRefusedError(_("The archive has no manifest: Safelane did not write it."))
        try:
            manifest = json.loads(self.read(MANIFEST))
        except ValueError:
            raise ArchiveRefusedError(_("The archive's manifest is not readable.")) from None
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise ArchiveRefusedError(_("This is not an organisation archive from Safelane."))
        if manifest.get("version") != FORMAT_VERSION:
            raise ArchiveRefusedError(
                _(
                    "The archive is in format version %(found)s; this Safelane reads version %(ours)s."
                )
                % {"found": manifest.get("version"), "ours": FORMAT_VERSION}
            )
        for part in ("data", "files"):
            listed = manifest.get(part)
            if not isinstance(listed, dict) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in listed.items()
            ):
                raise ArchiveRefusedError(_("The archive's manifest is not readable."))
        return manifest

    def verify(self) -> None:
        """Every entry the manifest lists is there with its hash, and nothing else is."""
        listed = {**self.manifest["data"], **self.manifest["files"]}
        for name in sorted(set(self.entries) - {MANIFEST} - set(listed)):
            raise ArchiveRefusedError(
                _("%s is in the archive but not in its manifest: it was edited.") % name
            )
        for name, expected in sorted(listed.items()):
            if name not in self.entries:
                raise ArchiveRefusedError(_("%s is missing from the archive.") % name)
            if name.startswith("files/") and expected != name.removeprefix("files/"):
                raise ArchiveRefusedError(_("%s is listed under another file's hash.") % name)
            if name.startswith("data/"):
                content = self.read(name)
                found = sha256(content)
                if found == expected:
                    try:
                        self.data[name] = json.loads(content)
                    except ValueError:
                        raise ArchiveRefusedError(_("%s is not readable.") % name) from None
            else:
                found = self.hash_of(name)
            if found != expected:
                raise ArchiveRefusedError(
                    _(
                        "%s does not match its hash in the manifest: the archive is damaged or was edited."
                    )
                    % name
                )
