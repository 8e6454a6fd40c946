"""The layers import downwards only (DESIGN.md, "The parts"), imports inside functions included.

From the ground up: core (imports no app); the data apps countries, then permits and recruiters
(which do not import each other); submissions (the pipeline that writes to them); the data apps'
own pages (`views.py`, `urls.py`: a country page may read the permits selectors); guidance (what
spans the apps for a person asking); mobility_hub (project wiring). A module may import its own
layer only inside its own app.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA_RANKS = {"core": 0, "countries": 1, "permits": 2, "recruiters": 2, "submissions": 3}
PAGES_RANK = 4
TOP_RANKS = {"guidance": 5, "mobility_hub": 6}
APPS = {**DATA_RANKS, **TOP_RANKS}
PAGE_MODULES = ("views", "urls")


def rank(module):
    """The layer of a dotted module name of the project, or None for anything else."""
    parts = module.split(".")
    app = parts[0]
    if app not in APPS:
        return None
    if app in ("countries", "permits", "recruiters") and len(parts) > 1 and parts[1] in PAGE_MODULES:
        return PAGES_RANK
    return APPS[app]


def module_name(path, root):
    relative = path.relative_to(root).with_suffix("")
    parts = list(relative.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(path, root):
    """Every module `path` imports, anywhere in the file, as absolute dotted names."""
    name = module_name(path, root)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module
            yield node.lineno, target
            for alias in node.names:  # `from permits import selectors` imports permits.selectors
                yield node.lineno, f"{target}.{alias.name}"


def project_files():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def upward_imports(files, root=ROOT):
    problems = []
    for path in files:
        source = module_name(path, root)
        for line, target in imported_modules(path, root):
            target_rank, source_rank = rank(target), rank(source)
            if target_rank is None:
                continue
            same_app = target.split(".")[0] == source.split(".")[0]
            if target_rank > source_rank or (target_rank == source_rank and not same_app):
                problems.append(f"{path.relative_to(root)}:{line} imports {target}")
    return sorted(set(problems))


def test_every_app_is_placed_in_a_layer():
    apps = {path.parent.name for path in ROOT.glob("*/apps.py")} | {"mobility_hub"}
    assert apps == set(APPS)


def test_no_layer_imports_a_higher_one():
    assert upward_imports(project_files()) == []


@pytest.mark.parametrize(
    ("module", "source", "expected"),
    [
        ("core/probe.py", "from countries.models import Country", "core/probe.py:1 imports countries.models"),
        ("permits/probe.py", "from recruiters import selectors", "permits/probe.py:1 imports recruiters"),
        ("countries/probe.py", "from . import views", "countries/probe.py:1 imports countries.views"),
        ("submissions/p.py", "def f():\n    from guidance import search", "submissions/p.py:2 imports guidance"),
        ("countries/views.py", "from permits import selectors", None),
        ("guidance/probe.py", "from countries import views", None),
    ],
)
def test_the_check_sees_an_upward_import(tmp_path, module, source, expected):
    path = tmp_path / module
    path.parent.mkdir(parents=True)
    path.write_text(source + "\n")
    found = upward_imports([path], root=tmp_path)
    if expected is None:
        assert found == []
    else:
        assert expected in found
