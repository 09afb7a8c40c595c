import pytest

from safelane.screening.matching import (
    COUNTRY_MISMATCH,
    KIND_MISMATCH,
    ListedEntry,
    ListedName,
    Matcher,
)
from safelane.screening.normalise import normalise, tokens


def ids(matches):
    return [(m.list, m.entry_id) for m in matches]


def best(matcher, name, **kwargs):
    found = matcher.match(name, **kwargs)
    return found[0] if found else None


@pytest.mark.parametrize(
    ("listed", "written"),
    [
        ("ANGLO-CARIBBEAN CO., LTD.", "Anglo Caribbean Company Limited"),
        ("ACME TRADING S.A. DE C.V.", "Acme Trading SA de CV"),
        ("ACME TRADING S. DE R.L. DE C.V.", "ACME TRADING"),
        ("MULLER TRADING GMBH & CO. KG", "Müller Trading GmbH"),
        ("ACME INC.", "Acme Incorporated"),
        ("ACME CORP", "Acme Corporation"),
        ("ACME LLC", "ACME L.L.C."),
        ("ACME SRL", "Acme S.R.L."),
        ("OOO GAZPROM TRANSGAZ", "Gazprom Transgaz LLC"),
        ("AKTSIONERNOE OBSHCHESTVO SHVABE", "Shvabe JSC"),
        ("SINAR JAYA", "PT Sinar Jaya"),
    ],
)
def test_legal_forms_do_not_count(listed, written):
    assert tokens(listed) == tokens(written)


@pytest.mark.parametrize(
    ("listed", "written"),
    [
        ("ETCO INTERNATIONAL COMMODITIES", "Etco Intl Commodities"),
        ("DELTA MANUFACTURING", "Delta Mfg"),
        ("GALAX TRADING", "Galax Trdg"),
        ("RAMCHARAN BROTHERS", "Ramcharan Bros."),
        ("H & H METALFORM", "H and H Metalform"),
        ("SMITH AND JONES", "Smith & Jones"),
    ],
)
def test_abbreviations_are_written_out(listed, written):
    assert normalise(listed) == normalise(written)


def test_accents_case_and_punctuation_fold_away():
    assert tokens("Société Générale") == tokens("SOCIETE GENERALE") == ["societe", "generale"]
    assert tokens("Ærø Łódź Straße") == ["aero", "lodz", "strasse"]
    assert tokens("O'BRIEN, Patrick") == tokens("OBRIEN Patrick") == ["obrien", "patrick"]
    assert tokens("U.S.A. Imports") == ["usa", "import"]
    assert tokens("A.S., S.R.L.") == ["as"]
    assert tokens(
        "Huawei Technologies Co., Ltd. and any successor, sub-unit, or subsidiary thereof"
    ) == [
        "huawei",
        "technology",
    ]


@pytest.mark.parametrize(
    ("written", "entry_id"),
    [
        # legal form swapped
        ("Anglo-Caribbean Company Limited", "173"),
        ("Distribuidora Imperial de Baja California, S. de R.L.", "7156"),
        ("Tropic Tours Ltd", "2110"),
        # punctuation, accents, case
        ("ANGLO CARIBBEAN CO LTD", "173"),
        ("Ánglo-Caríbbean Co., Ltd.", "173"),
        ("banco nacional de cuba", "306"),
        # word order
        ("Caribbean Anglo Co Ltd", "173"),
        ("Manuel Antonio Noriega", "1572"),
        # abbreviations
        ("Etco Intl Commodities Ltd", "767"),
        ("Ramcharan Bros Ltd", "8864"),
        # typos, one and two
        ("Anglo Carribean Co Ltd", "173"),
        ("Banco Nacional de Cubba", "306"),
        ("Distribuidora Imperail de Baja Califronia", "7156"),
        # aliases
        ("National Bank of Cuba", "306"),
        ("Aero-Caribbean", "36"),
        # words written together or apart
        ("Aero Caribbean Airlines", "36"),
        ("Havana Tur", "907"),
    ],
)
def test_variants_of_a_listed_name_match_it(matcher, written, entry_id):
    assert ("ofac-sdn", entry_id) in ids(matcher.match(written))


def test_a_match_says_which_name_and_tokens_agreed(matcher):
    match = next(m for m in matcher.match("National Bank of Kuba") if m.entry_id == "306")
    assert match.matched_name == "NATIONAL BANK OF CUBA"
    assert match.is_alias
    assert 0.8 <= match.score < 1
    assert match.reasons[0] == "Words in common: national, bank, of"
    assert "Spelled alike: kuba ~ cuba" in match.reasons
    assert "Matched another name it is listed under (aka)" in match.reasons


