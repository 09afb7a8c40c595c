"""The dashboard works out a reading that two of its parts need once, and only while it draws."""

from safelane.orgs import dashboard


def test_a_reading_is_shared_inside_the_dashboard_and_fresh_outside():
    calls = []

    def read():
        calls.append(1)
        return len(calls)

    with dashboard.sharing():
        assert dashboard.once("readiness", read) == 1
        assert dashboard.once("readiness", read) == 1
    assert dashboard.once("readiness", read) == 2
    assert dashboard.once("readiness", read) == 3
