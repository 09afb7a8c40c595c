import pytest
from django import forms
from django.test.html import parse_html

from safelane.core.forms import QuickSelect


def normalised(html: str):
    """The HTML as a tree: attribute order and whitespace between tags do not count."""
    return parse_html(html)


class Pick(forms.Form):
    country = forms.ChoiceField(
        choices=[("", "—"), ("MX", "México & <Norte>"), ("US", "United States")]
    )
    optional = forms.ChoiceField(required=False, choices=[("a", "A"), ("b", "B")])


@pytest.mark.parametrize("value", [None, "", "MX", "US", "XX"])
def test_quick_select_draws_what_django_draws(value):
    for name in ("country", "optional"):
        field = Pick().fields[name]
        attrs = {"id": f"id_{name}", "aria-describedby": "help"}
        if field.required:
            attrs["required"] = True
        expected = forms.Select(choices=field.choices).render(name, value, attrs)
        quick = QuickSelect(choices=field.choices).render(name, value, attrs)
        assert normalised(quick) == normalised(expected)


def test_quick_select_escapes_labels_and_marks_the_choice():
    html = QuickSelect(choices=[("MX", "México & <Norte>")]).render("c", "MX")
    assert '<option value="MX" selected>México &amp; &lt;Norte&gt;</option>' in html


def test_grouped_choices_fall_back_to_django():
    choices = [("Americas", [("MX", "Mexico"), ("US", "United States")])]
    html = QuickSelect(choices=choices).render("c", "US")
    assert '<optgroup label="Americas">' in html
