"""The import rules of the layers (docs/architecture.md), checked on the source itself.

Every module under ``src/pamtps`` is parsed with ``ast``; every import counts, at any depth
(inside functions and ``if TYPE_CHECKING:`` blocks too), because a lazy or type-only import is
still a dependency that someone must keep working. ``from pamtps.pkg import name`` is resolved to
the submodule ``pamtps.pkg.name`` when there is one, so that importing a submodule by name does
not pass as an import of the package.

Each rule is one test; a failure lists every offending import as ``path:line: statement``.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

SOURCE = Path(__file__).resolve().parents[1] / "src"

# The pamtps packages (or top-level modules) each layer may import besides itself. A module may
# import its own package and the ones listed here; any other pamtps import goes upward or
# sideways. The root package "pamtps" holds nothing but __version__: any layer may read it
# (the web app shows it) and it imports nothing.
ROOT = "pamtps"
ALLOWED: dict[str, frozenset[str]] = {
    name: frozenset(allowed)
    for name, allowed in {
        ROOT: (),
        "domain": (),
        "tokens": ("domain",),
        "i18n": ("domain",),
        "datasets": ("domain",),
        "io": ("domain", "datasets"),
        "planner": ("domain", "datasets"),
        "documents": ("domain", "tokens", "i18n"),
        "settings": (),
        "store": ("domain", "io", "settings"),
        "scenarios": ("domain", "datasets", "io", "planner", "store"),
        "ops": (
            "domain", "tokens", "i18n", "datasets", "planner", "documents", "store", "settings",
        ),
        "web": ("domain", "tokens", "i18n", "documents", "ops", "store", "settings", "planner"),
        "simulate": ("domain", "ops", "store", "settings", "web", "i18n"),
        "scale": ("domain", "datasets", "io", "planner", "documents", "scenarios"),
        "cli": (
            "domain", "tokens", "i18n", "datasets", "io", "planner", "documents",
            "settings", "store", "scenarios", "ops", "web", "simulate", "scale",
        ),
    }.items()
}

# Layers that must run on the standard library alone (and pamtps.domain).
STDLIB_ONLY = frozenset({"domain", "tokens", "i18n"})

# Third-party packages and the only layers that may import them.
CONFINED: dict[str, frozenset[str]] = {
    "sqlalchemy": frozenset({"store"}),
    "alembic": frozenset({"store"}),
    "fastapi": frozenset({"web", "cli"}),
    "starlette": frozenset({"web", "cli"}),
    "uvicorn": frozenset({"web", "cli"}),
    "rich": frozenset({"cli"}),
    "typer": frozenset({"cli"}),
    "dask": frozenset({"scale"}),
    "distributed": frozenset({"scale"}),
    "highspy": frozenset({"planner"}),
    "numba": frozenset({"planner"}),
}


@dataclass(frozen=True)
class Import:
    """One imported module (or name) of one module: who, where, what, as written."""

    module: str  # the importing module, e.g. "pamtps.ops.users"
    path: str  # its file, relative to src/
    line: int
    target: str  # the module imported, resolved: "pamtps.planner.solve", "sqlalchemy.orm"
    name: str | None  # for ``from X import name`` when name is not a submodule: the name
    statement: str  # the import as written, for the failure message

    @property
    def layer(self) -> str:
        return layer_of(self.module)

    @property
    def target_layer(self) -> str | None:
        """The pamtps layer imported, or None for a module outside pamtps."""
        return layer_of(self.target) if is_pamtps(self.target) else None

    @property
    def top(self) -> str:
        """The top-level package imported: "sqlalchemy" for "sqlalchemy.orm"."""
        return self.target.split(".")[0]

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.statement}"


def is_pamtps(module: str) -> bool:
    return module == "pamtps" or module.startswith("pamtps.")


def layer_of(module: str) -> str:
    """The layer of a pamtps module: its package right under pamtps ("pamtps" for the root)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def module_name(path: Path, root: Path) -> tuple[str, bool]:
    """The dotted name of a source file, and whether it is a package's ``__init__``."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        return ".".join(parts[:-1]), True
    return ".".join(parts), False


def resolve_base(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    """The absolute module a ``from ... import`` reads from, relative imports included."""
    if node.level == 0:
        return node.module or ""
    package = module.split(".") if is_package else module.split(".")[:-1]
    base = package[: len(package) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def bound_names(tree: ast.Module) -> frozenset[str]:
    """The names a module binds at its top level (imports, assignments, functions, classes)."""
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            names.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names.update(target.id for target in targets if isinstance(target, ast.Name))
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
    return frozenset(names)


def imports_of(
    source: str, module: str, path: str, is_package: bool, known: Mapping[str, frozenset[str]]
) -> Iterator[Import]:
    """Every import of a module's source.

    ``known`` maps every module that exists to the names it binds. Like Python itself, ``from X
    import y`` gets the name y that X binds (``from pamtps.planner import validate``, the
    function) and only failing that the submodule X.y (``from pamtps.store import plans``).
    """
    for node in ast.walk(ast.parse(source, filename=path)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(module, path, node.lineno, alias.name, None, ast.unparse(node))
        elif isinstance(node, ast.ImportFrom):
            base = resolve_base(module, is_package, node)
            statement = ast.unparse(node)
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                if alias.name not in known.get(base, ()) and submodule in known:
                    yield Import(module, path, node.lineno, submodule, None, statement)
                else:
                    yield Import(module, path, node.lineno, base, alias.name, statement)


def all_imports(root: Path = SOURCE) -> list[Import]:
    """The imports of every module under ``root/pamtps``."""
    sources = {path: path.read_text(encoding="utf-8") for path in (root / "pamtps").rglob("*.py")}
    names = {path: module_name(path, root) for path in sources}
    known = {names[path][0]: bound_names(ast.parse(source)) for path, source in sources.items()}
    found: list[Import] = []
    for path, source in sorted(sources.items()):
        name, is_package = names[path]
        found.extend(imports_of(source, name, str(path.relative_to(root)), is_package, known))
    return found


def planner_api() -> frozenset[str]:
    """``pamtps.planner.__all__``, read from its source (no need to import numpy for it)."""
    tree = ast.parse((SOURCE / "pamtps" / "planner" / "__init__.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == "__all__" for target in node.targets
        ):
            return frozenset(ast.literal_eval(node.value))
    raise AssertionError("pamtps/planner/__init__.py defines no __all__")


# --- The rules: each returns why an import breaks it, or None -----------------------------------


def upward_or_sideways(item: Import) -> str | None:
    """A pamtps import must stay in the importer's layer or go to one the table allows."""
    target = item.target_layer
    if target in (None, ROOT, item.layer) or target in ALLOWED[item.layer]:
        return None
    return f"{item.layer} may not import pamtps.{target}"


