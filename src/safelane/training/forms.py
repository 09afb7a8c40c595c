from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from safelane.core.forms import VersionedModelForm, no_control_characters
from safelane.core.inputs import parse_id
from safelane.training.models import (
    ConductAcknowledgement,
    Course,
    Person,
    Screening,
    TrainingSession,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class NamesField(forms.CharField):
    """A list of names typed one a line or separated by commas (roles, sites, criterion IDs)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 4000)
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 2}))
        kwargs.setdefault("validators", [no_control_characters])
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return ", ".join(str(v) for v in value)
        return value

    def clean(self, value: Any) -> list[str]:
        text = super().clean(value) or ""
        return [part.strip() for part in re.split(r"[,;\n]", text) if part.strip()]


class PersonForm(VersionedModelForm):
    class Meta:
        model = Person
        fields = ["name", "employee_number", "role", "site", "department", "start_date", "active"]
        widgets = {"start_date": DATE}

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self._meta.fields or ()}


class NewPersonForm(PersonForm):
    version = None  # type: ignore[assignment]


class CourseForm(VersionedModelForm):
    criteria = NamesField(
        label=_("Criteria"), help_text=_("MSC criterion IDs, separated by commas: 12.1, 12.2.")
    )
    roles = NamesField(
        label=_("Roles that must take it"),
        help_text=_("As the people register writes them, separated by commas. Empty: everyone."),
    )
    sites = NamesField(
        label=_("Sites where it is required"),
        help_text=_("Separated by commas. Empty: every site."),
    )

    class Meta:
        model = Course
        fields = [
            "title",
            "title_es",
            "topic",
            "validity_months",
            "roles",
            "sites",
            "criteria",
            "description",
            "description_es",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "description_es": forms.Textarea(attrs={"rows": 3}),
        }

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self._meta.fields or ()}


class NewCourseForm(CourseForm):
    version = None  # type: ignore[assignment]


class NumbersField(forms.CharField):
    """Employee numbers as a sign-in sheet lists them: separated by spaces, commas or lines."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 100_000)
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 2}))
        kwargs.setdefault("validators", [no_control_characters])
        super().__init__(**kwargs)

    def clean(self, value: Any) -> list[str]:
        return [n for n in dict.fromkeys(re.split(r"[\s,;]+", super().clean(value) or "")) if n]


class RecordsField(forms.ModelMultipleChoiceField):
    """Records picked by id; an id beyond what the database holds is not one of the choices
    (and is never sent to the database, which would refuse it with a server error)."""

    def clean(self, value: Any) -> Any:
        for pk in value if isinstance(value, list | tuple) else ():
            if parse_id(str(pk)) is None:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
        return super().clean(value)


