"""Form pieces every domain reuses: the version check and showing domain errors."""

from __future__ import annotations

import copy
import datetime
from typing import Any, cast

from django import forms
from django.forms.utils import flatatt
from django.http import QueryDict
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from safelane.core.errors import ConflictError, DomainError, NotAllowedError
from safelane.core.records import holds_control_character


def no_control_characters(value: Any) -> None:
    """Refuse a field's text holding a control character, for fields a form turns into other
    values before any service sees the text (a list of criterion IDs split on spaces would
    otherwise take a vertical tab for a space)."""
    if holds_control_character(value):
        raise forms.ValidationError(
            _("This field holds a control character; remove it and try again."),
            code="control_character",
        )


def make_read_only(form: forms.BaseForm) -> None:
    """Show the form's values to someone whose role may read but not change them."""
    for field in form.fields.values():
        field.disabled = True


class VersionedModelForm(forms.ModelForm):
    """A model form that carries the version the user loaded, for the conflict check."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        data = args[0] if args else kwargs.get("data")
        if data is not None and kwargs.get("instance") is not None:
            # Checking a bound form copies its values onto the instance: a copy, so that a
            # refused change never shows elsewhere on the page (a heading, a badge) as saved.
            kwargs["instance"] = copy.copy(kwargs["instance"])
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version
        for field in self.fields.values():
            # Each field also sends the value the person loaded, so that after a conflict the
            # form tells what they changed from what they left alone (`changed_data`).
            if not isinstance(field.widget, forms.HiddenInput | forms.FileInput):
                field.show_hidden_initial = True
        self.conflict: Any = None

    def changed_values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self._meta.fields or ()}

    def stored_value(self, name: str, record: Any) -> Any:
        """The record's value for field `name`, as this form's data holds it (a choice of
        record by its id). A form whose field differs from the model's says how."""
        return record._meta.get_field(name).value_from_object(record)

    def add_domain_error(self, error: DomainError) -> None:
        """Show a service's refusal on the form. On a conflict, compare each field the two
        versions disagree on, and keep in the form the person's changes on top of the saved
        version: a field they did not touch takes the saved value, so sending the form again
        keeps their changes without undoing the other person's."""
        if isinstance(error, ConflictError):
            self._merge(error.current)
        field = error.field if error.field in self.fields else None
        self.add_error(field, str(error.message))

    def _merge(self, current: Any) -> None:
        data = cast(QueryDict, self.data).copy()
        touched = set(self.changed_data)
        self.conflict = []
        for name, field in self.fields.items():
            if field.disabled or field.widget.is_hidden or not hasattr(current, name):
                continue
            stored = self.stored_value(name, current)
            theirs = self._shown(name, _as_python(field, stored))
            _put(data, self.add_initial_prefix(name), stored, hidden=True)
            if self._shown(name, self.cleaned_data.get(name)) == theirs:
                continue
            mine = name in touched
            yours = self._shown(name, self.cleaned_data.get(name)) if mine else ""
            self.conflict.append(
                {"label": field.label or name, "yours": yours, "theirs": theirs, "mine": mine}
            )
            if not mine:
                _put(data, self.add_prefix(name), stored, checkbox=_is_checkbox(field))
        # The next submit goes through deliberately, on top of their version.
        data[self.add_prefix("version")] = str(current.version)
        self.data = data

    def _shown(self, name: str, value: Any) -> str:
        """A value as people read it: a choice's label, a record's name, a date in words."""
        field = self.fields[name]
        if value is None or value == "" or value == []:
            return ""
        if isinstance(field, forms.BooleanField):
            return gettext("Yes") if value else gettext("No")
        if isinstance(field, forms.ModelChoiceField):
            return str(value)
        if isinstance(field, forms.ChoiceField):
            labels = {str(key): label for key, label in _flat(field.choices)}
            return str(labels.get(str(value), value))
        if isinstance(value, datetime.date):
            return date_format(value)
        if isinstance(value, list | tuple):
            return ", ".join(str(item) for item in value)
        return str(value)


def _flat(choices: Any) -> list[tuple[Any, Any]]:
    """A field's choices without their groups."""
    flat: list[tuple[Any, Any]] = []
    for key, label in choices:
        if isinstance(label, list | tuple):
            flat.extend(label)
        else:
            flat.append((key, label))
    return flat


def _as_python(field: forms.Field, value: Any) -> Any:
    """A stored value as the form field's own (a record for a choice of records)."""
    try:
        return field.to_python(value)
    except forms.ValidationError:
        return value


def _is_checkbox(field: forms.Field) -> bool:
    return isinstance(field.widget, forms.CheckboxInput)


def _put(
    data: QueryDict, key: str, value: Any, *, hidden: bool = False, checkbox: bool = False
) -> None:
    """Set a form's submitted value as its widget would send it."""
    if checkbox and not hidden:
        if value:
            data[key] = "on"
        else:
            data.pop(key, None)
    elif isinstance(value, list | tuple):
        data.setlist(key, [str(item) for item in value])
    else:
        data[key] = "" if value is None else str(value)


def form_errors(form: forms.BaseForm) -> list[str]:
    """Every error of a form, its own first, as the texts a message shows."""
    return [*form.non_field_errors(), *(error for field in form for error in field.errors)]


def refusal_status(error: DomainError) -> int:
    """409 for a conflict with someone else's change, 403 for a role refused, else 400."""
    if isinstance(error, ConflictError):
        return 409
    return 403 if isinstance(error, NotAllowedError) else 400


def add_refusal(form: forms.BaseForm, error: DomainError) -> None:
    """Show a service's refusal on the form that asked for the change (on its field, if the
    service named one the form has), and remember it and the status the page answers with (a
    page may show more of it, such as which cells of a grid were refused)."""
    if isinstance(form, VersionedModelForm):
        form.add_domain_error(error)
    else:
        field = error.field if error.field in form.fields else None
        form.add_error(field, str(error.message))
    form.refusal = error  # type: ignore[attr-defined]
    form.refusal_status = refusal_status(error)  # type: ignore[attr-defined]


class ConfirmForm(forms.Form):
    """A button with no fields of its own (sign off, verify, archive): it carries the version of
    the record the person saw, so nothing they did not see is signed or changed."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31)

    def __init__(self, *args: Any, record: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if record is not None and not self.is_bound:
            self.initial["version"] = record.version


class PickForm(forms.Form):
    """Choose one record from a short list by its id, such as evidence to link."""

    def __init__(self, *args: Any, name: str, label: Any, choices: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields[name] = forms.TypedChoiceField(
            label=label, coerce=int, choices=[(item.pk, str(item)) for item in choices]
        )


class QuickSelect(forms.Select):
    """A select drawn in Python rather than one template per option.

    Django renders every option through a template, which costs milliseconds for a list of all
    countries or of every point of a large map. This widget gives the same HTML (attributes,
    the selected option, escaping) for flat option lists; grouped ones fall back to Django's.
    """

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        context = self.get_context(name, value, attrs)["widget"]
        groups = context["optgroups"]
        if any(group_name for group_name, _options, _index in groups):
            return super().render(name, value, attrs, renderer)
        options = format_html_join(
            "",
            "<option{}>{}</option>",
            (
                (flatatt({"value": option["value"], **option["attrs"]}), option["label"])
                for _group, group_options, _index in groups
                for option in group_options
            ),
        )
        return format_html(
            "<select{}>{}</select>", flatatt({"name": context["name"], **context["attrs"]}), options
        )
