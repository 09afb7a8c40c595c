import json
import time
from collections import Counter

import pytest

from safelane.screening import selectors, services
from safelane.screening.loaders import EntryRow, LoadError, NameRow, csl, dpl, ofac
from safelane.screening.models import EntryName, ListEntry, ListSnapshot

from .conftest import SNAPSHOTS


def sdn_files():
    return [(SNAPSHOTS / name).read_bytes() for name in ("sdn.csv", "alt.csv", "add.csv")]


def test_the_sdn_loads_every_entry_with_its_aliases_and_addresses(lists):
    sdn = lists[0]
    assert sdn.list_name == "ofac-sdn"
    assert len(sdn.entries) == 8976
    assert sum(len(e.aliases) for e in sdn.entries) == 11910
    assert sum(len(e.addresses) for e in sdn.entries) <= 13837
    kinds = Counter(e.kind for e in sdn.entries)
    assert kinds == {"individual": 4620, "entity": 3673, "vessel": 406, "aircraft": 277}
    bank = next(e for e in sdn.entries if e.entry_id == "306")
    assert bank.name == "BANCO NACIONAL DE CUBA"
    assert NameRow("NATIONAL BANK OF CUBA", is_alias=True, alias_type="aka") in bank.aliases
    assert "Zweierstrasse 35, Zurich CH-8022, Switzerland" in bank.addresses
    assert "CH" in bank.countries
    assert bank.programs == ["CUBA"]
    assert [f.name for f in sdn.files] == ["sdn.csv", "alt.csv", "add.csv"]


def test_sdn_programs_nationalities_and_vessel_details_are_read(lists):
    entries = {e.entry_id: e for e in lists[0].entries}
    vessel = entries["4234"]
    assert vessel.kind == "vessel"
    assert vessel.details["call_sign"] == "CL2685"
    assert vessel.details["vessel_flag"] == "Cuba"
    assert "CU" in vessel.countries
    several = next(e for e in entries.values() if len(e.programs) > 1)
    assert all("[" not in p and "]" not in p for p in several.programs)
    syrian = next(e for e in entries.values() if "nationality Syria" in e.remarks)
    assert "SY" in syrian.countries


def test_the_dpl_loads_every_row_with_an_id_of_its_own(lists):
    denied = lists[1]
    assert denied.list_name == "dpl"
    assert len(denied.entries) == 581
    ids = [e.entry_id for e in denied.entries]
    assert len(set(ids)) == 581
    assert all(i.startswith("dpl-") for i in ids)
    assert denied.entries[0].name == "I. ASH"
    assert denied.entries[0].countries == ["US"]


def test_a_dpl_id_stays_when_bis_adds_a_citation():
    content = (SNAPSHOTS / "dpl.txt").read_bytes()
    before = dpl.parse(content).entries[0]
    cited = content.replace(
        b'"68 F.R. 38290 6/27/03', b'"99 F.R. 1 1/1/30 68 F.R. 38290 6/27/03', 1
    )
    after = dpl.parse(cited).entries[0]
    assert after.details["federal_register_notice"] != before.details["federal_register_notice"]
    assert after.entry_id == before.entry_id


def test_the_csl_sample_loads_with_its_alternate_names(lists):
    consolidated = lists[2]
    assert consolidated.list_name == "csl"
    assert len(consolidated.entries) == 115
    entries = {e.entry_id: e for e in consolidated.entries}
    assert len(entries) == 115
    avto = next(e for e in consolidated.entries if e.name == "AKTSIONERNOE OBSHCHESTVO RT-AVTO")
    assert avto.entry_id == "18778"  # its entity_number, OFAC's ent_num
    assert [a.name for a in avto.aliases][:2] == ["RT-AVTO, AO", "RT-AVTO, OAO"]
    assert avto.countries == ["RU"]
    assert avto.details["source"].startswith("Sectoral Sanctions Identifications List")
    denied = next(e for e in consolidated.entries if e.name == "ADRIAN MANUEL HERNANDEZ")
    assert denied.entry_id.startswith("csl-")
    assert denied.kind == "unknown"


