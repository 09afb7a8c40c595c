"""Forms of the questionnaire pages and of the link the partner answers by."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from safelane.catalog import selectors as catalog_selectors
from safelane.core.forms import ConfirmForm, VersionedModelForm, no_control_characters
from safelane.questionnaires import selectors, services
from safelane.questionnaires.models import (
    Answer,
    Document,
    Question,
    QuestionKind,
    QuestionnaireTemplate,
)

DAYS_HELP = _("How long the link works; the partner can ask for a new one later.")


class TemplateForm(VersionedModelForm):
    partner_types = forms.MultipleChoiceField(
        label=_("For partner types"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The send page suggests this template for partners of these types."),
    )

    class Meta:
        model = QuestionnaireTemplate
        fields = [
            "name",
            "name_es",
            "partner_types",
            "intro",
            "intro_es",
            "low_from",
            "medium_from",
            "resend",
        ]
        widgets = {
            "intro": forms.Textarea(attrs={"rows": 3}),
            "intro_es": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partner_types"].choices = selectors.partner_types()  # type: ignore[attr-defined]

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self._meta.fields or ()}


class NewTemplateForm(TemplateForm):
    version = None  # type: ignore[assignment]


CHOICES_HELP = _(
    "For a choice question: one choice a line, as code | English | Spanish | score (0-100, or leave it out for a person to score it)."
)


def choices_text(choices: Any) -> str:
    """A question's choices as the form shows them, one a line."""
    lines = []
    for option in choices if isinstance(choices, list) else []:
        if isinstance(option, dict):
            score = option.get("score")
            parts = [option.get("key", ""), option.get("label", ""), option.get("label_es", "")]
            lines.append(
                " | ".join([*map(str, parts), "" if score is None else str(score)]).rstrip(" |")
            )
    return "\n".join(lines)


def parse_choices(text: str) -> list[dict[str, Any]]:
    """Choice lines back into choices; what is malformed is left for the service to refuse."""
    found: list[dict[str, Any]] = []
    for line in text.splitlines():
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|")]
        key, label, label_es, score = [*parts, "", "", "", ""][:4]
        found.append(
            {
                "key": key.lower(),
                "label": label,
                "label_es": label_es,
                "score": int(score) if score.isdigit() and len(score) <= 3 else (score or None),
            }
        )
    return found


