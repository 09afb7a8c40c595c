"""Checks on uploaded files: size, type by content (never by name), and a safe stored name."""

from __future__ import annotations

import hashlib
import io
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

import filetype
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from safelane.core.errors import DomainError

# Detected type -> the content type served back. Office files are ZIP containers told apart by
# the part that names their main document.
ALLOWED = {
    "application/pdf": "application/pdf",
    "image/png": "image/png",
    "image/jpeg": "image/jpeg",
    "image/webp": "image/webp",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "text": "text/plain; charset=utf-8",
}
OOXML_PARTS = {
    "word/document.xml": "docx",
    "xl/workbook.xml": "xlsx",
    "ppt/presentation.xml": "pptx",
}


@dataclass(frozen=True)
class CheckedUpload:
    content: bytes
    content_type: str
    safe_name: str
    sha256: str
    size: int


def _detect(content: bytes) -> str | None:
    kind = filetype.guess(content[:8192])
    if kind is not None and kind.mime in ALLOWED:
        return kind.mime
    if content[:4] == b"PK\x03\x04":
        try:
            names = set(zipfile.ZipFile(io.BytesIO(content)).namelist())
        except zipfile.BadZipFile:
            return None
        if "[Content_Types].xml" in names:
            return next((kind for part, kind in OOXML_PARTS.items() if part in names), None)
        return None
    if b"\x00" not in content[:65536]:
        try:
            content.decode("utf-8")
        except UnicodeDecodeError:
            return None
        return "text"
    return None


def safe_name(name: str) -> str:
    """The file's own name without any path, reduced to safe characters."""
    base = PurePosixPath(name.replace("\\", "/")).name.strip().lstrip(".")
    cleaned = get_valid_filename(base) if base else ""
    return cleaned[:120] or "file"


def check(upload: UploadedFile) -> CheckedUpload:
    limit = settings.EVIDENCE_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        raise DomainError(
            _("The file is %(size)s MB; the limit is %(limit)s MB.")
            % {"size": round(upload.size / 1_048_576, 1), "limit": round(limit / 1_048_576)},
            field="file",
        )
    content = upload.read(limit + 1)
    if len(content) > limit:
        raise DomainError(_("The file is larger than the limit."), field="file")
    if not content:
        raise DomainError(_("The file is empty."), field="file")
    kind = _detect(content)
    if kind is None:
        raise DomainError(
            _(
                "This kind of file is not accepted. Upload PDF, Word, Excel, PowerPoint, PNG, JPEG, WebP or plain text."
            ),
            field="file",
        )
    return CheckedUpload(
        content=content,
        content_type=ALLOWED[kind],
        safe_name=safe_name(upload.name or "file"),
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
    )


def storage_key(org_id: int, name: str) -> str:
    """Where a version is stored: per organisation, under a random folder, never a user's path."""
    return f"evidence/{org_id}/{uuid.uuid4().hex}/{name}"