def people_field() -> RecordsField:
    return RecordsField(
        label=_("People"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Hold Ctrl (or ⌘) to pick several."),
    )


def numbers_field() -> NumbersField:
    return NumbersField(
        label=_("Or their employee numbers"),
        help_text=_("As the signed sheet lists them, separated by spaces, commas or lines."),
    )


def chosen_people(form: forms.BaseForm, data: dict[str, Any], people: Any) -> list[Any]:
    """The people picked plus those named by employee number; an unknown number is an error
    on its field."""
    numbers = data.get("employee_numbers") or []
    found = list(people.filter(employee_number__in=numbers)) if numbers else []
    unknown = sorted(set(numbers) - {p.employee_number for p in found})
    if unknown:
        form.add_error(
            "employee_numbers",
            _("No active person has the employee number: %(numbers)s.")
            % {"numbers": ", ".join(n[:40] for n in unknown[:20])},
        )
    return list(dict.fromkeys([*(data.get("people") or []), *found]))


class AttendeesForm(forms.Form):
    people = people_field()
    employee_numbers = numbers_field()

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = people  # type: ignore[attr-defined]
        self.people = people

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["chosen"] = chosen_people(self, data, self.people)
        return data


class SessionForm(VersionedModelForm):
    courses = RecordsField(
        label=_("Courses"), queryset=Course.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = TrainingSession
        fields = ["held_on", "trainer", "mode", "courses", "topics", "check_method", "pass_mark"]
        widgets = {"held_on": DATE, "topics": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, courses: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["courses"].queryset = courses  # type: ignore[attr-defined]
        self.fields["courses"].label_from_instance = lambda c: c.shown_title  # type: ignore[attr-defined]

    def values(self) -> dict[str, Any]:
        return {n: self.cleaned_data[n] for n in self._meta.fields or () if n != "courses"}


class NewSessionForm(SessionForm):
    version = None  # type: ignore[assignment]
    people = people_field()
    employee_numbers = numbers_field()

    def __init__(self, *args: Any, courses: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, courses=courses, **kwargs)
        self.fields["people"].queryset = people  # type: ignore[attr-defined]
        self.people = people

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["chosen"] = chosen_people(self, data, self.people)
        return data


class ScoresForm(forms.Form):
    """Each attendee's score on the check, as a percentage; the session's version guards them."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31)

    def __init__(self, *args: Any, attendance: list[Any], session: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if session is not None and not self.is_bound:
            self.initial["version"] = session.version
        self.attendance = attendance
        for row in attendance:
            self.fields[f"score_{row.pk}"] = forms.IntegerField(
                label=row.person.name,
                required=False,
                min_value=0,
                max_value=100,
                initial=row.score,
                widget=forms.NumberInput(attrs={"class": "score", "inputmode": "numeric"}),
            )

    def pairs(self) -> list[tuple[Any, forms.BoundField]]:
        """Each attendee with their score's field, for the attendance table."""
        return [(row, self[f"score_{row.pk}"]) for row in self.attendance]

    def scores(self) -> dict[int, int | None]:
        return {
            int(name.removeprefix("score_")): value
            for name, value in self.cleaned_data.items()
            if name.startswith("score_")
        }


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or Excel file"),
        help_text=_(
            "One person a row, with a header row. At least: employee_number, name; role and "
            "site place each person in the matrix."
        ),
    )


class ColumnsForm(forms.Form):
    """Which column of the file holds each field (guessed from the headers)."""

    skip_bad_rows = forms.BooleanField(
        label=_("Import only the good rows (leave out the rows with problems)"), required=False
    )
    deactivate_missing = forms.BooleanField(
        label=_("The file lists everyone: make the people it leaves out inactive"),
        required=False,
        help_text=_("They stay on record with their training; nobody is deleted."),
    )

    def __init__(
        self,
        *args: Any,
        headers: list[str],
        fields: list[tuple[str, Any]],
        guessed: dict[str, str],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", _("(not in the file)")), *((h, h) for h in headers)]
        for name, label in fields:
            self.fields[f"col_{name}"] = forms.ChoiceField(
                label=label, choices=choices, required=False, initial=guessed.get(name, "")
            )
        self.order_fields([f"col_{n}" for n, _l in fields] + ["skip_bad_rows"])

    def mapping(self) -> dict[str, str]:
        return {
            name.removeprefix("col_"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("col_") and value
        }


class MatrixForm(forms.Form):
    """The matrix's filters; the choices are the organisation's own roles, sites and courses."""

    q = forms.CharField(label=_("Name or number"), required=False, max_length=100)
    site = forms.ChoiceField(label=_("Site"), required=False)
    role = forms.ChoiceField(label=_("Role"), required=False)
    course = forms.TypedChoiceField(label=_("Course"), required=False, coerce=int, empty_value=None)
    state = forms.ChoiceField(label=_("Show"), required=False)

    def __init__(
        self, *args: Any, roles: list[str], sites: list[str], courses: list[Any], **kw: Any
    ) -> None:
        super().__init__(*args, **kw)
        every = [("", _("Any"))]
        self.fields["site"].choices = every + [(s, s) for s in sites]  # type: ignore[attr-defined]
        self.fields["role"].choices = every + [(r, r) for r in roles]  # type: ignore[attr-defined]
        self.fields["course"].choices = [("", _("Every course"))] + [  # type: ignore[attr-defined]
            (c.pk, c.shown_title) for c in courses
        ]
        self.fields["state"].choices = [  # type: ignore[attr-defined]
            ("", _("Everyone")),
            ("late", _("Only those overdue or due soon")),
        ]


class ScreeningForm(forms.ModelForm):
    class Meta:
        model = Screening
        fields = ["screened_on", "result", "next_due"]
        widgets = {"screened_on": DATE, "next_due": DATE, "result": forms.RadioSelect}


class AcknowledgementForm(forms.ModelForm):
    class Meta:
        model = ConductAcknowledgement
        fields = ["code_version", "acknowledged_on"]
        widgets = {"acknowledged_on": DATE}
