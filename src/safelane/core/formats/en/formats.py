# English dates as Django writes them ("Dec. 26, 2026", "Dec. 26, 2026, 11:06 p.m."), whether
# a template asks for the short or the long form. Django's English input formats start with ISO.
DATE_FORMAT = "N j, Y"
DATETIME_FORMAT = "N j, Y, P"
SHORT_DATE_FORMAT = DATE_FORMAT
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
