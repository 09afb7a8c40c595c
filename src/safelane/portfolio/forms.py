from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from safelane.orgs.access import memberships_of
from safelane.orgs.models import Role
from safelane.portfolio import copying


class CopyForm(forms.Form):
    source = forms.ChoiceField(label=_("From"))
    target = forms.ChoiceField(
        label=_("To"), help_text=_("Only clients where you are a manager or an owner.")
    )
    kinds = forms.MultipleChoiceField(
        label=_("What to bring"),
        widget=forms.CheckboxSelectMultiple,
        choices=[(key, label) for key, (label, _copy) in copying.KINDS.items()],
        initial=list(copying.KINDS),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        rows = list(memberships_of(user))
        self.orgs = {m.organisation.slug: m.organisation for m in rows}
        self.fields["source"].choices = [(m.organisation.slug, m.organisation.name) for m in rows]  # type: ignore[attr-defined]
        targets = [m.organisation.slug for m in rows if m.role_enum.allows(Role.MANAGER)]
        self.fields["target"].choices = [  # type: ignore[attr-defined]
            (slug, self.orgs[slug].name) for slug in targets
        ]
        # Offered from one client to another, never the same one twice.
        self.possible = len(rows) > 1 and bool(targets)
        if targets and not self.is_bound:
            self.initial["target"] = targets[0]
            others = [m.organisation.slug for m in rows if m.organisation.slug != targets[0]]
            self.initial["source"] = others[0] if others else targets[0]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("source") and data.get("source") == data.get("target"):
            self.add_error("target", _("Choose two different organisations."))
        return data
