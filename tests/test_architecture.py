"""The import direction the style guide asks for, checked so that review does not have to.

- `core` (base models, audit trail, conflict checks) imports no other Safelane app.
- The foundation apps (`accounts`, `orgs`) import no domain app.
- A domain app reaches a sibling domain only through its `services` or `selectors`.
Imports under `if TYPE_CHECKING:` are for type hints and do not count.
"""

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "safelane"
FOUNDATION = {"core", "accounts", "orgs"}
PUBLIC_MODULES = {"services", "selectors"}


def apps():
    return sorted(p.name for p in SRC.iterdir() if (p / "apps.py").exists())


def runtime_imports(path: Path):
    tree = ast.parse(path.read_text())
    type_only = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            type_only |= {id(child) for child in ast.walk(node)}
    for node in ast.walk(tree):
        if id(node) in type_only:
            continue
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [f"{node.module}.{alias.name}" for alias in node.names]
            yield node.lineno, [node.module, *names]
        elif isinstance(node, ast.Import):
            yield node.lineno, [alias.name for alias in node.names]


def target(dotted: str):
    parts = dotted.split(".")
    if parts[0] != "safelane" or len(parts) < 2:
        return None, None
    return parts[1], parts[2] if len(parts) > 2 else None


@pytest.mark.parametrize("app", apps())
def test_imports_follow_the_layering(app):
    problems = []
    for path in (SRC / app).rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for line, dotted_names in runtime_imports(path):
            other, module = target(dotted_names[0])
            if module is None and len(dotted_names) > 1:
                other, module = target(dotted_names[1])
            if other is None or other == app or other not in apps():
                continue
            where = f"{path.relative_to(SRC)}:{line} imports safelane.{other}.{module or ''}"
            if (
                app == "core"
                or (app in FOUNDATION and other not in FOUNDATION)
                or (
                    app not in FOUNDATION
                    and other not in FOUNDATION
                    and module not in PUBLIC_MODULES
                )
            ):
                problems.append(where)
    assert not problems, "\n".join(problems)