class QuestionForm(VersionedModelForm):
    """A question of a template; `siblings` are the template's questions (for follow-ups)."""

    choices_text = forms.CharField(
        label=_("Choices"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=CHOICES_HELP,
        validators=[no_control_characters],
    )
    criteria_text = forms.CharField(
        label=_("Criteria it checks"),
        max_length=200,
        help_text=_("MSC criterion IDs separated by commas, such as 6.1, 6.2."),
        validators=[no_control_characters],
    )
    follow_up_of = forms.TypedChoiceField(
        label=_("Follow-up of"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("Leave empty for a question of its own."),
    )

    class Meta:
        model = Question
        fields = [
            "text",
            "text_es",
            "kind",
            "required",
            "weight",
            "expected",
            "guidance",
            "guidance_es",
            "shown_when",
        ]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 2}),
            "text_es": forms.Textarea(attrs={"rows": 2}),
            "guidance": forms.Textarea(attrs={"rows": 2}),
            "guidance_es": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "shown_when": _(
                "For a follow-up: the answer that shows it (yes, no, or a choice's code)."
            ),
            "expected": _("For a yes/no question: the answer that earns its points."),
        }

    def __init__(self, *args: Any, siblings: list[Question] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.siblings = {q.pk: q for q in siblings or [] if q.follow_up_of_id is None}
        self.fields["follow_up_of"].choices = [  # type: ignore[attr-defined]
            ("", _("(none)")),
            *((pk, f"{i}. {q.text[:70]}") for i, (pk, q) in enumerate(self.siblings.items(), 1)),
        ]
        if self.instance.pk and not self.is_bound:
            self.initial["choices_text"] = choices_text(self.instance.choices)
            self.initial["criteria_text"] = ", ".join(map(str, self.instance.criteria or []))
            self.initial["follow_up_of"] = self.instance.follow_up_of_id

    def stored_value(self, name: str, record: Any) -> Any:
        if name == "follow_up_of":
            return record.follow_up_of_id
        return super().stored_value(name, record)

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        parent = data.get("follow_up_of")
        return {
            **{name: data[name] for name in self._meta.fields or ()},
            "choices": parse_choices(data.get("choices_text") or ""),
            "criteria": catalog_selectors.split_criterion_ids(data.get("criteria_text") or ""),
            "follow_up_of": self.siblings.get(parent) if parent is not None else None,
        }

    def clean_follow_up_of(self) -> int | None:
        value = self.cleaned_data.get("follow_up_of")
        if value is not None and value not in self.siblings:
            raise forms.ValidationError(_("Choose a question of this template."))
        return value


class NewQuestionForm(QuestionForm):
    version = None  # type: ignore[assignment]


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", _("Up")), ("down", _("Down"))])


class SendForm(forms.Form):
    template = forms.TypedChoiceField(label=_("Questionnaire"), coerce=int)
    contact = forms.TypedChoiceField(label=_("Send to"), coerce=int, widget=forms.RadioSelect)
    days = forms.IntegerField(
        label=_("Link valid for (days)"),
        min_value=1,
        max_value=services.MAX_DAYS,
        initial=services.DEFAULT_DAYS,
        help_text=DAYS_HELP,
    )
    message = forms.CharField(
        label=_("Message to the contact (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Added to the e-mail and shown on the questionnaire."),
    )

    def __init__(
        self, *args: Any, templates: list[QuestionnaireTemplate], contacts: list[Any], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.templates = {t.pk: t for t in templates}
        self.contacts = {c.pk: c for c in contacts}
        self.fields["template"].choices = [(t.pk, t.label) for t in templates]  # type: ignore[attr-defined]
        self.fields["contact"].choices = [  # type: ignore[attr-defined]
            (c.pk, f"{c.name} <{c.email}> · {c.get_language_display()}") for c in contacts
        ]

    def clean_template(self) -> QuestionnaireTemplate:
        return self.templates[self.cleaned_data["template"]]

    def clean_contact(self) -> Any:
        return self.contacts[self.cleaned_data["contact"]]


class ReissueForm(ConfirmForm):
    days = forms.IntegerField(
        label=_("New link valid for (days)"),
        min_value=1,
        max_value=services.MAX_DAYS,
        initial=services.DEFAULT_DAYS,
    )


class CorrectionsForm(ConfirmForm):
    note = forms.CharField(
        label=_("What should the partner correct?"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "The partner reads this, and your notes on each answer, when the link opens again."
        ),
    )
    days = forms.IntegerField(
        label=_("Link open for at least (days)"),
        min_value=1,
        max_value=services.MAX_DAYS,
        initial=14,
    )


class ScoreForm(ConfirmForm):
    score = forms.TypedChoiceField(
        label=_("Score"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[
            ("", _("Automatic / not scored")),
            (100, _("Meets it (100%)")),
            (75, "75%"),
            (50, _("Partly (50%)")),
            (25, "25%"),
            (0, _("Does not meet it (0%)")),
        ],
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The partner reads it if you ask for corrections."),
    )

    def __init__(self, *args: Any, answer: Answer | None = None, **kwargs: Any) -> None:
        if answer is not None:
            # One form per answer on the review page: ids of their own.
            kwargs.setdefault("auto_id", f"id_s{answer.pk}_%s")
        super().__init__(*args, record=answer, **kwargs)
        if answer is not None and not self.is_bound:
            self.initial.update({"score": answer.manual_score, "note": answer.review_note})


# The link's form


class RevealingRadioSelect(forms.RadioSelect):
    """Radios whose options that show a follow-up carry `reveals-N`, so that the stylesheet can
    show follow-up N only when one of them is chosen (it shows every follow-up without)."""

    def __init__(
        self, *args: Any, reveals: dict[str, list[int]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.reveals = reveals or {}

    def create_option(self, name: str, value: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(name, value, *args, **kwargs)
        shown = self.reveals.get(str(value), [])
        option["attrs"]["class"] = " ".join(["q-autosave", *(f"reveals-{n}" for n in shown)])
        return option


@dataclass(frozen=True)
class Asked:
    """One question as the link draws it."""

    answer: Answer
    field: forms.BoundField | None  # None for a document question
    file_field: forms.BoundField | None
    documents: list[Document]
    follow_ups: list[Asked]
    follow_up_number: int  # 1, 2, ... under its question; 0 for a question of its own
    number: str  # as the page numbers it: "4", or "4.1" for a follow-up

    @property
    def radios(self) -> bool:
        return self.answer.kind in (QuestionKind.YES_NO, QuestionKind.CHOICE)

    @property
    def shown(self) -> str:
        from safelane.questionnaires import scoring

        return scoring.shown_value(self.answer)


# Fields whose change saves the draft by itself (with HTMX); files wait for a button.
AUTOSAVE = {"class": "q-autosave"}


class LinkForm(forms.Form):
    """Every answer of one questionnaire, who answers, documents to add or remove.

    Each field carries the value the page was drawn with (`show_hidden_initial`), so a save
    writes only what the person changed: two tabs, or a reviewer's notes, are not overwritten
    by answers nobody touched.
    """

    respondent_name = forms.CharField(
        label=_("Your name"),
        required=False,
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name", "class": "q-autosave"}),
    )
    respondent_role = forms.CharField(
        label=_("Your role"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "organization-title", "class": "q-autosave"}),
    )
    confirm = forms.BooleanField(
        label=_("I confirm that these answers are accurate and complete."), required=False
    )
    documents = forms.FileField(label=_("Another document"), required=False)
    remove = forms.TypedMultipleChoiceField(coerce=int, required=False)

    def __init__(
        self,
        *args: Any,
        answers: list[Answer],
        documents: list[Document],
        respondent: tuple[str, str] = ("", ""),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.answers = answers
        self.document_rows = documents
        self.fields["remove"].choices = [(d.pk, d.original_name) for d in documents]  # type: ignore[attr-defined]
        if not self.is_bound:
            self.initial.update(
                {"respondent_name": respondent[0], "respondent_role": respondent[1]}
            )
        reveals = self._reveals()
        for answer in answers:
            field = self._field(answer, reveals.get(answer.key, {}))
            name = f"a-{answer.key}"
            if field is not None:
                field.show_hidden_initial = True
                self.fields[name] = field
                self.initial.setdefault(name, answer.value)
            else:
                self.fields[f"file-{answer.key}"] = forms.FileField(
                    label=answer.label, required=False
                )

    def _reveals(self) -> dict[str, dict[str, list[int]]]:
        """For each question with follow-ups: its answers that show follow-up 1, 2, ..."""
        found: dict[str, dict[str, list[int]]] = {}
        numbers: dict[str, int] = {}
        for answer in self.answers:
            if answer.parent_key:
                numbers[answer.parent_key] = numbers.get(answer.parent_key, 0) + 1
                found.setdefault(answer.parent_key, {}).setdefault(answer.shown_when, []).append(
                    numbers[answer.parent_key]
                )
        return found

    @staticmethod
    def _field(answer: Answer, reveals: dict[str, list[int]]) -> forms.Field | None:
        label, help_text = answer.label, answer.guidance_text
        common: dict[str, Any] = {"label": label, "required": False, "help_text": help_text}
        if answer.kind in (QuestionKind.YES_NO, QuestionKind.CHOICE):
            return forms.ChoiceField(
                choices=list(answer.option_labels().items()),
                widget=RevealingRadioSelect(reveals=reveals),
                **common,
            )
        if answer.kind == QuestionKind.DATE:
            return forms.DateField(
                widget=forms.DateInput(attrs={"type": "date", **AUTOSAVE}, format="%Y-%m-%d"),
                **common,
            )
        if answer.kind == QuestionKind.NUMBER:
            return forms.DecimalField(
                max_digits=16,
                decimal_places=4,
                localize=True,
                widget=forms.TextInput(attrs={"inputmode": "decimal", **AUTOSAVE}),
                **common,
            )
        if answer.kind == QuestionKind.TEXT:
            return forms.CharField(
                max_length=4000,
                widget=forms.Textarea(attrs={"rows": 3, **AUTOSAVE}),
                validators=[no_control_characters],
                **common,
            )
        return None

    def draft(self) -> services.Draft:
        """The changes to save: only the answers the person changed, the files chosen."""
        data = self.cleaned_data
        changed = set(self.changed_data)
        values = {
            a.key: data.get(f"a-{a.key}")
            for a in self.answers
            if f"a-{a.key}" in changed and f"a-{a.key}" in self.fields
        }
        files = [
            (a.key, data[f"file-{a.key}"])
            for a in self.answers
            if data.get(f"file-{a.key}") is not None
        ]
        if data.get("documents") is not None:
            files.append(("", data["documents"]))
        return services.Draft(
            values=values,
            files=files,
            remove=list(data.get("remove") or []),
            respondent_name=data.get("respondent_name"),
            respondent_role=data.get("respondent_role"),
        )

    def file_names(self) -> str:
        """The file fields, which saving by itself leaves out (a button sends them)."""
        return ",".join(name for name, f in self.fields.items() if isinstance(f, forms.FileField))

    def mark_missing(self, keys: list[str]) -> None:
        for key in keys:
            name = f"a-{key}" if f"a-{key}" in self.fields else f"file-{key}"
            if name in self.fields:
                self.add_error(name, _("Answer this question to submit."))

    def asked(self) -> list[Asked]:
        """The questions in order, each with its follow-ups, for the page to draw."""
        docs: dict[int, list[Document]] = {}
        for doc in self.document_rows:
            if doc.answer_id is not None:
                docs.setdefault(doc.answer_id, []).append(doc)
        built: dict[str, Asked] = {}
        top: list[Asked] = []
        numbers: dict[str, int] = {}
        for answer in self.answers:
            name = f"a-{answer.key}"
            number = 0
            parent = built.get(answer.parent_key) if answer.parent_key else None
            if parent is not None:
                numbers[answer.parent_key] = numbers.get(answer.parent_key, 0) + 1
                number = numbers[answer.parent_key]
            item = Asked(
                answer=answer,
                field=self[name] if name in self.fields else None,
                file_field=self[f"file-{answer.key}"]
                if f"file-{answer.key}" in self.fields
                else None,
                documents=docs.get(answer.pk, []),
                follow_ups=[],
                follow_up_number=number,
                number=f"{parent.number}.{number}" if parent is not None else str(len(top) + 1),
            )
            if parent is not None:
                parent.follow_ups.append(item)
            else:
                top.append(item)
            built[answer.key] = item
        return top

    def progress(self) -> tuple[int, int]:
        """Questions answered so far, of those asked (follow-ups count when shown)."""
        from safelane.questionnaires import scoring

        by_key = {a.key: a for a in self.answers}
        counts: dict[int, int] = {}
        for doc in self.document_rows:
            if doc.answer_id is not None:
                counts[doc.answer_id] = counts.get(doc.answer_id, 0) + 1
        asked = [a for a in self.answers if scoring.asked(a, by_key)]
        done = [a for a in asked if scoring.answered(a, counts.get(a.pk, 0))]
        return len(done), len(asked)
