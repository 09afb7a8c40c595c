"""Safelane's date and number formats per language, on top of Django's (FORMAT_MODULE_PATH).

Two rules hold in every language. A date input's value is ISO (2026-12-26) first, because that is
the only form an `<input type="date">` can show and send back; what a person reads is the browser's
own rendering of it in their language. And a date reads the same everywhere on a page: one way
for a date, one for a date with its time, whether a template asks for the short or the long form.
"""
