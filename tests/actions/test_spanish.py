"""The action plan read in Spanish: figures in the reader's own number format."""

from decimal import Decimal

import pytest
from django.utils import translation

from safelane.actions.models import LabourRate


@pytest.mark.parametrize(("language", "label"), [("en", "(62.50/h)"), ("es", "(62,50/h)")])
def test_a_role_rate_reads_in_the_readers_number_format(language, label):
    rate = LabourRate(role="IT administrator", hourly_rate=Decimal("62.50"))
    with translation.override(language):
        assert str(rate) == f"IT administrator {label}"
