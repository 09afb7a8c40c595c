"""Restricted-party screening: the `safelane screen` command on 50,000 partner names.

Loads the bundled list snapshots (screening/data/snapshots) into a throwaway SQLite database,
writes a partner file of generated names (5,000 perturbed, 45,000 clean; half of the rows give
a country) and times the real `safelane screen` subprocess on it, start-up included: three runs,
the median counts (the machine may be busy with other work; each run's CPU time and the load
average are reported beside it). The file is also the labelled set:

- perturbed names: real listed names (OFAC SDN entities, individuals, vessels and aircraft, the
  DPL, the CSL sample) changed the way partner files change them: legal form swapped, punctuation,
  accents, case, word order, abbreviations, one or two typos, an alias instead of the name, or two
  of these at once. Each must be a hit on the entry it came from (recall);
- clean names: real-looking trading companies built from word lists (places, coined brands,
  surnames, trades, legal forms), none of them a listed party: a generated name whose own words
  (the place, brand or surname, not the trade or legal form) all appear, give or take one letter,
  in one listed name is thrown away. Any hit on a clean name is a false alert.

Everything is seeded, so every run screens the same names. `run(smoke)` returns the figures;
`python -m bench.screening [--smoke]` prints them as JSON. `--smoke` screens a few hundred names
so that the test suite can prove the benchmark still runs (its timings mean nothing then).
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SNAPSHOTS = ROOT / "src" / "safelane" / "screening" / "data" / "snapshots"
SEED = 20240611
RUNS = 3
TARGETS = {"names_per_second": 5000, "recall": 0.98, "clean_alerted": 0.01}
SIZES = {
    False: {"names": 50_000, "perturbed": 5_000},
    True: {"names": 300, "perturbed": 100},
}

PERTURBATIONS = (
    "legal_form",
    "punctuation",
    "accents",
    "case",
    "word_order",
    "abbreviation",
    "typo_1",
    "typo_2",
    "alias",
    "two_at_once",
)
LEGAL_FORMS = (
    "Co., Ltd.",
    "Company Limited",
    "Ltd",
    "Limited",
    "LLC",
    "L.L.C.",
    "Inc.",
    "Incorporated",
    "Corp.",
    "Corporation",
    "S.A.",
    "SA",
    "S.A. de C.V.",
    "S. de R.L.",
    "S. de R.L. de C.V.",
    "SRL",
    "S.R.L.",
    "GmbH",
    "AG",
    "B.V.",
    "Pte. Ltd.",
    "Pvt. Ltd.",
    "LLP",
    "PLC",
    "Sdn. Bhd.",
    "FZE",
    "JSC",
    "OOO",
    "Ltda.",
)
# (long, short) pairs, either way round.
ABBREVIATIONS = (
    ("International", "Intl"),
    ("Manufacturing", "Mfg"),
    ("Trading", "Trdg"),
    ("Company", "Co"),
    ("Corporation", "Corp"),
    ("Brothers", "Bros"),
    ("Limited", "Ltd"),
    ("Industries", "Inds"),
    ("Incorporated", "Inc"),
    ("Engineering", "Engg"),
    ("Services", "Svcs"),
    ("Management", "Mgmt"),
    ("Holdings", "Hldgs"),
    ("Group", "Grp"),
    ("National", "Natl"),
    ("and", "&"),
)
ACCENTS = {"a": "áàâä", "e": "éèêë", "i": "íìî", "o": "óòôö", "u": "úùûü", "n": "ñ", "c": "ç"}

# The word lists clean names are made of, and the words of a legal form. One list per
# heading; words are separated by spaces, or by "|" in the lists of trades (which have entries
# of several words).
WORD_LISTS = """
[places]
Shanghai Ningbo Shenzhen Guangzhou Xiamen Qingdao Tianjin Dalian Suzhou Hangzhou Foshan
Dongguan Monterrey Guadalajara Tijuana Queretaro Puebla Saltillo Leon Bogota Medellin Lima
Santos Campinas Curitiba Rotterdam Hamburg Bremen Antwerp Rosario Valparaiso Busan Incheon
Osaka Nagoya Yokohama Mumbai Chennai Pune Ahmedabad Izmir Bursa Gdansk Poznan Brno Lyon
Marseille Valencia Bilbao Porto Genoa Turin Milano Houston Dallas Phoenix Savannah Toledo
Oakland Tacoma Memphis Laredo Vancouver Calgary Winnipeg Halifax Auckland Perth Adelaide
Brisbane Penang Cebu Haiphong Danang Chittagong Colombo Mombasa Durban Casablanca Tangier
[adjectives]
Pacific Atlantic Golden Silver Blue Green Northern Southern Eastern Western Royal Prime Summit
Pioneer Heritage Evergreen Sunrise Horizon Harbor Coastal Continental Central Bright Crystal
Diamond Emerald Falcon Eagle Lion Tiger Phoenix Orchid Lotus Maple Cedar Oak Pine Willow
Granite Iron Copper Amber Coral Ocean River Lake Valley Mountain Meadow Prairie Delta Compass
Anchor Beacon Bridge Gateway Harvest Liberty Unity Victory Triumph Vertex Zenith Apex Nova
Stellar Solar Lunar Polar Arctic Tropical Alpine Cardinal Sterling Noble Regal Swift Rapid
Steady True Clear Fresh Pure Vivid Bold Grand Great Little Twin Triple
[nouns]
Star Sun Moon Wave Tide Bay Port Point Rock Stone Field Forest Garden Bridge Tower Gate Crown
Shield Arrow Wing Sail Wheel Link Line Path Way Road Trail Peak Ridge Crest Spring Well Stream
Brook Leaf Root Seed Bloom Grove Hill Cape Isle Shore Reef Harbour Haven Dock Pier Quay Mill
Forge Works Loom Thread Fiber Box Crate Pallet Cargo Freight Craft Hand
[syllables]
ab ac ad al am an ar as at av ba be bi bo bra ca ce ci co cor da de di do dra el em en er es ex
fa fe fi fo ga ge gi go gra ha he hi ho in ir is ka ke ki ko la le li lo lu ma me mi mo na ne
ni no nor ol on or os pa pe pi po pra qui ra re ri ro ru sa se si so sta ta te ti to tra tri ul
un ur va ve vi vo xa ya ze zi zo
[surnames]
Smith Johnson Whitfield Thornton Ramirez Castellanos Villalobos Arredondo Montemayor Echeverria
Zubizarreta Altamirano Quintanilla Bustamante Cardenas Mendoza Valenzuela Muller Schneider
Hoffmann Krause Lehmann Brandt Vogel Dietrich Rossi Bianchi Colombo Marchetti Galli Fontana
Moreau Lefebvre Girard Fournier Chevalier Tanaka Watanabe Yamamoto Nakamura Kobayashi Takeda
Nguyen Tran Pham Patel Mehta Desai Iyer Kapoor Banerjee Silva Oliveira Carvalho Ferreira
Ribeiro Yilmaz Ozturk Aydin Celik Kowalski Wisniewski Lewandowski Novak Dvorak Horvath Jansen
Visser Bakker Peeters Claes Andersson Lindqvist Nyberg Larsen Halvorsen Okafor Adeyemi Mensah
Osei Kamau Otieno Dlamini Nkosi Haddad Khoury Mansour
[trades]
Trading | Import Export | Imports | Exports | Logistics | Freight Forwarding | Shipping |
Textiles | Garments | Apparel | Plastics | Packaging | Steel | Metals | Machinery | Electronics |
Auto Parts | Foods | Agro Products | Furniture | Ceramics | Chemicals | Paper Products |
Footwear | Tools | Hardware | Industrial Supply | Distribution | Commodities | Minerals |
Lumber | Glass | Rubber | Components | Manufacturing | Industries | International Trading |
Global Sourcing | Supply Chain | Warehousing | Cold Storage | Customs Brokerage |
Marine Services | Air Cargo | Containers | Pallets | Fasteners
[spanish_trades]
Importadora | Exportadora | Comercializadora | Distribuidora | Transportes | Logistica | Aceros |
Plasticos | Textiles | Alimentos | Maquinaria | Empaques | Industrias | Servicios Aduanales
[german_trades]
Logistik | Handel | Spedition | Maschinenbau | Kunststoffe | Metallwaren | Textil
[legal_words]
ag b.v bhd bv c.v cjsc co company corp corporation cv de fze gmbh inc incorporated jsc l.l.c
limited llc llp ltd ltda oao ojsc ooo pjsc plc pte pvt r.l rl s s.a s.r.l sa sdn srl zao
"""


def _word_lists(text: str) -> dict[str, list[str]]:
    lists: dict[str, list[str]] = {}
    heading = ""
    for line in text.strip().splitlines():
        if line.startswith("["):
            heading = line.strip("[]")
            lists[heading] = []
        elif heading.endswith("trades"):
            lists[heading].extend(w.strip() for w in line.split("|") if w.strip())
        else:
            lists[heading].extend(line.split())
    return lists


_WORDS = _word_lists(WORD_LISTS)
PLACES = _WORDS["places"]
ADJECTIVES = _WORDS["adjectives"]
NOUNS = _WORDS["nouns"]
SYLLABLES = _WORDS["syllables"]
SURNAMES = _WORDS["surnames"]
TRADES = _WORDS["trades"]
SPANISH_TRADES = _WORDS["spanish_trades"]
GERMAN_TRADES = _WORDS["german_trades"]
LEGAL_WORDS = set(_WORDS["legal_words"])
COUNTRIES_BY_STYLE = {
    "cn": ("CN", ("Co., Ltd.", "Company Limited", "Trading Co., Ltd.", "Industrial Co., Ltd.")),
    "mx": ("MX", ("S.A. de C.V.", "S. de R.L. de C.V.", "S.A.")),
    "de": ("DE", ("GmbH", "GmbH & Co. KG", "AG")),
    "us": ("US", ("LLC", "Inc.", "Corp.", "Corporation", "Co.")),
    "in": ("IN", ("Pvt. Ltd.", "Private Limited", "Ltd.")),
    "gb": ("GB", ("Ltd", "Limited", "PLC")),
    "br": ("BR", ("Ltda.", "S.A.")),
    "sg": ("SG", ("Pte. Ltd.",)),
    "tr": ("TR", ("A.S.", "Ltd. Sti.")),
}


# The lists, read straight from the snapshot files


def listed_entries() -> list[dict]:
    """Every entry of the bundled snapshots: list, entry_id, kind, country, names."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safelane.settings_test")
    django.setup()
    from safelane.screening.loaders import csl, dpl, ofac

    entries = []
    for loaded in (
        ofac.read(SNAPSHOTS),
        dpl.read(SNAPSHOTS / "dpl.txt"),
        csl.read(SNAPSHOTS / "csl-sample.csv"),
    ):
        for entry in loaded.entries:
            entries.append(
                {
                    "list": loaded.list_name,
                    "entry_id": entry.entry_id,
                    "kind": entry.kind,
                    "country": entry.countries[0] if entry.countries else "",
                    "name": entry.name,
                    "aliases": [a.name for a in entry.aliases],
                }
            )
    return entries