def csl_record(**fields):
    record = {
        "source": "Entity List (EL) - Bureau of Industry and Security",
        "name": "Gulf Gate Shipping Co. LLC",
        "type": None,
        "programs": [],
        "alt_names": ["GGS", "Gulf Gate Sea Cargo"],
        "addresses": [
            {
                "address": "No. 508",
                "city": "Dubai",
                "state": None,
                "postal_code": None,
                "country": "AE",
            }
        ],
        "ids": [{"type": "Registration", "number": "123", "country": "AE"}],
        "id": "abc123",
    }
    return {**record, **fields}


@pytest.mark.parametrize("wrapped", [True, False])
def test_the_csl_json_loads_with_or_without_its_results_wrapper(wrapped):
    records = [csl_record(), csl_record(name="Another Party", id="def456", alt_names=[])]
    document = {"total": 2, "results": records} if wrapped else records
    loaded = csl.parse_json(json.dumps(document, indent=2).encode())
    first, second = loaded.entries
    assert first.entry_id == "abc123"
    assert first.name == "Gulf Gate Shipping Co. LLC"
    assert [a.name for a in first.aliases] == ["GGS", "Gulf Gate Sea Cargo"]
    assert first.countries == ["AE"]
    assert first.addresses == ["No. 508, Dubai, AE"]
    assert "Registration" in first.details["ids"]
    assert second.entry_id == "def456"


def test_a_csl_json_entry_without_a_name_is_refused_with_its_line():
    text = json.dumps({"results": [csl_record(), csl_record(name="")]}, indent=2)
    with pytest.raises(LoadError) as refused:
        csl.parse_json(text.encode(), name="consolidated.json")
    (problem,) = refused.value.problems
    second = text.splitlines().index("    {", text.splitlines().index("    {") + 1) + 1
    assert (problem.file, problem.line) == ("consolidated.json", second)
    assert "name is empty" in problem.reason


def test_a_file_that_is_not_json_is_refused_with_its_line():
    with pytest.raises(LoadError) as refused:
        csl.parse_json(b'{"results": [\n  {"name": "x"},\n  {"name": }\n]}', name="c.json")
    assert refused.value.problems[0].line == 3
    assert str(refused.value.problems[0]).startswith("c.json:3: is not JSON")


def test_a_malformed_sdn_row_is_refused_with_its_line():
    sdn, alt, add = sdn_files()
    lines = sdn.split(b"\r\n")
    lines[4] = b'999999,"BROKEN ROW"'
    lines[9] = b'abc,"NOT A NUMBER",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- '
    with pytest.raises(LoadError) as refused:
        ofac.parse(b"\r\n".join(lines), alt, add)
    problems = [str(p) for p in refused.value.problems]
    assert "sdn.csv:5: expected 12 columns, found 2" in problems
    assert "sdn.csv:10: ent_num 'abc' is not a number" in problems


def test_an_alias_of_no_sdn_entry_is_refused():
    sdn, alt, add = sdn_files()
    alt = alt.rstrip(b"\x1a") + b'424242,1,"aka","NOBODY",-0- \r\n\x1a'
    with pytest.raises(LoadError) as refused:
        ofac.parse(sdn, alt, add)
    (problem,) = refused.value.problems
    assert str(problem) == "alt.csv:11911: ent_num '424242' is not in sdn.csv"


def test_a_directory_without_the_three_files_is_refused(tmp_path):
    (tmp_path / "sdn.csv").write_bytes((SNAPSHOTS / "sdn.csv").read_bytes())
    with pytest.raises(LoadError) as refused:
        ofac.read(tmp_path)
    assert [p.reason for p in refused.value.problems] == ["the file is missing"] * 2


def test_a_csl_csv_without_names_is_refused():
    with pytest.raises(LoadError) as refused:
        csl.parse_csv(b"source,entity_number\nX,1\n", name="consolidated.csv")
    assert str(refused.value.problems[0]) == "consolidated.csv:1: the header lacks the columns name"
    with pytest.raises(LoadError) as refused:
        csl.parse_csv(b"source,name\nX,Someone\nY,\n", name="consolidated.csv")
    assert str(refused.value.problems[0]) == "consolidated.csv:3: the name is empty"


