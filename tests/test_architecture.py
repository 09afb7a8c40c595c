"""The shape the style guide asks for, checked so that review does not have to.

- `core` (base models, audit trail, conflict checks) refers to no other Safelane app at all.
- The foundation apps (`accounts`, `orgs`) refer to no domain app.
- A domain app reaches a sibling domain only through its `services` or `selectors`, for every
  name it imports; `apps.get_model(...)` across apps is refused (it would dodge that rule).
- The apps form no cycle, counting imports and model references written as strings
  ("risk.Node" in a foreign key), so that every app can be read and tested from the bottom up.
- Organisation data is read through `Model.objects.for_org(org)`: an `.objects.` query of a
  tenant model by any other method, or its `_default_manager`/`_base_manager`, is refused
  outside the tenancy code itself.

Imports under `if TYPE_CHECKING:` are type hints, not dependencies, and do not count (except in
`core`, which names no other app even there). `settings.AUTH_USER_MODEL` and
`settings.TENANT_MODEL` name models through settings, as Django intends, and do not count.

The tests at the end plant violations in a copy of the tree and prove that each one is caught.
"""

from __future__ import annotations

import ast
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
from django.apps import apps as django_apps

SRC = Path(__file__).resolve().parents[1] / "src" / "safelane"
FOUNDATION = {"core", "accounts", "orgs"}
PUBLIC_MODULES = {"services", "selectors"}
# The code that implements tenancy may read across organisations; nothing else may.
TENANCY_CODE = {"core/models.py", "core/records.py", "core/audit.py", "orgs/access.py"}
# Writes that carry their organisation on every row and are audited as one entry, and the
# empty queryset (which reads nothing).
SCOPED_WRITES = {"bulk_create", "none"}


@dataclass(frozen=True)
class Reference:
    path: str  # relative to src/safelane
    line: int
    source: str  # the app holding the code
    target: str  # the app referred to
    module: str | None  # for imports: the target's module (None: the app package itself)
    kind: str  # "import", "string" or "get_model"

    def __str__(self) -> str:
        what = {"import": "imports", "string": "refers to", "get_model": "looks up a model of"}
        module = f".{self.module}" if self.module else ""
        return f"{self.path}:{self.line} {what[self.kind]} safelane.{self.target}{module}"


def app_names(tree: dict[str, str]) -> set[str]:
    return {path.split("/")[0] for path in tree if path.endswith("/apps.py")}


def source_tree() -> dict[str, str]:
    """Every Python file of every app (migrations aside), by path below src/safelane."""
    return {
        str(path.relative_to(SRC)): path.read_text()
        for path in SRC.rglob("*.py")
        if "migrations" not in path.parts and len(path.relative_to(SRC).parts) > 1
    }


@cache
def model_labels() -> dict[str, str]:
    """ "app_label.ModelName" (as written in a foreign key) -> the app that defines it."""
    labels = {}
    for config in django_apps.get_app_configs():
        if config.name.startswith("safelane."):
            app = config.name.split(".")[1]
            for model in config.get_models():
                labels[f"{config.label}.{model.__name__}"] = app
    return labels


@cache
def app_of_label() -> dict[str, str]:
    return {
        config.label: config.name.split(".")[1]
        for config in django_apps.get_app_configs()
        if config.name.startswith("safelane.")
    }


@cache
def tenant_model_names() -> frozenset[str]:
    return frozenset(
        model.__name__
        for model in django_apps.get_models()
        if model.__module__.startswith("safelane.")
        and any(f.name == "organisation" and f.is_relation for f in model._meta.fields)
    )


def _type_only_nodes(tree: ast.AST) -> set[int]:
    hidden: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            hidden |= {id(child) for child in ast.walk(node)}
    return hidden


def _imported(node: ast.AST) -> Iterator[list[str]]:
    """Each imported name as its dotted parts below `safelane`."""
    if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
        base = node.module.split(".")
        if base[0] != "safelane":
            return
        for alias in node.names:
            yield [*base[1:], alias.name] if len(base) < 3 else base[1:]
    elif isinstance(node, ast.Import):
        for alias in node.names:
            parts = alias.name.split(".")
            if parts[0] == "safelane":
                yield parts[1:]


