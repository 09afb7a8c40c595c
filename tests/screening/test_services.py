import pytest
from django.core.exceptions import ImproperlyConfigured

from safelane import settings as settings_module
from safelane.screening import selectors, services
from safelane.screening.loaders import csl, dpl
from safelane.screening.matching import MATCHER_VERSION
from safelane.screening.models import EntryName, ListSnapshot

from .conftest import SNAPSHOTS


@pytest.fixture
def loaded(db):
    """The DPL and the CSL sample, active."""
    return [
        services.load_list(actor=None, loaded=dpl.read(SNAPSHOTS / "dpl.txt")).snapshot,
        services.load_list(actor=None, loaded=csl.read(SNAPSHOTS / "csl-sample.csv")).snapshot,
    ]


def test_screen_returns_the_hits_of_each_candidate(loaded):
    hits = services.screen(
        [
            services.Candidate(key="p1", name="Gulf Gate Shipping Company LLC", country="AE"),
            services.Candidate(key="p2", name="Bluewater Textiles Ltd"),
        ]
    )
    assert {h.key for h in hits} == {"p1"}
    hit = next(h for h in hits if h.matched_name == "Gulf Gate Shipping Co. LLC")
    assert (hit.list, hit.name, hit.score) == ("csl", "Gulf Gate Shipping Company LLC", 1.0)
    assert hit.entry_id.startswith("csl-")
    assert hit.listed_name == "Gulf Gate Shipping Co. LLC"
    assert hit.snapshot_id == loaded[1].pk
    assert hit.threshold == services.default_threshold()
    assert hit.matcher_version == MATCHER_VERSION
    assert "Same country: AE" in hit.reasons
    entry = selectors.entry(hit.entry_pk)
    assert entry.fingerprint == hit.fingerprint
    assert [n.name for n in entry.names.all()] == ["Gulf Gate Shipping Co. LLC"]


def test_a_candidates_country_may_be_a_code_or_a_name(loaded):
    def score(country):
        candidate = services.Candidate(key="p", name="Gulf Gate Shipping Co LLC", country=country)
        return services.screen([candidate])[0].score

    assert score("AE") == score("United Arab Emirates") == score(None) == 1.0
    assert score("Mexico") == score("mx") == 0.9


def test_other_names_of_a_candidate_are_screened_too(loaded):
    hits = services.screen(
        [
            services.Candidate(
                key="p1", name="Bluewater Textiles", other_names=("Al Naser Airlines",)
            )
        ]
    )
    assert hits
    assert {h.name for h in hits} == {"Al Naser Airlines"}
    assert {h.list for h in hits} == {"dpl"}


def test_the_threshold_comes_from_the_setting_unless_given(loaded, settings):
    candidate = services.Candidate(key="p1", name="Gulf Gate Shiping")
    assert services.screen([candidate])
    settings.SCREENING_THRESHOLD = 0.99
    assert services.screen([candidate]) == []
    assert services.screen([candidate], threshold=0.8)


def test_the_threshold_setting_must_be_a_score(monkeypatch):
    monkeypatch.setenv("SCREENING_THRESHOLD", "0.7")
    assert settings_module.env_score("SCREENING_THRESHOLD", 0.8) == 0.7
    for bad in ("high", "0", "1.5"):
        monkeypatch.setenv("SCREENING_THRESHOLD", bad)
        with pytest.raises(ImproperlyConfigured, match="SCREENING_THRESHOLD"):
            settings_module.env_score("SCREENING_THRESHOLD", 0.8)


def test_the_matcher_is_kept_until_another_snapshot_is_active(loaded):
    first = services.matcher()
    assert services.matcher() is first
    changed = (
        (SNAPSHOTS / "dpl.txt").read_bytes().replace(b'"AARON ABRAHAM VILLA"', b'"ZEBULON QUIXOTE"')
    )
    services.load_list(actor=None, loaded=dpl.parse(changed))
    second = services.matcher()
    assert second is not first
    assert services.screen([services.Candidate(key="p", name="Zebulon Quixote")])


def test_the_matcher_normalises_again_after_the_normaliser_changed(loaded):
    snapshot = loaded[0]
    EntryName.objects.filter(entry__snapshot=snapshot).update(normalised="stale")
    ListSnapshot.objects.filter(pk=snapshot.pk).update(normaliser_version=0)
    hits = services.screen([services.Candidate(key="p", name="Aaron Abraham Villa")])
    assert [h.list for h in hits] == ["dpl"]


def test_no_list_loaded_means_no_hits(db):
    assert services.screen([services.Candidate(key="p", name="Anything At All")]) == []


def test_entries_are_found_by_the_lists_own_ids(loaded):
    consolidated = loaded[1]
    found = selectors.entries_by_id("csl", ["18778", "no-such-id"])
    assert list(found) == ["18778"]
    entry = found["18778"]
    assert entry.name == "AKTSIONERNOE OBSHCHESTVO RT-AVTO"
    assert entry.snapshot == consolidated
    assert [n.alias_type for n in entry.names.all()][:2] == ["", "aka"]
    assert selectors.entries_by_id("csl", ["18778"], snapshot=loaded[0]) == {}


def test_an_entry_dropped_from_the_next_snapshot_is_gone_from_the_active_one(loaded):
    [entry_id] = [
        e.entry_id
        for e in dpl.read(SNAPSHOTS / "dpl.txt").entries
        if e.name == "AARON ABRAHAM VILLA"
    ]
    lines = (SNAPSHOTS / "dpl.txt").read_bytes().split(b"\n")
    kept = b"\n".join(line for line in lines if b"AARON ABRAHAM VILLA" not in line)
    services.load_list(actor=None, loaded=dpl.parse(kept))
    assert selectors.entries_by_id("dpl", [entry_id]) == {}
    assert selectors.entries_by_id("dpl", [entry_id], snapshot=loaded[0])


def test_active_snapshots_list_one_per_list(loaded):
    assert [s.list_name for s in selectors.active_snapshots()] == ["csl", "dpl"]
    assert len(selectors.snapshots("dpl")) == 1
