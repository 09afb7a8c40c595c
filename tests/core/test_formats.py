"""Dates in every language: a date input carries an ISO value the browser can show and send
back, and a date reads one way on every page."""

import datetime

import pytest
from django import forms
from django.utils import translation
from django.utils.formats import date_format

DAY = datetime.date(2026, 12, 26)
MOMENT = datetime.datetime(2026, 12, 26, 23, 6)


class Due(forms.Form):
    # As most forms declare it: no format of its own, so the language's format applies.
    due = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_date_input_shows_its_value_in_iso_in_every_language(language):
    with translation.override(language):
        html = str(Due(initial={"due": DAY})["due"])
    assert 'value="2026-12-26"' in html


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_iso_value_a_date_input_sends_is_understood_in_every_language(language):
    with translation.override(language):
        form = Due(data={"due": "2026-12-26"})
        assert form.is_valid(), form.errors
    assert form.cleaned_data["due"] == DAY


def test_a_date_typed_the_spanish_way_is_still_understood_in_spanish():
    with translation.override("es"):
        form = Due(data={"due": "26/12/2026"})
        assert form.is_valid(), form.errors
    assert form.cleaned_data["due"] == DAY


@pytest.mark.parametrize(
    ("language", "day", "moment"),
    [
        ("en", "Dec. 26, 2026", "Dec. 26, 2026, 11:06 p.m."),
        ("es", "26 dic. 2026", "26 dic. 2026, 23:06"),
    ],
)
def test_a_date_reads_the_same_whether_a_page_asks_for_the_short_or_the_long_form(
    language, day, moment
):
    with translation.override(language):
        assert date_format(DAY, "DATE_FORMAT") == date_format(DAY, "SHORT_DATE_FORMAT") == day
        assert (
            date_format(MOMENT, "DATETIME_FORMAT")
            == date_format(MOMENT, "SHORT_DATETIME_FORMAT")
            == moment
        )