def words_of(text: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", text.lower())
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    return "".join(c if c.isalnum() else " " for c in folded).split()


# Perturbations


def _letter_positions(name: str) -> list[int]:
    """Positions of letters inside words of four letters or more (typos there keep the word
    recognisable; a typo in a three-letter acronym makes another acronym)."""
    positions = []
    start = None
    for i, c in enumerate([*name, " "]):
        if c.isalpha():
            start = i if start is None else start
        else:
            if start is not None and i - start >= 4:
                positions.extend(range(start, i))
            start = None
    return positions


def typo(rng: random.Random, name: str) -> str:
    positions = _letter_positions(name)
    if not positions:
        return name
    i = rng.choice(positions)
    letters = "abcdefghijklmnopqrstuvwxyz"
    letter = rng.choice(letters)
    if name[i].isupper():
        letter = letter.upper()
    edit = rng.choice(("substitute", "insert", "delete", "transpose"))
    if edit == "substitute":
        return name[:i] + (letter if letter.lower() != name[i].lower() else "x") + name[i + 1 :]
    if edit == "insert":
        return name[:i] + letter + name[i:]
    if edit == "delete":
        return name[:i] + name[i + 1 :]
    if i + 1 < len(name) and name[i + 1].isalpha() and name[i + 1] != name[i]:
        return name[:i] + name[i + 1] + name[i] + name[i + 2 :]
    return name[:i] + letter + name[i + 1 :]


def _split_legal(name: str) -> tuple[str, str]:
    """The name without the legal form it ends with, and that form."""
    parts = name.replace(",", " , ").split()
    end = len(parts)
    while end > 1 and parts[end - 1].lower().strip(".,") in LEGAL_WORDS | {","}:
        end -= 1
    base = " ".join(parts[:end]).replace(" , ", ", ").rstrip(" ,")
    return base, " ".join(parts[end:])


def perturb(rng: random.Random, kind: str, name: str, entry: dict) -> str | None:
    """`name` changed by one kind of perturbation; None when it does not apply to the name."""
    if kind == "legal_form":
        if entry["kind"] == "individual":
            return None
        base, form = _split_legal(name)
        choices = [f for f in LEGAL_FORMS if f.lower() != form.lower()]
        return f"{base}{rng.choice(['', ','])} {rng.choice(choices)}"
    if kind == "punctuation":
        choice = rng.randrange(3)
        if choice == 0:
            changed = "".join(c for c in name if c.isalnum() or c.isspace())
        elif choice == 1:
            changed = "".join(" " if not (c.isalnum() or c.isspace()) else c for c in name)
        else:
            changed = name.replace(" ", rng.choice(["-", ". ", ", ", " - "]), rng.randint(1, 2))
        return " ".join(changed.split()) if changed != name else None
    if kind == "accents":
        letters = [i for i, c in enumerate(name) if c.lower() in ACCENTS]
        if not letters:
            return None
        chars = list(name)
        for i in rng.sample(letters, min(len(letters), rng.randint(1, 3))):
            accented = rng.choice(ACCENTS[chars[i].lower()])
            chars[i] = accented.upper() if chars[i].isupper() else accented
        return "".join(chars)
    if kind == "case":
        style = rng.randrange(3)
        if style == 0:
            return name.lower()
        if style == 1:
            return name.title()
        return "".join(c.upper() if rng.random() < 0.5 else c.lower() for c in name)
    if kind == "word_order":
        if "," in name and entry["kind"] == "individual":
            last, _comma, first = name.partition(",")
            return f"{first.strip()} {last.strip()}"
        words = name.replace(",", "").split()
        if len(words) < 2:
            return None
        shuffled = words[:]
        while shuffled == words:
            rng.shuffle(shuffled)
        return " ".join(shuffled)
    if kind == "abbreviation":
        words = name.split()
        options = []
        for i, word in enumerate(words):
            bare = word.strip(".,").lower()
            for long, short in ABBREVIATIONS:
                if bare == long.lower():
                    options.append(
                        (i, short + ("." if short[0].isalpha() and rng.random() < 0.5 else ""))
                    )
                elif bare == short.lower():
                    options.append((i, long))
        if not options:
            return None
        i, replacement = rng.choice(options)
        words[i] = replacement
        return " ".join(words)
    if kind == "typo_1":
        changed = typo(rng, name)
        return changed if changed != name else None
    if kind == "typo_2":
        changed = typo(rng, typo(rng, name))
        return changed if changed != name else None
    if kind == "alias":
        if not entry["aliases"]:
            return None
        return rng.choice(entry["aliases"])
    if kind == "two_at_once":
        first, second = rng.sample(
            [k for k in PERTURBATIONS if k not in {"two_at_once", "typo_2"}], 2
        )
        once = perturb(rng, first, name, entry)
        return perturb(rng, second, once, entry) if once else None
    raise ValueError(kind)


def perturbed_set(rng: random.Random, entries: list[dict], count: int) -> list[dict]:
    """`count` perturbed names, spread over the lists, the kinds and the perturbations."""
    by_group: dict[str, list[dict]] = defaultdict(list)
    for entry in entries:
        if len(words_of(entry["name"])) and sum(len(w) for w in words_of(entry["name"])) >= 4:
            by_group[f"{entry['list']}/{entry['kind']}"].append(entry)
    groups = sorted(by_group)
    rows: list[dict] = []
    attempts = 0
    while len(rows) < count and attempts < count * 20:
        attempts += 1
        group = groups[len(rows) % len(groups)] if rng.random() < 0.3 else None
        entry = rng.choice(by_group[group]) if group else rng.choice(entries)
        kind = PERTURBATIONS[len(rows) % len(PERTURBATIONS)]
        changed = perturb(rng, kind, entry["name"], entry)
        if not changed or not words_of(changed):
            continue
        # A partner file holds no control characters (the CSL has a stray U+0092).
        changed = "".join(c for c in changed if unicodedata.category(c) != "Cc")
        country = entry["country"] if entry["country"] and rng.random() < 0.5 else ""
        rows.append(
            {
                "name": changed,
                "country": country,
                "perturbation": kind,
                "list": entry["list"],
                "entry_id": entry["entry_id"],
                "group": f"{entry['list']}/{entry['kind']}",
                "source": entry["name"],
            }
        )
    return rows


# Clean names


class ListedWords:
    """The words of the listed names, to check that a clean name is not one of them."""

    def __init__(self, entries: list[dict]) -> None:
        self.names: list[set[str]] = []
        self.index: dict[str, set[int]] = defaultdict(set)
        for entry in entries:
            for name in [entry["name"], *entry["aliases"]]:
                number = len(self.names)
                words = words_of(name)
                self.names.append(set(words))
                for word in {*words, *(a + b for a, b in itertools.pairwise(words))}:
                    for key in self._keys(word):
                        self.index[key].add(number)

    @staticmethod
    def _keys(word: str) -> set[str]:
        return (
            {word} | {word[:i] + word[i + 1 :] for i in range(len(word))}
            if len(word) > 3
            else {word}
        )

    def close(self, own_words: list[str]) -> bool:
        """Whether one listed name holds every one of `own_words`, give or take a letter, or
        the same words written together ("Meadow Brook" and "MEADOWBROOK")."""
        joined = [
            [*own_words[:i], own_words[i] + own_words[i + 1], *own_words[i + 2 :]]
            for i in range(len(own_words) - 1)
        ]
        return any(self._holds(words) for words in (own_words, *joined))

    def _holds(self, own_words: list[str]) -> bool:
        shared: set[int] | None = None
        for word in own_words:
            found: set[int] = set()
            for key in self._keys(word):
                found |= self.index.get(key, set())
            shared = found if shared is None else shared & found
            if not shared:
                return False
        return bool(shared)


def coined(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


def clean_name(rng: random.Random) -> tuple[str, list[str], str]:
    """A trading company's name, its own words (not trade or legal form) and its country."""
    style = rng.choice(list(COUNTRIES_BY_STYLE))
    country, forms = COUNTRIES_BY_STYLE[style]
    pattern = rng.randrange(5)
    if pattern == 0:
        own = [rng.choice(PLACES), rng.choice(ADJECTIVES)]
    elif pattern == 1:
        own = [rng.choice(ADJECTIVES), rng.choice(NOUNS)]
    elif pattern == 2:
        own = [coined(rng)]
    elif pattern == 3:
        own = rng.sample(SURNAMES, 2) if rng.random() < 0.6 else [rng.choice(SURNAMES), coined(rng)]
    else:
        own = [rng.choice(PLACES), coined(rng)]
    if style == "mx" and rng.random() < 0.6:
        trade = rng.choice(SPANISH_TRADES)
        words = [trade, *own] if rng.random() < 0.5 else [*own, trade]
    elif style == "de" and rng.random() < 0.5:
        words = [*own, rng.choice(GERMAN_TRADES)]
    elif pattern == 3 and rng.random() < 0.5:
        joiner = {"mx": "Hermanos", "br": "Irmaos", "de": "& Sohne"}.get(style, "& Sons")
        words = (
            [own[0], joiner, *own[1:2]] if len(own) > 1 and rng.random() < 0.5 else [*own, joiner]
        )
    else:
        words = [*own, rng.choice(TRADES)]
    name = " ".join(words)
    form = rng.choice(forms)
    separator = ", " if rng.random() < 0.3 else " "
    return f"{name}{separator}{form}", [w for o in own for w in words_of(o)], country


def clean_set(rng: random.Random, listed: ListedWords, count: int) -> tuple[list[dict], int]:
    """`count` clean names, and how many generated names were too close to a listed one."""
    rows: list[dict] = []
    seen: set[str] = set()
    dropped = 0
    while len(rows) < count:
        name, own, country = clean_name(rng)
        if name in seen:
            continue
        seen.add(name)
        if listed.close(own):
            dropped += 1
            continue
        rows.append({"name": name, "country": country if rng.random() < 0.5 else ""})
    return rows, dropped


# The run


def safelane(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    command = Path(sys.executable).with_name("safelane")
    runner = [str(command)] if command.exists() else [sys.executable, "-m", "safelane.cli"]
    # The benchmark's own command with its own arguments, no shell.
    return subprocess.run(  # noqa: S603
        [*runner, *args], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )


def _ratio(measured: float, target: float) -> float:
    return round(measured / target, 3) if target else 0.0


def run(smoke: bool = False) -> dict:
    """Build the names, load the lists, time `safelane screen` and score its hits."""
    size = SIZES[smoke]
    rng = random.Random(SEED)  # noqa: S311 (seeded test data, not a secret)
    entries = listed_entries()
    perturbed = perturbed_set(rng, entries, size["perturbed"])
    clean, dropped = clean_set(rng, ListedWords(entries), size["names"] - len(perturbed))
    rows = [*perturbed, *clean]
    rng.shuffle(rows)
    with tempfile.TemporaryDirectory(prefix="safelane-screening-bench-") as tmp:
        work = Path(tmp)
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{work / 'bench.sqlite3'}",
            "DJANGO_SETTINGS_MODULE": "safelane.settings",
            "SECRET_KEY": os.environ.get("SECRET_KEY")
            or "bench-only-secret-key-not-for-production-use",
            "SAFELANE_VAR_DIR": str(work / "var"),
        }
        steps = [("migrate", "--no-input", "-v", "0")]
        steps += [
            ("lists", "load", "ofac-sdn", str(SNAPSHOTS)),
            ("lists", "load", "dpl", str(SNAPSHOTS / "dpl.txt")),
            ("lists", "load", "csl", str(SNAPSHOTS / "csl-sample.csv")),
        ]
        load_seconds = {}
        for step in steps:
            start = time.perf_counter()
            done = safelane(*step, env=env, cwd=work)
            if done.returncode != 0:
                raise RuntimeError(f"safelane {' '.join(step)} failed:\n{done.stderr}")
            if step[0] == "lists":
                load_seconds[step[2]] = round(time.perf_counter() - start, 2)
        partners = work / "partners.csv"
        with partners.open("w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out)
            writer.writerow(["id", "name", "country"])
            for number, row in enumerate(rows, start=1):
                row["id"] = f"P{number:06d}"
                writer.writerow([row["id"], row["name"], row["country"]])
        hits_file = work / "hits.csv"
        # The machine may be busy with other work: time several runs, report the median.
        runs = []
        cpu = []
        loads = []
        for _run in range(1 if smoke else RUNS):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            loads.append(round(os.getloadavg()[0], 2))
            start = time.perf_counter()
            done = safelane("screen", str(partners), "--output", str(hits_file), env=env, cwd=work)
            runs.append(time.perf_counter() - start)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
            if done.returncode != 0:
                raise RuntimeError(f"safelane screen failed:\n{done.stderr}")
        seconds = statistics.median(runs)
        with hits_file.open(encoding="utf-8", newline="") as hits_in:
            hits = list(csv.DictReader(hits_in))
    found: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for hit in hits:
        found[hit["id"]].add((hit["list"], hit["entry_id"]))
    by_class: dict[str, Counter[str]] = defaultdict(Counter)
    by_group: dict[str, Counter[str]] = defaultdict(Counter)
    missed = []
    for row in perturbed:
        ok = (row["list"], row["entry_id"]) in found[row["id"]]
        for counter in (by_class[row["perturbation"]], by_group[row["group"]]):
            counter["rows"] += 1
            counter["found"] += ok
        if not ok:
            missed.append(
                {k: row[k] for k in ("name", "source", "perturbation", "list", "entry_id")}
            )
    recall = sum(
        1 for row in perturbed if (row["list"], row["entry_id"]) in found[row["id"]]
    ) / max(1, len(perturbed))
    alerted = [row for row in clean if found[row["id"]]]
    clean_share = len(alerted) / max(1, len(clean))
    names_per_second = len(rows) / seconds
    return {
        "smoke": smoke,
        "names": len(rows),
        "perturbed": len(perturbed),
        "clean": len(clean),
        "clean_generated_too_close_and_dropped": dropped,
        "hits": len(hits),
        "command_seconds": round(seconds, 2),
        "command_seconds_each_run": [round(r, 2) for r in runs],
        # CPU time of each run (all its processes), and the machine's load average as it
        # started: a run far slower than its CPU time shared the machine with other work.
        "command_cpu_seconds_each_run": [round(c, 2) for c in cpu],
        "load_average_before_each_run": loads,
        "cpus": os.cpu_count(),
        "load_seconds": load_seconds,
        "names_per_second": {
            "measured": round(names_per_second),
            "target": TARGETS["names_per_second"],
            "ratio": _ratio(names_per_second, TARGETS["names_per_second"]),
        },
        "recall": {
            "measured": round(recall, 4),
            "target": TARGETS["recall"],
            "ratio": _ratio(recall, TARGETS["recall"]),
        },
        # Lower is better here: the ratio is measured / allowed.
        "clean_alerted": {
            "measured": round(clean_share, 4),
            "target": TARGETS["clean_alerted"],
            "ratio": _ratio(clean_share, TARGETS["clean_alerted"]),
        },
        "recall_by_perturbation": {
            k: round(c["found"] / c["rows"], 4) for k, c in sorted(by_class.items())
        },
        "recall_by_list_and_kind": {
            k: round(c["found"] / c["rows"], 4) for k, c in sorted(by_group.items())
        },
        "missed_examples": missed[:15],
        "clean_alerted_examples": [row["name"] for row in alerted[:15]],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--smoke", action="store_true", help="a few hundred names, for the test suite"
    )
    result = run(parser.parse_args().smoke)
    json.dump(result, sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