def not_stdlib(item: Import) -> str | None:
    """domain, tokens and i18n import the standard library and pamtps.domain only."""
    if item.layer not in STDLIB_ONLY:
        return None
    if item.target_layer is not None:
        if item.target_layer in {item.layer, "domain"}:
            return None
        return f"{item.layer} may import no pamtps package but domain"
    if item.top in sys.stdlib_module_names:
        return None
    return f"{item.layer} may import the standard library only, not {item.top}"


def planner_internals(item: Import) -> str | None:
    """Outside the planner, only ``from pamtps.planner import NAME`` with NAME in __all__."""
    if item.layer == "planner" or item.target_layer != "planner":
        return None
    if item.target == "pamtps.planner" and item.name is not None:
        if item.name in planner_api():
            return None
        return f"{item.name} is not in pamtps.planner.__all__"
    return "import the planner's public API: from pamtps.planner import NAME"


def confined_package(item: Import) -> str | None:
    """Some third-party packages belong to one layer (the database, the web, the terminal)."""
    layers = CONFINED.get(item.top)
    if layers is None or item.target_layer is not None or item.layer in layers:
        return None
    return f"{item.top} only in " + ", ".join(f"pamtps.{layer}" for layer in sorted(layers))


def violations(imports: Iterable[Import], rule: Callable[[Import], str | None]) -> list[str]:
    """Every import that breaks the rule, once per statement and reason."""
    found: dict[str, None] = {}
    for item in imports:
        reason = rule(item)
        if reason is not None:
            found[f"{item} ({reason})"] = None
    return list(found)