def references(tree: dict[str, str]) -> Iterator[Reference]:
    apps = app_names(tree)
    labels, label_apps = model_labels(), app_of_label()
    for path, text in sorted(tree.items()):
        source = path.split("/")[0]
        if source not in apps:
            continue
        parsed = ast.parse(text)
        hidden = _type_only_nodes(parsed) if source != "core" else set()
        for node in ast.walk(parsed):
            if id(node) in hidden:
                continue
            line = getattr(node, "lineno", 0)
            for parts in _imported(node):
                if parts and parts[0] in apps and parts[0] != source:
                    module = parts[1] if len(parts) > 1 else None
                    yield Reference(path, line, source, parts[0], module, "import")
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                target = labels.get(node.value)
                if target and target != source:
                    yield Reference(path, line, source, target, None, "string")
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "get_model"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                label = node.args[0].value.split(".")[0]
                target = label_apps.get(label)
                if target and target != source:
                    yield Reference(path, line, source, target, None, "get_model")


def layering_problems(tree: dict[str, str]) -> list[str]:
    problems = []
    for ref in references(tree):
        domain_to_domain = ref.source not in FOUNDATION and ref.target not in FOUNDATION
        if (
            ref.source == "core"
            or (ref.source in FOUNDATION and ref.target not in FOUNDATION)
            or ref.kind == "get_model"
            or (domain_to_domain and ref.kind == "import" and ref.module not in PUBLIC_MODULES)
        ):
            problems.append(str(ref))
    return problems


def cycles(tree: dict[str, str]) -> list[str]:
    """Each cycle between apps once, with the references that close it."""
    edges: dict[str, dict[str, Reference]] = {}
    for ref in references(tree):
        edges.setdefault(ref.source, {}).setdefault(ref.target, ref)
    found: list[str] = []
    seen: set[frozenset[str]] = set()

    def visit(node: str, trail: list[str]) -> None:
        for nxt in sorted(edges.get(node, {})):
            if nxt in trail:
                loop = trail[trail.index(nxt) :]
                key = frozenset(loop)
                if key not in seen:
                    seen.add(key)
                    hops = [*loop, nxt]
                    found.append(
                        " -> ".join(hops)
                        + ": "
                        + "; ".join(str(edges[a][b]) for a, b in itertools.pairwise(hops))
                    )
            elif len(trail) < 12:
                visit(nxt, [*trail, nxt])

    for start in sorted(edges):
        visit(start, [start])
    return found


def unscoped_queries(tree: dict[str, str]) -> list[str]:
    tenant = tenant_model_names()
    problems = []
    for path, text in sorted(tree.items()):
        if path in TENANCY_CODE:
            continue
        for node in ast.walk(ast.parse(text)):
            if not isinstance(node, ast.Attribute) or not isinstance(node.value, ast.Attribute):
                continue
            manager, owner = node.value, node.value.value
            if not isinstance(owner, ast.Name) or owner.id not in tenant:
                continue
            if manager.attr in {"_default_manager", "_base_manager"} or (
                manager.attr == "objects" and node.attr not in {"for_org", *SCOPED_WRITES}
            ):
                problems.append(
                    f"{path}:{node.lineno} {owner.id}.{manager.attr}.{node.attr}: "
                    "read organisation data through Model.objects.for_org(org)"
                )
    return problems


def test_imports_follow_the_layering():
    problems = layering_problems(source_tree())
    assert not problems, "\n".join(problems)


def test_apps_form_no_cycle():
    found = cycles(source_tree())
    assert not found, "\n".join(found)


def test_organisation_data_is_read_through_for_org():
    problems = unscoped_queries(source_tree())
    assert not problems, "\n".join(problems)


# Tests of the tests: each planted violation must turn the check red.


def planted(path: str, text: str) -> dict[str, str]:
    tree = source_tree()
    tree[path] = text
    return tree


