"""Form pieces every domain reuses: the version check and showing domain errors."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.forms.utils import flatatt
from django.http import QueryDict
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
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
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version
        self.conflict: Any = None

    def changed_values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self._meta.fields or ()}

    def add_domain_error(self, error: DomainError) -> None:
        """Show a service's refusal on the form; on a conflict keep theirs to show beside ours."""
        if isinstance(error, ConflictError):
            self.conflict = [
                {
                    "label": self.fields[name].label or name,
                    "yours": self.cleaned_data.get(name),
                    "theirs": getattr(error.current, name, None),
                }
                for name in self._meta.fields or ()
                if name in self.fields
            ]
            # Let the next submit go through deliberately, on top of their version.
            data = cast(QueryDict, self.data).copy()
            data["version"] = str(error.current.version)
            self.data = data
        field = error.field if error.field in self.fields else None
        self.add_error(field, str(error.message))


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