def test_a_csl_csv_that_is_not_utf8_is_refused_with_its_line():
    with pytest.raises(LoadError) as refused:
        csl.parse_csv(b"source,name\nX,Someone\nY,Caf\xe9\n", name="c.csv")
    assert str(refused.value.problems[0]) == "c.csv:3: the file is not UTF-8 text"


def test_a_dpl_row_with_missing_cells_is_refused_with_its_line():
    content = (SNAPSHOTS / "dpl.txt").read_bytes()
    lines = content.split(b"\n")
    lines[2] = b'"SOMEONE"\t"SOMEWHERE"'
    with pytest.raises(LoadError) as refused:
        dpl.parse(b"\n".join(lines))
    assert [str(p) for p in refused.value.problems] == ["dpl.txt:3: expected 12 columns, found 2"]


def test_the_fingerprint_follows_identity_not_listing_details():
    entry = EntryRow("1", "entity", "ACME TRADING", programs=["SDGT"], details={"title": "x"})
    same = EntryRow(
        "1", "entity", "ACME TRADING", programs=["SDGT", "IRAN"], details={"title": "x"}
    )
    renamed = EntryRow("1", "entity", "ACME TRADING", aliases=[NameRow("ACME", True, "aka")])
    assert entry.fingerprint() == same.fingerprint()
    assert entry.fingerprint() != renamed.fingerprint()
    assert len(entry.fingerprint()) == 64


# Snapshots in the database


def load_dpl(content=None, **kwargs):
    loaded = dpl.parse(content or (SNAPSHOTS / "dpl.txt").read_bytes())
    return services.load_list(actor=None, loaded=loaded, **kwargs)


def test_a_load_is_the_active_snapshot_with_its_files_and_counts(db):
    result = load_dpl(label="BIS 2024")
    snapshot = result.snapshot
    assert result.created
    assert snapshot.is_active
    assert (snapshot.entry_count, snapshot.name_count) == (581, 581)
    assert snapshot.source_files == [
        {
            "name": "dpl.txt",
            "sha256": "9bac1eb5401d4ee8eb46a7aba97df2c899d7bdc850c813cb4fa0c0a77a66449b",
        }
    ]
    assert ListEntry.objects.filter(snapshot=snapshot).count() == 581
    names = EntryName.objects.filter(entry__snapshot=snapshot, name="I. ASH")
    assert {n.normalised for n in names} == {"i ash"}
    assert selectors.active_snapshots() == [snapshot]


def test_a_newer_load_replaces_the_active_snapshot_and_keeps_the_older(db):
    first = load_dpl().snapshot
    changed = (SNAPSHOTS / "dpl.txt").read_bytes().replace(b'" I. ASH"', b'" I. ASHE"')
    second = load_dpl(changed).snapshot
    first.refresh_from_db()
    assert second.is_active
    assert not first.is_active
    assert ListSnapshot.objects.count() == 2
    assert first.entries.count() == 581


def test_loading_the_same_files_again_changes_nothing(db):
    first = load_dpl().snapshot
    again = load_dpl()
    assert not again.created
    assert again.snapshot == first
    assert ListSnapshot.objects.count() == 1


def test_a_malformed_file_leaves_the_previous_snapshot_active(db, tmp_path):
    first = load_dpl().snapshot
    broken = tmp_path / "dpl.txt"
    lines = (SNAPSHOTS / "dpl.txt").read_bytes().split(b"\n")
    lines[100] = b'"HALF A ROW"'
    broken.write_bytes(b"\n".join(lines))
    with pytest.raises(LoadError) as refused:
        services.load_files(actor=None, list_name="dpl", path=broken)
    assert str(refused.value.problems[0]) == "dpl.txt:101: expected 12 columns, found 1"
    assert selectors.active_snapshots() == [first]
    assert ListSnapshot.objects.count() == 1


def test_the_full_sdn_loads_in_a_few_seconds(db):
    start = time.perf_counter()
    result = services.load_files(actor=None, list_name="ofac-sdn", path=SNAPSHOTS)
    seconds = time.perf_counter() - start
    assert (result.snapshot.entry_count, result.snapshot.name_count) == (8976, 8976 + 11910)
    assert EntryName.objects.filter(entry__snapshot=result.snapshot, is_alias=True).count() == 11910
    # A few seconds on a quiet machine; the bound leaves room for a busy one.
    assert seconds < 30