@pytest.mark.parametrize(
    ("path", "text", "expected"),
    [
        ("jobs/planted.py", "from safelane.catalog import selectors, models\n", "catalog.models"),
        ("evidence/planted.py", "from safelane.risk import services, views\n", "risk.views"),
        ("evidence/planted.py", "import safelane.risk.models\n", "risk.models"),
        ("evidence/planted.py", "from safelane import risk\n", "safelane.risk"),
        (
            "evidence/planted.py",
            "from django.apps import apps\nNode = apps.get_model('risk', 'Node')\n",
            "looks up a model of safelane.risk",
        ),
        ("orgs/planted.py", "from safelane.risk.selectors import risks\n", "safelane.risk"),
        ("core/planted.py", "from safelane.orgs.access import org_view\n", "safelane.orgs"),
        (
            "core/planted.py",
            (
                "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                "    from safelane.orgs.models import Organisation\n"
            ),
            "safelane.orgs",
        ),
    ],
)
def test_the_layering_check_catches_a_planted_import(path, text, expected):
    problems = layering_problems(planted(path, text))
    assert any(expected in p and path in p for p in problems), problems


@pytest.mark.parametrize(
    ("path", "text"),
    [
        ("evidence/planted.py", "from safelane.risk import services\n"),
        (
            "evidence/planted.py",
            (
                "from django.db import models\n"
                "class Planted(models.Model):\n"
                "    node = models.ForeignKey('risk.Node', on_delete=models.CASCADE)\n"
            ),
        ),
    ],
)
def test_the_cycle_check_catches_a_planted_reference_back(path, text):
    found = cycles(planted(path, text))
    assert any("evidence" in loop and "risk" in loop and path in loop for loop in found), found


@pytest.mark.parametrize(
    "text",
    [
        "from safelane.actions.models import Action\nrows = Action.objects.filter(pk=1)\n",
        "from safelane.actions.models import Action\nrows = Action._default_manager.all()\n",
        "from safelane.jobs.models import Job\nJob.objects.create(title='x')\n",
    ],
)
def test_the_scoping_check_catches_a_planted_unscoped_query(text):
    problems = unscoped_queries(planted("actions/planted.py", text))
    assert any("actions/planted.py" in p for p in problems), problems


def test_the_scoping_check_lets_for_org_through():
    text = "from safelane.actions.models import Action\nrows = Action.objects.for_org(org)\n"
    assert not [p for p in unscoped_queries(planted("actions/planted.py", text)) if "planted" in p]


# A view reads, or takes one action: a page's many buttons are many small views, each with its
# own URL and access rule (what the tenancy walker proves), and the rules live in services.
MAX_VIEW_LINES = 40


def is_view_module(path: str) -> bool:
    parts = path.split("/")
    return parts[-1] in ("views.py", "link.py") or (len(parts) > 2 and parts[-2] == "views")


def oversized_views(tree: dict[str, str]) -> list[str]:
    """Functions of view modules longer than MAX_VIEW_LINES (decorators aside), or that test
    for a POST more than once (two POST paths in one view)."""
    problems = []
    for path, text in sorted(tree.items()):
        if not is_view_module(path):
            continue
        for node in ast.parse(text).body:
            if not isinstance(node, ast.FunctionDef):
                continue
            lines = node.end_lineno - node.lineno + 1 if node.end_lineno else 0
            posts = sum(
                1
                for sub in ast.walk(node)
                if isinstance(sub, ast.Compare)
                and "request.method" in ast.unparse(sub)
                and "POST" in ast.unparse(sub)
            )
            if lines > MAX_VIEW_LINES:
                problems.append(f"{path}:{node.lineno} {node.name} has {lines} lines")
            if posts > 1:
                problems.append(f"{path}:{node.lineno} {node.name} has {posts} POST paths")
    return problems


def test_every_view_is_small_and_takes_at_most_one_action():
    assert not oversized_views(source_tree()), oversized_views(source_tree())


def test_the_view_check_catches_a_view_with_two_post_paths_and_a_long_one():
    branches = (
        "def detail(request):\n"
        "    if request.method == 'POST' and 'a' in request.POST:\n        pass\n"
        "    if request.method == 'POST':\n        pass\n"
    )
    long_one = "def page(request):\n" + "    x = 1\n" * MAX_VIEW_LINES
    problems = oversized_views({"risk/views.py": branches, "risk/views/pages.py": long_one})
    assert problems == [
        "risk/views.py:1 detail has 2 POST paths",
        f"risk/views/pages.py:1 page has {MAX_VIEW_LINES + 1} lines",
    ]
