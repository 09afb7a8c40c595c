"""The iCalendar text: escaped, folded, and read back by a strict reader."""

from __future__ import annotations

import datetime

from safelane.deadlines import ical
from tests.deadlines.rfc5545 import parse

STAMP = datetime.datetime(2026, 12, 2, 8, 0, tzinfo=datetime.UTC)


def test_an_event_reads_back_as_it_was_written():
    text = ical.calendar(
        [
            ical.Event(
                uid="a-1@safelane",
                day=datetime.date(2027, 2, 28),
                summary="Annual review due · Acme Imports, Inc.; Laredo",
                description="Line one\nline two, with a backslash \\",
                url="https://safelane.example/o/acme/membership/",
            )
        ],
        name="Safelane deadlines",
        stamp=STAMP,
    )
    [event] = parse(text)
    assert event["SUMMARY"] == "Annual review due · Acme Imports, Inc.; Laredo"
    assert event["DESCRIPTION"] == "Line one\nline two, with a backslash \\"
    assert event["DTSTART"] == "20270228"
    assert event["DTEND"] == "20270301"
    assert event["DTSTAMP"] == "20261202T080000Z"


def test_long_lines_fold_at_75_octets_without_splitting_a_character():
    summary = "Revisión anual del perfil de seguridad — " * 6
    text = ical.calendar(
        [ical.Event(uid="b@safelane", day=datetime.date(2027, 1, 1), summary=summary)],
        name="x",
        stamp=STAMP,
    )
    [event] = parse(text)  # the reader refuses any line past 75 octets
    assert event["SUMMARY"] == summary
    assert "\r\n " in text


def test_an_empty_calendar_is_still_a_calendar():
    assert parse(ical.calendar([], name="x", stamp=STAMP)) == []
