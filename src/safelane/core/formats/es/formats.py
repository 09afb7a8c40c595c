# Spanish dates as short as the English ones ("26 dic. 2026", "26 dic. 2026, 23:06").
DATE_FORMAT = "j N Y"
DATETIME_FORMAT = "j N Y, H:i"
SHORT_DATE_FORMAT = DATE_FORMAT
SHORT_DATETIME_FORMAT = DATETIME_FORMAT

# ISO first, as in English: Django's Spanish lists start with 26/12/2026, which a date input
# cannot show, so the field came up empty and the form was refused. The first entry is how a
# value is written into an input; every entry is understood when a form comes back.
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y"]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
]
