"""The house keeps its shape: the top-level packages import each other in one direction only
(contracts and planning at the bottom, the API at the top), and the contracts need nothing
but the standard library and pydantic, so workflows, activities and routes can all use them."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("contracts", "planning", "models", "mutasi", "activities", "workflows", "api")
# Who may import whom (besides itself): each layer only what lies below it.
ALLOWED = {
    "contracts": set(),
    "planning": set(),
    "models": set(),
    "mutasi": {"contracts", "planning", "models"},
    "activities": {"contracts", "planning", "models", "mutasi"},
    "workflows": {"contracts", "activities"},
    "api": {"contracts", "planning", "models", "mutasi", "workflows"},
}


def imported_by(path: Path) -> list[str]:
    """Every absolute module `path` imports (function-level imports too)."""
    modules: list[str] = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules.append(node.module)
        elif isinstance(node, ast.Import):
            modules += [alias.name for alias in node.names]
    return modules


def imports_of(package: str) -> dict[str, set[str]]:
    """Top-level module -> the files of `package` that import it (function-level imports too)."""
    found: dict[str, set[str]] = {}
    for path in (ROOT / package).rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for module in imported_by(path):
            found.setdefault(module.split(".")[0], set()).add(str(path.relative_to(ROOT)))
    return found


def test_packages_import_each_other_in_one_direction_only():
    wrong = {}
    for package in PACKAGES:
        for imported, files in imports_of(package).items():
            if imported in PACKAGES and imported != package and imported not in ALLOWED[package]:
                wrong[f"{package} -> {imported}"] = sorted(files)
    assert wrong == {}


def test_the_allowed_directions_have_no_cycle():
    # Kahn's algorithm over ALLOWED: every package can be placed, so no cycle hides in the table.
    remaining = {p: set(deps) for p, deps in ALLOWED.items()}
    while remaining:
        ready = [p for p, deps in remaining.items() if not deps]
        assert ready, f"lingkaran impor di antara {sorted(remaining)}"
        for p in ready:
            del remaining[p]
        for deps in remaining.values():
            deps.difference_update(ready)


# The layers inside mutasi/, bottom to top: each part may import the parts of the layers
# below it (and its own), never one beside or above it.
MUTASI_LAYERS = (
    {"i18n"},
    {"dossier", "mail"},
    {"infra"},
    {"org"},
    {"accounts", "audit", "reports"},
    {"decree"},
    {"committee"},
    {"dataio"},
    {"demo"},
    {"cli", "runner"},
)


def _mutasi_part(path: Path) -> str:
    rel = path.relative_to(ROOT / "mutasi")
    return rel.parts[0].removesuffix(".py")


def test_the_parts_of_mutasi_import_only_downward():
    level = {part: i for i, layer in enumerate(MUTASI_LAYERS) for part in layer}
    wrong, unplaced = [], set()
    for path in (ROOT / "mutasi").rglob("*.py"):
        part = _mutasi_part(path)
        if part == "__init__":
            continue
        if part not in level:
            unplaced.add(part)
            continue
        for module in imported_by(path):
            bits = module.split(".")
            if bits[0] != "mutasi" or len(bits) < 2 or bits[1] == part:
                continue
            if level.get(bits[1], len(MUTASI_LAYERS)) >= level[part]:
                wrong.append(f"{path.relative_to(ROOT)} -> {module}")
    assert unplaced == set(), f"bagian mutasi/ tanpa lapisan: {sorted(unplaced)}"
    assert sorted(wrong) == []


def test_contracts_need_only_the_standard_library_and_pydantic():
    outside = {
        m: files
        for m, files in imports_of("contracts").items()
        if m not in sys.stdlib_module_names and m not in ("contracts", "pydantic", "__future__")
    }
    assert outside == {}


def test_routes_and_pages_share_services_and_never_import_each_other():
    """Routes and pages call api.services; a route never imports another route, a page never
    imports a route, and the services import neither."""
    wrong = []
    for path in (ROOT / "api").rglob("*.py"):
        rel = path.relative_to(ROOT).as_posix()
        layer = rel.split("/")[1] if rel.count("/") >= 2 else None
        for node in ast.walk(ast.parse(path.read_text())):
            if not (isinstance(node, ast.ImportFrom) and node.module and node.level == 0):
                continue
            target = node.module
            if layer in ("routes", "pages", "services") and target.startswith("api.routes"):
                wrong.append(f"{rel} -> {target}")
            if layer == "services" and target.startswith("api.pages"):
                wrong.append(f"{rel} -> {target}")
    assert wrong == []


def _module_graph() -> dict[str, set[str]]:
    modules: dict[str, Path] = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
            modules[name] = path
    edges: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                # `from package import submodule` depends on the submodule, not the package
                subs = [f"{node.module}.{alias.name}" for alias in node.names]
                found = [s for s in subs if s in modules]
                targets = found if found else [node.module]
            elif isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                continue
            edges[name] |= {t for t in targets if t in modules and t != name}
    return edges


def test_no_module_imports_itself_back_through_others():
    edges = _module_graph()
    done: set[str] = set()
    cycles = []

    def visit(node: str, path: list[str]) -> None:
        for nxt in sorted(edges[node]):
            if nxt in path:
                cycles.append(path[path.index(nxt) :] + [nxt])
            elif nxt not in done:
                visit(nxt, [*path, nxt])
        done.add(node)

    for module in sorted(edges):
        if module not in done:
            visit(module, [module])
    assert cycles == []
