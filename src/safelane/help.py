"""The user guide (docs/user, Markdown, English and Spanish) as help pages inside Safelane, and
the help link each page shows: to the guide's section about that page, in the reader's
language. The guide is read from USER_GUIDE_DIR (a checkout's docs/user by default)."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import markdown  # type: ignore[import-untyped]
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe
from markdown.extensions.toc import slugify  # type: ignore[import-untyped]

from safelane.orgs.access import public_view

# Each guide by language: the file's name in docs/user/<language>/.
GUIDES = {
    "getting-started": {"en": "getting-started", "es": "primeros-pasos"},
    "journey": {"en": "ctpat-journey", "es": "recorrido-ctpat"},
    "roles": {"en": "roles", "es": "roles"},
    "consultant": {"en": "consultant-mode", "es": "modo-consultor"},
    "certified": {"en": "staying-certified", "es": "mantener-la-certificacion"},
    "training": {"en": "training", "es": "formacion"},
    "mapping": {"en": "mapping", "es": "mapeo-de-documentos"},
}
# Which guide, and which numbered section of it, explains each app's pages.
PAGE_HELP: dict[str, tuple[str, int | None]] = {
    "eligibility": ("journey", 1),
    "catalog": ("journey", 2),
    "risk": ("journey", 3),
    "assessments": ("journey", 4),
    "actions": ("journey", 5),
    "evidence": ("journey", 6),
    "partners": ("journey", 7),
    "questionnaires": ("journey", 8),
    "membership": ("certified", None),
    "deadlines": ("certified", None),
    "portfolio": ("consultant", None),
    "training": ("training", None),
    "mapping": ("mapping", None),
    "audit": ("roles", None),
    "jobs": ("journey", 9),
}
LINK = re.compile(r'href="(?:\.\./)?(?:(en|es)/)?([a-z0-9-]+)\.md(#[^"]*)?"')
OUTSIDE = re.compile(r'<a href="\.\./[^"]*">(.*?)</a>')


def _root() -> Path:
    return Path(settings.USER_GUIDE_DIR)


def _language() -> str:
    return "es" if (translation.get_language() or "en").startswith("es") else "en"


@cache
def _section_anchors(path: Path) -> dict[int, str]:
    """The anchor of each numbered section ("## 3. Supply-chain risk assessment")."""
    found = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = re.match(r"##\s+(\d+)\.\s", line)
        if match:
            found[int(match.group(1))] = slugify(line.lstrip("#").strip(), "-")
    return found


def help_url(app_name: str | None) -> str:
    """The help page for a page of `app_name`, in the reader's language."""
    return _help_url(app_name or "", _language())


@cache
def _help_url(app_name: str, language: str) -> str:
    """Worked out once per app and language: every page asks for it (a context processor)."""
    guide, section = PAGE_HELP.get(app_name, ("getting-started", None))
    name = GUIDES[guide][language]
    url = reverse("help_page", args=[language, name])
    path = _root() / language / f"{name}.md"
    if section is not None and path.is_file():
        anchor = _section_anchors(path).get(section)
        if anchor:
            url += f"#{anchor}"
    return url


def context(request: HttpRequest) -> dict[str, Any]:
    """`help_url` for the page being shown (a context processor)."""
    match = getattr(request, "resolver_match", None)
    return {"help_url": help_url(match.app_name if match else None)}


def _render(path: Path, language: str) -> str:
    html = markdown.markdown(
        path.read_text(encoding="utf-8"), extensions=["toc", "tables", "sane_lists"]
    )

    def inside(match: re.Match[str]) -> str:
        lang, name, anchor = match.group(1) or language, match.group(2), match.group(3) or ""
        if name == "README":
            return f'href="{reverse("help_index")}{anchor}"'
        return f'href="{reverse("help_page", args=[lang, name])}{anchor}"'

    # Links between guide pages stay inside the app; links to the installation docs are text.
    return OUTSIDE.sub(r"\1", LINK.sub(inside, html))


@public_view
@require_safe
def help_index(request: HttpRequest) -> HttpResponse:
    path = _root() / "README.md"
    if not path.is_file():
        raise Http404
    return render(request, "help.html", {"body": mark_safe(_render(path, _language()))})  # noqa: S308  (the guide is the installation's own file)


@public_view
@require_safe
def help_page(request: HttpRequest, language: str, name: str) -> HttpResponse:
    if language not in {"en", "es"} or not re.fullmatch(r"[a-z0-9-]+", name):
        raise Http404
    path = _root() / language / f"{name}.md"
    if not path.is_file():
        raise Http404
    body = _render(path, language)
    return render(request, "help.html", {"body": mark_safe(body), "lang": language})  # noqa: S308  (the guide is the installation's own file)
