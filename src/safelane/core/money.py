"""Money as a reader expects it: the organisation's currency with its sign, the reader's
separators and two decimals ($1,234.50 for a reader in English, $1,234.50 for a Mexican
company read in Spanish, 1.234,50 € for a Spanish one), from the CLDR data Babel carries.
Pages, e-mails, PDF and Word all format through `money()`; spreadsheets keep numbers as
numbers with `xlsx_format()`."""

from __future__ import annotations

from decimal import Decimal

from babel import Locale, UnknownLocaleError
from babel.numbers import format_currency, get_currency_symbol
from django.conf import settings
from django.utils import translation


def reader_locale(country: str = "") -> str:
    """The reader's language, with the organisation's country where CLDR knows the pair."""
    language = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    if country:
        candidate = f"{language}_{country.upper()}"
        try:
            Locale.parse(candidate)
        except (UnknownLocaleError, ValueError):
            return language
        return candidate
    return language


def money(amount: Decimal | float | int | None, currency: str, country: str = "") -> str:
    if amount is None:
        return "—"
    return format_currency(Decimal(str(amount)), currency or "USD", locale=reader_locale(country))


def xlsx_format(currency: str, country: str = "") -> str:
    """A spreadsheet number format with the currency's sign and two decimals."""
    symbol = get_currency_symbol(currency or "USD", locale=reader_locale(country))
    quoted = symbol.replace('"', "")
    return f'"{quoted}" #,##0.00'