def test_an_exact_name_scores_one(matcher):
    match = best(matcher, "Anglo-Caribbean Co., Ltd.")
    assert (match.entry_id, match.score, match.matched_name) == (
        "173",
        1.0,
        "ANGLO-CARIBBEAN CO., LTD.",
    )


@pytest.mark.parametrize(
    "clean",
    [
        "Banco Nacional de Mexico",
        "Anglo American Trading Co., Ltd.",
        "Caribbean Star Shipping Ltd",
        "Golden Harbor Logistics LLC",
        "International Trading Company",
        "General Trading LLC",
        "Global Import Export Group Holding",
        "Shanghai Bluewave Textiles Co., Ltd.",
        "Pacific Path Shipping Inc.",
        "Compass Sail Shipping Pte. Ltd.",
        "Ramirez Hermanos Importadora S.A. de C.V.",
        "Noriega Logistics",
    ],
)
def test_clean_lookalikes_do_not_match(matcher, clean):
    assert matcher.match(clean) == []


def test_generic_words_alone_match_only_the_same_words(matcher):
    same = ids(matcher.match("Air Freight Ltd"))
    assert same
    assert all(list_name == "dpl" for list_name, _ in same)
    assert matcher.match("Air Freight Services Ltd") == []


def listed(name, *, country=None, kind="entity", pk=1):
    entry = ListedEntry(
        pk, "ofac-sdn", str(pk), kind, frozenset([country] if country else []), name
    )
    return ListedName(entry, name, tuple(tokens(name)))


@pytest.fixture
def small():
    return Matcher(
        [
            listed("ZORVEX HOLDINGS LIMITED", country="IR", pk=1),
            listed("KARAMI, Mehdi", kind="individual", pk=2),
            listed("VELOSTRA SHIPPING", pk=3),
            listed("ORBITEL MARINE", kind="vessel", pk=4),
        ]
    )


def test_a_different_country_lowers_the_score(small):
    assert best(small, "Zorvex Holdings").score == 1.0
    assert best(small, "Zorvex Holdings", country="IR").score == 1.0
    lowered = best(small, "Zorvex Holdings", country="MX")
    assert lowered.score == pytest.approx(1.0 - COUNTRY_MISMATCH)
    assert "Different country: ours MX, listed IR" in lowered.reasons
    assert "Same country: IR" in best(small, "Zorvex Holdings", country="IR").reasons


def test_an_unknown_country_lowers_nothing(small):
    assert best(small, "Velostra Shipping", country="MX").score == 1.0
    assert best(small, "Zorvex Holdings", country=None).score == 1.0


def test_a_different_kind_lowers_the_score(small):
    assert best(small, "Mehdi Karami", kind="individual").score == 1.0
    as_company = best(small, "Mehdi Karami", kind="entity")
    assert as_company.score == pytest.approx(1.0 - KIND_MISMATCH)
    assert "Listed as another kind of party (individual)" in as_company.reasons
    assert best(small, "Mehdi Karami").score == 1.0
    assert best(small, "Orbitel Marine", kind="entity").score < 1.0


def test_a_lowered_score_may_fall_below_the_threshold(small):
    near = best(small, "Zorvex Holdngs")
    assert near is not None
    assert small.match("Zorvex Holdngs", country="MX", threshold=near.score) == []


def test_one_distinctive_word_in_common_is_not_enough(small):
    assert small.match("Zorvex Petroleum Holdings") == []
    assert small.match("Velostra Maritime Logistics") == []
    assert small.match("Holdings Limited") == []


def test_a_typo_in_a_short_word_is_not_forgiven(small):
    listing = Matcher([listed("BNC", pk=1), listed("ACME", pk=2)])
    assert listing.match("BNC")[0].score == 1.0
    assert listing.match("BMC") == []
    assert listing.match("ACNE")[0].score < 1.0


def test_matches_come_best_first_and_once_per_entry(matcher):
    found = matcher.match("Cimex S.A.")
    assert found[0].score == 1.0
    assert [m.score for m in found] == sorted((m.score for m in found), reverse=True)
    assert len({m.entry.pk for m in found}) == len(found)


def test_the_threshold_decides_what_is_a_hit(matcher):
    assert len(matcher.match("Anglo Caribean Co", threshold=0.99)) == 0
    assert len(matcher.match("Anglo Caribean Co", threshold=0.8)) >= 1
