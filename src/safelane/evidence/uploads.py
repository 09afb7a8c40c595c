"""Checks on uploaded files: size, an allow-listed type by content that the name agrees with, and a
safe stored name ending in that type's own extension."""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

import filetype
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from safelane.core.errors import DomainError

MAX_NAME = 120


@dataclass(frozen=True)
class AcceptedType:
    label: Promise  # what the file is, as a sentence says it: "a PDF document"
    content_type: str  # served back on download
    extension: str  # the one a stored name always ends in
    extensions: frozenset[str]  # the ones a user's file name may end in


# The whole allow-list, in the order the refusal message names it. Legacy binary Office files
# (.doc, .xls, .ppt) are left out on purpose: they are the usual carrier of macro malware, we could
# not look inside them without another dependency, and filetype tells them apart only by guessing
# at sector offsets. Any Office since 2007 saves them again as .docx, .xlsx or .pptx.
ACCEPTED: dict[str, AcceptedType] = {
    "pdf": AcceptedType(
        gettext_lazy("a PDF document"), "application/pdf", "pdf", frozenset({"pdf"})
    ),
    "docx": AcceptedType(
        gettext_lazy("a Word document"),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "docx",
        frozenset({"docx"}),
    ),
    "xlsx": AcceptedType(
        gettext_lazy("an Excel workbook"),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xlsx",
        frozenset({"xlsx"}),
    ),
    "pptx": AcceptedType(
        gettext_lazy("a PowerPoint presentation"),
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "pptx",
        frozenset({"pptx"}),
    ),
    "odt": AcceptedType(
        gettext_lazy("an OpenDocument text document"),
        "application/vnd.oasis.opendocument.text",
        "odt",
        frozenset({"odt"}),
    ),
    "ods": AcceptedType(
        gettext_lazy("an OpenDocument spreadsheet"),
        "application/vnd.oasis.opendocument.spreadsheet",
        "ods",
        frozenset({"ods"}),
    ),
    "png": AcceptedType(gettext_lazy("a PNG image"), "image/png", "png", frozenset({"png"})),
    "jpeg": AcceptedType(
        gettext_lazy("a JPEG image"), "image/jpeg", "jpg", frozenset({"jpg", "jpeg"})
    ),
    "webp": AcceptedType(gettext_lazy("a WebP image"), "image/webp", "webp", frozenset({"webp"})),
    # Plain text files differ only by their name, so these three share a label.
    "text": AcceptedType(
        gettext_lazy("plain text"), "text/plain; charset=utf-8", "txt", frozenset({"txt"})
    ),
    "csv": AcceptedType(
        gettext_lazy("plain text"), "text/csv; charset=utf-8", "csv", frozenset({"csv"})
    ),
    "markdown": AcceptedType(
        gettext_lazy("plain text"), "text/markdown; charset=utf-8", "md", frozenset({"md"})
    ),
}
TEXT_KINDS = ("text", "csv", "markdown")
# What filetype calls the accepted types it recognises by their first bytes. An animated PNG is
# still a PNG.
MAGIC = {
    "application/pdf": "pdf",
    "image/png": "png",
    "image/apng": "png",
    "image/jpeg": "jpeg",
    "image/webp": "webp",
}
# Office files are ZIP containers told apart by the part that names their main document.
OOXML_PARTS = {
    "word/document.xml": "docx",
    "xl/workbook.xml": "xlsx",
    "ppt/presentation.xml": "pptx",
}
ODF_MIMETYPES = {
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
}
# VBA projects, Excel 4 macro sheets and LibreOffice Basic or scripts: code the reader's office
# suite may run. A .docm renamed .docx would otherwise pass as a Word document.
MACRO_PARTS = re.compile(r"(^|/)vbaproject\.bin$|^xl/macrosheets/|^basic/|^scripts/")
# An extension is a short run of letters or digits after the last dot; "Minutes v1.2" has none.
EXTENSION = re.compile(r"[^\W_]{1,10}")


@dataclass(frozen=True)
class CheckedUpload:
    content: bytes
    content_type: str
    safe_name: str
    sha256: str
    size: int
    extension: str


def accepted_extensions() -> str:
    """The file name endings the allow-list accepts, as the upload pages and every refusal name
    them: ".pdf, .docx, ..., .md"."""
    return ", ".join(
        f".{ext}"
        for kind in ACCEPTED.values()
        for ext in [kind.extension, *sorted(kind.extensions - {kind.extension})]
    )


def _not_accepted() -> DomainError:
    return DomainError(
        _("This kind of file is not accepted. Accepted files: %(extensions)s.")
        % {"extensions": accepted_extensions()},
        field="file",
    )


