"""The house's import rules, read off the source with `ast` (nothing is imported or run).

The rooms and what each may import (ARCHITECTURE.md says why):
- `i18n/`       nothing of the product's and no Streamlit or database: every room may use it;
- `models/`     neither `ui`, `pages`, `pipelines` nor Streamlit;
- `pipelines/`  neither `ui`, `pages` nor Streamlit;
- `ui/`         not `pages`; its data access lives in `ui/data`, the only part of `ui` that
                may reach `pipelines` (an upload, the watcher, the demo build);
- `pages/`      `ui` and the pure part of `models` only: no `pipelines`, no SQLAlchemy, and
                no `models` module that runs SQL, directly or through what it imports;
- `app.py`      the frame, kept as a page is.
A models module "runs SQL" when it calls the database (`.execute`, `.connect`, `.begin`,
`read_frame`, ...) or imports another models module that does; building a SQLAlchemy
expression (a scope's WHERE clause, a table definition) is not running it.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

ROOMS = ("i18n", "models", "pipelines", "ui", "pages")
FRAME = "app.py"  # a room of one file, with the rules of the pages
FORBIDDEN: dict[str, tuple[str, ...]] = {
    "i18n": ("streamlit", "sqlalchemy", "ui", "pages", "pipelines", "models"),
    "models": ("streamlit", "ui", "pages", "pipelines"),
    "pipelines": ("streamlit", "ui", "pages"),
    "ui": ("pages",),
    "pages": ("pipelines", "sqlalchemy"),
    "app": ("pipelines", "sqlalchemy"),
}
KEPT_LIKE_PAGES = ("pages", "app")
RUNS_SQL_ATTRIBUTES = frozenset(
    {"execute", "exec_driver_sql", "connect", "begin", "scalar", "scalars", "read_sql"}
)
RUNS_SQL_FUNCTIONS = frozenset({"read_frame", "read_sql", "read_sql_query"})


@dataclass(frozen=True)
class Violation:
    path: str
    line: int
    imported: str
    rule: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line} imports {self.imported}: {self.rule}"


def _module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _resolve(module: str, node: ast.ImportFrom, current: str, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    base = current.split(".") if is_package else current.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)] if node.level > 1 else base
    return ".".join([*base, node.module] if node.module else base)


def _is_type_checking(test: ast.expr) -> bool:
    """`if TYPE_CHECKING:` (or `typing.TYPE_CHECKING`): imports for annotations only."""
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imports_of(root: Path, path: Path) -> list[tuple[int, str]]:
    """Every module `path` imports, with its line: `from a import b` gives `a` and `a.b`
    (b may be a module), relative imports resolved; imports under `if TYPE_CHECKING:` are
    for annotations only and do not count."""
    current = _module_name(root, path)
    is_package = path.name == "__init__.py"
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    typing_only = {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and _is_type_checking(node.test)
        for inner in ast.walk(node)
    }
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = _resolve(node.module or "", node, current, is_package)
            found.append((node.lineno, base))
            found += [(node.lineno, f"{base}.{alias.name}") for alias in node.names]
    return found


def _within(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def source_files(root: Path) -> dict[str, Path]:
    files: dict[str, Path] = {}
    for room in ROOMS:
        for path in sorted((root / room).rglob("*.py")):
            files[_module_name(root, path)] = path
    if (root / FRAME).exists():
        files[_module_name(root, root / FRAME)] = root / FRAME
    return files


def calls_the_database(path: Path) -> bool:
    """Whether the module's own code calls a connection, an engine or a query reader."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if not isinstance(node, ast.Call):
            continue
        called = node.func
        if isinstance(called, ast.Attribute) and called.attr in RUNS_SQL_ATTRIBUTES:
            return True
        if isinstance(called, ast.Name) and called.id in RUNS_SQL_FUNCTIONS:
            return True
    return False


def sql_modules(root: Path) -> set[str]:
    """The models modules that run SQL, directly or through other models modules."""
    files = {name: path for name, path in source_files(root).items() if _within(name, "models")}
    graph = {name: {m for _, m in imports_of(root, path)} for name, path in files.items()}
    running = {name for name, path in files.items() if calls_the_database(path)}
    changed = True
    while changed:
        changed = False
        for name, imported in graph.items():
            if name not in running and any(m in running for m in imported):
                running.add(name)
                changed = True
    return running


def violations(root: Path) -> list[Violation]:
    """Every import that breaks a rule of the house, in file order."""
    running = sql_modules(root)
    found: list[Violation] = []
    for name, path in source_files(root).items():
        room = name.split(".")[0]
        shown = str(path.relative_to(root))
        for line, imported in imports_of(root, path):
            for forbidden in FORBIDDEN[room]:
                if _within(imported, forbidden):
                    found.append(
                        Violation(shown, line, imported, f"{room} never import {forbidden}")
                    )
            if room == "ui" and not _within(name, "ui.data") and _within(imported, "pipelines"):
                found.append(
                    Violation(shown, line, imported, "ui outside ui/data never import pipelines")
                )
            if room in KEPT_LIKE_PAGES and imported in running:
                found.append(
                    Violation(
                        shown, line, imported, f"{room} never import a models module that runs SQL"
                    )
                )
    return sorted(set(found), key=lambda v: (v.path, v.line, v.imported))


# The longest function each room may hold, in lines (its `def` to its last line). A page or
# a widget draws one part a function, named for it: `render()` calls them in screen order.
# models/ and pipelines/ are held at what they hold today (their longest: the uplift
# estimator's per-metric assembly, the load's transaction) so that nothing grows past it.
FUNCTION_LINES: dict[str, int] = {
    "pages": 80,
    "ui": 80,
    "i18n": 80,
    "models": 100,
    "pipelines": 120,
}


@dataclass(frozen=True)
class LongFunction:
    path: str
    line: int
    name: str
    lines: int
    limit: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line} {self.name}() is {self.lines} lines (at most {self.limit})"


def long_functions(root: Path, limits: dict[str, int] = FUNCTION_LINES) -> list[LongFunction]:
    """Every function (methods and nested ones too) longer than its room allows."""
    found: list[LongFunction] = []
    for room, limit in limits.items():
        for path in sorted((root / room).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            for node in ast.walk(tree):
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    lines = (node.end_lineno or node.lineno) - node.lineno + 1
                    if lines > limit:
                        shown = str(path.relative_to(root))
                        found.append(LongFunction(shown, node.lineno, node.name, lines, limit))
    return found