RULES = {
    "layers": upward_or_sideways,
    "stdlib-only": not_stdlib,
    "planner-api": planner_internals,
    "confined-packages": confined_package,
}


@pytest.fixture(scope="module")
def imports() -> list[Import]:
    return all_imports()


def test_every_module_is_parsed(imports: list[Import]) -> None:
    """The checker sees the tree: every layer of the table imports something."""
    assert {item.layer for item in imports} >= set(ALLOWED) - {"pamtps", "settings"}
    assert {item.layer for item in imports} <= set(ALLOWED), "a package missing from ALLOWED"


def test_the_layers_have_no_cycle() -> None:
    """The table is a true layering: no package may reach itself through the others."""

    def reach(layer: str, seen: frozenset[str]) -> None:
        for lower in ALLOWED[layer]:
            assert lower not in seen, f"cycle: {' -> '.join([*seen, lower])}"
            reach(lower, seen | {lower})

    for layer in ALLOWED:
        reach(layer, frozenset({layer}))


@pytest.mark.parametrize("rule", RULES)
def test_import_rule(imports: list[Import], rule: str) -> None:
    found = violations(imports, RULES[rule])
    assert not found, f"{len(found)} import(s) break the {rule} rule:\n" + "\n".join(found)


# --- The checker can fail: synthetic modules that break each rule ---------------------------------

KNOWN = {
    "pamtps.ops": frozenset(),
    "pamtps.ops.users": frozenset({"User"}),
    "pamtps.planner": frozenset({"plan", "validate"}),
    "pamtps.planner.solve": frozenset({"plan", "summary"}),
    "pamtps.planner.validate": frozenset({"validate"}),
}


def check_fake(module: str, source: str, rule: str, is_package: bool = False) -> list[str]:
    path = module.replace(".", "/") + ".py"
    return violations(imports_of(source, module, path, is_package, KNOWN), RULES[rule])


def test_checker_flags_an_upward_import() -> None:
    source = "import json\n\ndef late():\n    from pamtps.ops import users\n"
    assert check_fake("pamtps.domain.fake", source, "layers") == [
        "pamtps/domain/fake.py:4: from pamtps.ops import users (domain may not import pamtps.ops)"
    ]


def test_checker_resolves_relative_imports() -> None:
    found = check_fake("pamtps.planner.fake", "from ..ops.users import User\n", "layers")
    assert found == [
        "pamtps/planner/fake.py:1: from ..ops.users import User (planner may not import pamtps.ops)"
    ]
    assert check_fake("pamtps.ops", "from . import users\n", "layers", is_package=True) == []


def test_checker_flags_planner_internals() -> None:
    source = (
        "from pamtps.planner import plan\n"
        "from pamtps.planner import solve\n"
        "from pamtps.planner.solve import summary\n"
        "import pamtps.planner\n"
        "from pamtps.planner import no_such_name\n"
        "from pamtps.planner import validate\n"  # the function the package binds: allowed
    )
    found = check_fake("pamtps.cli.fake", source, "planner-api")
    assert [line.split(":")[1] for line in found] == ["2", "3", "4", "5"]


def test_checker_flags_a_confined_package() -> None:
    source = "if True:\n    from sqlalchemy.orm import Session\nimport fastapi\n"
    assert len(check_fake("pamtps.ops.fake", source, "confined-packages")) == 2
    in_store = source.replace("fastapi", "json")
    assert check_fake("pamtps.store.fake", in_store, "confined-packages") == []


def test_checker_flags_a_third_party_import_in_domain() -> None:
    found = check_fake("pamtps.domain.fake", "import numpy\nimport math\n", "stdlib-only")
    assert found == [
        "pamtps/domain/fake.py:1: import numpy"
        " (domain may import the standard library only, not numpy)"
    ]
