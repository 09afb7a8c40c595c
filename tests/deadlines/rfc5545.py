"""A strict reader of iCalendar text (RFC 5545), with the standard library only: CRLF line
ends, lines of at most 75 octets, unfolding, components that open and close in order, and the
properties a calendar and each event must have. (The `icalendar` package is not a dependency.)"""

from __future__ import annotations

import datetime
import re

NAME = re.compile(r"^[A-Za-z0-9-]+$")


def unescape(value: str) -> str:
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def parse(text: str) -> list[dict[str, str]]:
    """The events of a calendar, each a mapping of property name to its (unescaped) value."""
    assert text.endswith("\r\n"), "the last line must end with CRLF"
    raw = text.split("\r\n")[:-1]
    assert all("\n" not in line and "\r" not in line for line in raw), "bare LF or CR"
    assert all(len(line.encode()) <= 75 for line in raw), "a line longer than 75 octets"
    lines: list[str] = []
    for line in raw:
        if line.startswith((" ", "\t")):
            assert lines, "a continuation line with nothing to continue"
            lines[-1] += line[1:]
        else:
            lines.append(line)
    stack: list[str] = []
    events: list[dict[str, str]] = []
    calendar: dict[str, str] = {}
    for line in lines:
        head, sep, value = line.partition(":")
        assert sep, f"no ':' in {line!r}"
        name = head.split(";")[0].upper()
        assert NAME.match(name), f"bad property name {name!r}"
        if name == "BEGIN":
            stack.append(value)
            if value == "VEVENT":
                events.append({})
        elif name == "END":
            assert stack, f"END:{value} with nothing open"
            assert stack.pop() == value, f"END:{value} out of order"
        elif stack == ["VCALENDAR"]:
            calendar[name] = value
        elif stack == ["VCALENDAR", "VEVENT"]:
            events[-1][name] = unescape(value)
            if head.upper().startswith("DTSTART;VALUE=DATE"):
                datetime.datetime.strptime(value, "%Y%m%d")  # a real date
    assert not stack, "components left open"
    assert calendar.get("VERSION") == "2.0"
    assert calendar.get("PRODID")
    for event in events:
        assert {"UID", "DTSTAMP", "DTSTART", "SUMMARY"} <= set(event), event
    return events
