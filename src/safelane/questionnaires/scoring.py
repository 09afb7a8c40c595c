"""How answers are scored, and what level of vulnerability a questionnaire's score shows.

Each scored answer earns 0-100 % of its question's weight: automatically where the template says
how (the expected yes or no, a choice's score), else as a person scores it. The questionnaire's
score is the weighted mean over the answers that count; follow-ups that were not asked,
unanswered optional questions and questions of weight 0 do not count.
"""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from safelane.questionnaires.models import Answer, Level, QuestionKind


def asked(answer: Answer, by_key: Mapping[str, Answer]) -> bool:
    """Whether the partner was asked the question: always, or, for a follow-up, when its
    question has the answer that shows it."""
    if not answer.parent_key:
        return True
    parent = by_key.get(answer.parent_key)
    return parent is not None and asked(parent, by_key) and parent.value == answer.shown_when


def answered(answer: Answer, documents: int = 0) -> bool:
    if answer.kind == QuestionKind.FILE:
        return documents > 0
    return bool(answer.value.strip())


def automatic(answer: Answer) -> int | None:
    """The score the template gives the answer by itself, or None (a person scores it)."""
    if answer.weight == 0 or not answer.value:
        return None
    if answer.kind == QuestionKind.YES_NO and answer.expected in ("yes", "no"):
        return 100 if answer.value == answer.expected else 0
    if answer.kind == QuestionKind.CHOICE and isinstance(answer.choices, list):
        for option in answer.choices:
            if isinstance(option, dict) and option.get("key") == answer.value:
                score = option.get("score")
                return score if isinstance(score, int) and 0 <= score <= 100 else None
    return None


def clean_value(kind: str, value: Any) -> str:
    """An answer as it is stored: text as typed, a date as ISO, a number without exponent."""
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    return str(value).strip()


def shown_value(answer: Answer) -> str:
    """The answer as people read it: a choice's label, a date in the reader's format."""
    if not answer.value:
        return ""
    if answer.kind in (QuestionKind.YES_NO, QuestionKind.CHOICE):
        return answer.option_labels().get(answer.value, answer.value)
    if answer.kind == QuestionKind.DATE:
        from django.utils.formats import date_format

        try:
            return date_format(datetime.date.fromisoformat(answer.value))
        except ValueError:
            return answer.value
    return answer.value


@dataclass(frozen=True)
class Marked:
    """An answer as the review reads it."""

    answer: Answer
    asked: bool
    answered: bool
    counts: bool  # it counts in the score (asked, answered, weight above 0)
    needs_person: bool  # it counts, the template gives no score, and nobody has scored it
    weak: bool  # it counts and earned less than all its points


@dataclass(frozen=True)
class Result:
    score: Decimal | None  # 0-100, one decimal; None while nothing counts
    level: str  # a Level, or "" while answers wait for a person's score
    marked: list[Marked]

    @property
    def unscored(self) -> list[Marked]:
        return [m for m in self.marked if m.needs_person]

    @property
    def weak(self) -> list[Marked]:
        return [m for m in self.marked if m.weak]


def level_for(score: Decimal | None, low_from: int, medium_from: int) -> str:
    """The vulnerability a score shows: low from `low_from`, medium from `medium_from`."""
    if score is None:
        return ""
    if score >= low_from:
        return Level.LOW
    return Level.MEDIUM if score >= medium_from else Level.HIGH


def result(
    answers: Iterable[Answer], documents: Mapping[int, int], *, low_from: int, medium_from: int
) -> Result:
    """The score and level of a questionnaire's answers (`documents`: uploads per answer id)."""
    answers = list(answers)
    by_key = {a.key: a for a in answers}
    marked: list[Marked] = []
    earned = total = Decimal(0)
    for a in answers:
        is_asked = asked(a, by_key)
        is_answered = is_asked and answered(a, documents.get(a.pk, 0))
        counts = is_answered and a.weight > 0
        score = a.score if counts else None
        marked.append(
            Marked(
                answer=a,
                asked=is_asked,
                answered=is_answered,
                counts=counts,
                needs_person=counts and score is None,
                weak=counts and score is not None and score < 100,
            )
        )
        if counts and score is not None:
            earned += Decimal(a.weight) * score
            total += Decimal(a.weight) * 100
    found = (
        (earned * 100 / total).quantize(Decimal("0.1"), rounding=decimal.ROUND_HALF_UP)
        if total
        else None
    )
    waiting = any(m.needs_person for m in marked)
    return Result(found, "" if waiting else level_for(found, low_from, medium_from), marked)