def _container_kind(content: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            entries = archive.infolist()
            names = {entry.filename for entry in entries}
            if any(MACRO_PARTS.search(name.lower()) for name in names):
                raise DomainError(
                    _(
                        "Documents that contain macros are not accepted. Save a copy without macros and upload that instead."
                    ),
                    field="file",
                )
            if "[Content_Types].xml" in names:
                found = [kind for part, kind in OOXML_PARTS.items() if part in names]
                return found[0] if len(found) == 1 else None
            # ODF names its type in a first, uncompressed "mimetype" entry; reading only that one
            # means a crafted archive is never decompressed here.
            first = entries[0] if entries else None
            if (
                first is not None
                and first.filename == "mimetype"
                and first.compress_type == zipfile.ZIP_STORED
                and first.file_size <= 100
                and "content.xml" in names
            ):
                return ODF_MIMETYPES.get(archive.read(first).decode("ascii", "replace").strip())
    except (zipfile.BadZipFile, EOFError, ValueError, RuntimeError, NotImplementedError):
        return None
    return None


def _as_text(content: bytes) -> str | None:
    if b"\x00" in content:
        return None
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _content_kinds(content: bytes) -> tuple[str, ...]:
    """The accepted types this content can be, the default first; anything else is refused."""
    if content.startswith(b"PK\x03\x04"):
        kind = _container_kind(content)
        if kind is None:
            raise _not_accepted()
        return (kind,)
    guess = filetype.guess(content[:8192])
    if guess is not None:
        if guess.mime not in MAGIC:
            raise _not_accepted()
        return (MAGIC[guess.mime],)
    text = _as_text(content)
    if text is None:
        raise _not_accepted()
    # HTML, SVG and XML are UTF-8 text too, and a browser that sniffs may render them whatever
    # they are named or served as. No record kept as plain text starts with a tag.
    if text.removeprefix("\ufeff").lstrip().startswith("<"):
        raise DomainError(
            _(
                "This file contains markup (HTML, SVG or XML), which is not accepted. Accepted files: %(extensions)s."
            )
            % {"extensions": accepted_extensions()},
            field="file",
        )
    return TEXT_KINDS


def name_parts(name: str) -> tuple[str, str]:
    """The name without any folder, as its stem and its lower-case extension ("" when none)."""
    base = PurePosixPath(name.replace("\\", "/")).name
    # Control and format characters go first: a right-to-left override makes "invoice<RLO>fdp.exe"
    # look like "invoiceexe.pdf", and a NUL can end the name early for some readers.
    base = "".join(c for c in base if not unicodedata.category(c).startswith("C"))
    # NFC so that an accented name from macOS (decomposed) keeps its letters. Windows drops
    # trailing dots and spaces, so "invoice.exe." opens as an .exe there.
    base = unicodedata.normalize("NFC", base).strip().rstrip(". ").lstrip(".")
    stem, dot, extension = base.rpartition(".")
    if dot and EXTENSION.fullmatch(extension) and not extension.isdigit():
        return stem, extension.lower()
    return base, ""


def safe_name(name: str, extension: str) -> str:
    """The user's own name, reduced to safe characters, ending in the given extension."""
    stem, _extension = name_parts(name)
    # Dots left in the stem become underscores, so a stored name has exactly one extension and it
    # is ours: "report.exe.pdf" becomes "report_exe.pdf". Naming only the dangerous inner
    # extensions would need a deny-list that is never complete, and some servers and unzip tools
    # act on any of them (Apache serves "x.php.pdf" as PHP when so configured). A leading hyphen
    # would read as an option to the command-line tools an auditor may run on the package.
    stem = re.sub(r"[^\w-]", "", re.sub(r"[\s.]+", "_", stem)).strip("_-")
    stem = stem[: MAX_NAME - len(extension) - 1].rstrip("_-") or "file"
    return f"{stem}.{extension}"


def _kind_for_name(kinds: tuple[str, ...], extension: str) -> str:
    if not extension:
        return kinds[0]
    for kind in kinds:
        if extension in ACCEPTED[kind].extensions:
            return kind
    default = ACCEPTED[kinds[0]]
    raise DomainError(
        _(
            "This file is %(kind)s, but its name ends in .%(extension)s. Check that it is the file you meant and rename it to end in .%(expected)s."
        )
        % {"kind": default.label, "extension": extension, "expected": default.extension},
        field="file",
    )


def check(upload: UploadedFile) -> CheckedUpload:
    """Refuses a file that is too big, empty, not on the allow-list or named as something else."""
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
    name = upload.name or ""
    accepted = ACCEPTED[_kind_for_name(_content_kinds(content), name_parts(name)[1])]
    return CheckedUpload(
        content=content,
        content_type=accepted.content_type,
        safe_name=safe_name(name, accepted.extension),
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        extension=accepted.extension,
    )


def storage_key(org_id: int, name: str) -> str:
    """Where a version is stored: per organisation, under a random folder, never a user's path."""
    return f"evidence/{org_id}/{uuid.uuid4().hex}/{name}"
