"""The questionnaire templates Safelane ships, one YAML file per template in `data/`.

An organisation loads them as its own copies (`services.load_shipped_templates`) and edits
those. A file is read whole and checked here; a mistake names the file, the question and the
field, so a broken file never half-loads.

File format::

    key: supplier                 # stable name of the template (a copy remembers it)
    version: 1
    partner_types: [supplier]     # partner type codes it is meant for
    name, name_es                 # the title, in English and Spanish
    intro, intro_es               # what the partner reads first
    low_from: 85                  # score (%) from which the answers show low vulnerability
    medium_from: 60               # ... medium; below it, high
    questions:
    - key: iso-17712              # unique in the file (letters, digits, hyphens)
      kind: yes_no                # yes_no | choice | text | date | number | file
      text, text_es               # the question
      guidance, guidance_es       # optional help under it
      criteria: ['6.2']           # MSC criterion IDs it checks (at least one)
      required: true              # default true
      weight: 2                   # points it is worth (0: not scored); default 1
      expected: 'yes'             # yes_no: the answer that earns the points
      choices:                    # choice: each with key, label, label_es, score (0-100)
      - {key: checklist, label: ..., label_es: ..., score: 100}
      follow_ups:                 # shown when the answer is `when` ("If no, describe ...")
      - key: iso-17712-how
        when: 'no'
        ...                       # a question as above, without follow-ups of its own
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

DATA = Path(__file__).resolve().parent / "data"
KINDS = frozenset({"yes_no", "choice", "text", "date", "number", "file"})
KEY = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
CRITERION = re.compile(r"^\d{1,2}\.\d{1,2}$")


class ShippedTemplateError(ValueError):
    """A shipped template file is malformed (a bug in Safelane, caught by its tests)."""


@dataclass(frozen=True)
class Choice:
    key: str
    label: str
    label_es: str
    score: int | None


@dataclass(frozen=True)
class ShippedQuestion:
    key: str
    kind: str
    text: str
    text_es: str
    criteria: tuple[str, ...]
    guidance: str = ""
    guidance_es: str = ""
    required: bool = True
    weight: int = 1
    expected: str = ""
    choices: tuple[Choice, ...] = ()
    when: str = ""
    follow_ups: tuple[ShippedQuestion, ...] = ()

    def choices_data(self) -> list[dict[str, Any]]:
        return [
            {"key": c.key, "label": c.label, "label_es": c.label_es, "score": c.score}
            for c in self.choices
        ]


@dataclass(frozen=True)
class ShippedTemplate:
    key: str
    version: int
    partner_types: tuple[str, ...]
    name: str
    name_es: str
    intro: str
    intro_es: str
    low_from: int
    medium_from: int
    questions: tuple[ShippedQuestion, ...] = field(default=())

    def all_questions(self) -> list[ShippedQuestion]:
        """Every question, each followed by its follow-ups."""
        return [item for q in self.questions for item in (q, *q.follow_ups)]


def _text(data: dict[str, Any], name: str, where: str, *, required: bool = True) -> str:
    value = data.get(name, "")
    if not isinstance(value, str) or (required and not value.strip()):
        raise ShippedTemplateError(f"{where}: {name} must be a text")
    return value.strip()


def _whole(data: dict[str, Any], name: str, where: str, default: int, top: int) -> int:
    value = data.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= top:
        raise ShippedTemplateError(f"{where}: {name} must be a whole number from 0 to {top}")
    return value


def _choices(data: dict[str, Any], where: str) -> tuple[Choice, ...]:
    raw = data.get("choices", [])
    if not isinstance(raw, list):
        raise ShippedTemplateError(f"{where}: choices must be a list")
    found = []
    for number, item in enumerate(raw, 1):
        at = f"{where}, choice {number}"
        if not isinstance(item, dict):
            raise ShippedTemplateError(f"{at}: must be a mapping")
        key = item.get("key")
        if not isinstance(key, str) or not KEY.match(key):
            raise ShippedTemplateError(
                f"{at}: key must be letters, digits and hyphens (quote yes/no)"
            )
        score = item.get("score")
        if score is not None and (
            isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= 100
        ):
            raise ShippedTemplateError(f"{at}: score must be 0 to 100")
        found.append(Choice(key, _text(item, "label", at), _text(item, "label_es", at), score))
    if len({c.key for c in found}) != len(found):
        raise ShippedTemplateError(f"{where}: two choices share a key")
    return tuple(found)


def _question(data: Any, where: str, *, parent: ShippedQuestion | None = None) -> ShippedQuestion:
    if not isinstance(data, dict):
        raise ShippedTemplateError(f"{where}: a question must be a mapping")
    key = data.get("key")
    if not isinstance(key, str) or not KEY.match(key):
        raise ShippedTemplateError(f"{where}: key must be letters, digits and hyphens")
    where = f"{where} ({key})"
    kind = data.get("kind")
    if kind not in KINDS:
        raise ShippedTemplateError(f"{where}: kind must be one of {', '.join(sorted(KINDS))}")
    criteria = data.get("criteria")
    if (
        not isinstance(criteria, list)
        or not criteria
        or not all(isinstance(c, str) and CRITERION.match(c) for c in criteria)
    ):
        raise ShippedTemplateError(f"{where}: criteria must list MSC IDs such as '6.2'")
    required = data.get("required", True)
    if not isinstance(required, bool):
        raise ShippedTemplateError(f"{where}: required must be true or false")
    expected = data.get("expected", "")
    if expected not in ("", "yes", "no") or (expected and kind != "yes_no"):
        raise ShippedTemplateError(f"{where}: expected is 'yes' or 'no', for yes_no questions")
    choices = _choices(data, where)
    if (kind == "choice") != bool(choices) or (kind == "choice" and len(choices) < 2):
        raise ShippedTemplateError(
            f"{where}: a choice question has two choices or more; others none"
        )
    when = data.get("when", "")
    if parent is None and when:
        raise ShippedTemplateError(f"{where}: only a follow-up has 'when'")
    if parent is not None:
        allowed = {"yes", "no"} if parent.kind == "yes_no" else {c.key for c in parent.choices}
        if when not in allowed:
            raise ShippedTemplateError(f"{where}: when must be an answer of {parent.key}")
    question = ShippedQuestion(
        key=key,
        kind=kind,
        text=_text(data, "text", where),
        text_es=_text(data, "text_es", where),
        guidance=_text(data, "guidance", where, required=False),
        guidance_es=_text(data, "guidance_es", where, required=False),
        criteria=tuple(criteria),
        required=required,
        weight=_whole(data, "weight", where, 1, 10),
        expected=expected,
        choices=choices,
        when=when,
    )
    raw_follow_ups = data.get("follow_ups", [])
    if raw_follow_ups and (parent is not None or kind not in ("yes_no", "choice")):
        raise ShippedTemplateError(f"{where}: only a yes_no or choice question has follow-ups")
    if not isinstance(raw_follow_ups, list):
        raise ShippedTemplateError(f"{where}: follow_ups must be a list")
    follow_ups = tuple(
        _question(item, f"{where}, follow-up {n}", parent=question)
        for n, item in enumerate(raw_follow_ups, 1)
    )
    return dataclasses.replace(question, follow_ups=follow_ups)


def parse(data: Any, source: str) -> ShippedTemplate:
    """One template from a file's data; ShippedTemplateError names what is wrong."""
    if not isinstance(data, dict):
        raise ShippedTemplateError(f"{source}: not a template")
    key = data.get("key")
    if not isinstance(key, str) or not KEY.match(key):
        raise ShippedTemplateError(f"{source}: key must be letters, digits and hyphens")
    types = data.get("partner_types")
    if not isinstance(types, list) or not all(isinstance(t, str) for t in types):
        raise ShippedTemplateError(f"{source}: partner_types must list partner type codes")
    raw = data.get("questions")
    if not isinstance(raw, list) or not raw:
        raise ShippedTemplateError(f"{source}: questions must be a list of questions")
    questions = tuple(_question(item, f"{source}, question {n}") for n, item in enumerate(raw, 1))
    keys = [item.key for q in questions for item in (q, *q.follow_ups)]
    if len(set(keys)) != len(keys):
        raise ShippedTemplateError(f"{source}: two questions share a key")
    template = ShippedTemplate(
        key=key,
        version=_whole(data, "version", source, 1, 10_000),
        partner_types=tuple(types),
        name=_text(data, "name", source),
        name_es=_text(data, "name_es", source),
        intro=_text(data, "intro", source),
        intro_es=_text(data, "intro_es", source),
        low_from=_whole(data, "low_from", source, 85, 100),
        medium_from=_whole(data, "medium_from", source, 60, 100),
        questions=questions,
    )
    if template.medium_from > template.low_from:
        raise ShippedTemplateError(f"{source}: medium_from is above low_from")
    return template


@cache
def templates() -> tuple[ShippedTemplate, ...]:
    """Every template in `data/`, by file name."""
    found = []
    for path in sorted(DATA.glob("*.yaml")):
        with path.open(encoding="utf-8") as handle:
            found.append(parse(yaml.safe_load(handle), path.name))
    if len({t.key for t in found}) != len(found):
        raise ShippedTemplateError("two shipped templates share a key")
    return tuple(found)


def template(key: str) -> ShippedTemplate | None:
    return next((t for t in templates() if t.key == key), None)
