"""What a validator would reject in an answer's narrative: none at all, a line too short to say
who does what, where and how often, the starter prompt left as it was, or the same text as
another answer. Pure: the page's warnings, the rule that such an answer cannot be Met, the
scores and the profile all ask this module, so they never disagree."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

MIN_NARRATIVE = 80  # characters: about one sentence that names who, where and how often
MET = "met"
PARTIAL = "partial"


def starter_text(*, org_name: str, ident: str, requirement: str) -> str:
    """A prompt the user must rewrite; a narrative left equal to it is flagged."""
    return gettext(
        "[Rewrite in your own words] How %(org)s meets %(id)s at its own sites: who does it, "
        "where, how often, and which records show it. Requirement: %(req)s"
    ) % {"org": org_name, "id": ident, "req": requirement}


def draft_text(*, title: str, where: str, quote: str) -> str:
    """A passage of the company's own document proposed as the narrative: a draft until a
    person rewrites it (a validator wants how it is done, not a quotation)."""
    source = f"{title}, {where}" if where else title
    return gettext("[Draft from %(source)s: check it and rewrite it] “%(quote)s”") % {
        "source": source,
        "quote": " ".join(quote.split()),
    }


def normalised(text: str) -> str:
    return " ".join(text.split()).casefold()


def _markers() -> list[str]:
    """The starter's opening words ("[Rewrite in your own words]") in every language."""
    out = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            out.append(starter_text(org_name="", ident="", requirement="").split("]", 1)[0] + "]")
    return out


def _draft_markers() -> list[str]:
    """A draft's opening words ("[Draft from") in every language."""
    out = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            out.append(draft_text(title="\0", where="", quote="").split("\0", 1)[0])
    return out


def is_draft(text: str) -> bool:
    """A draft quoted from a document, its marker ("[Draft from") still anywhere in the text,
    in any case: not yet rewritten."""
    folded = text.casefold()
    return any(m.casefold() in folded for m in _draft_markers())


def is_starter(text: str) -> bool:
    """The starter prompt, in any language, kept as its opening: not the company's own words."""
    text = text.strip()
    return text.startswith("[") and any(text.startswith(m) for m in _markers())


@dataclass(frozen=True)
class Answer:
    """The parts of an answer this rule reads."""

    key: int  # what identifies it among its cycle's answers (its pk)
    ident: str
    status: str
    narrative: str


def problems_of(answers: Iterable[Answer]) -> dict[int, list[str | Promise]]:
    """Each answer's problems, by key (answers without any are left out)."""
    rows = list(answers)
    by_text: dict[str, list[str]] = {}
    for a in rows:
        text = normalised(a.narrative)
        if text:
            by_text.setdefault(text, []).append(a.ident.removeprefix("own:"))
    found: dict[int, list[str | Promise]] = {}
    for a in rows:
        problems: list[str | Promise] = []
        text = a.narrative.strip()
        if a.status in {MET, PARTIAL} and not text:
            problems.append(_("No narrative: say how you meet it at your own sites."))
        elif text and is_starter(text):
            problems.append(_("Still the starter text: rewrite it for your company."))
        elif text and is_draft(text):
            problems.append(
                _(
                    "Still the draft quoted from a document: say in your own words who does "
                    "it, where and how often, then remove the [Draft] line."
                )
            )
        elif text and len(text) < MIN_NARRATIVE:
            problems.append(
                _("Very short: a validator expects who, where, how often and which records.")
            )
        twins = [i for i in by_text.get(normalised(text), []) if i != a.ident.removeprefix("own:")]
        if text and twins:
            problems.append(
                _("Same text as %(ids)s: each criterion needs its own answer.")
                % {"ids": ", ".join(twins[:5])}
            )
        if problems:
            found[a.key] = problems
    return found


def not_counted(answer: Answer, problems: list[str | Promise]) -> bool:
    """A Met answer with any of these problems does not count as met until it is rewritten."""
    return answer.status == MET and bool(problems)
