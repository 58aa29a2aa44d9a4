"""The rooms of the house keep to their imports (tests/architecture.py states the rules).

The first test reads this checkout; the others build tiny trees that break one rule each, so
the checker is shown to fail where it should."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.architecture import FUNCTION_LINES, long_functions, sql_modules, violations

ROOT = Path(__file__).resolve().parents[1]


def test_this_checkout_keeps_the_house_rules() -> None:
    found = violations(ROOT)
    assert not found, "imports that break the house rules:\n" + "\n".join(map(str, found))


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    for room in ("i18n", "models", "pipelines", "ui", "pages"):
        (tmp_path / room).mkdir()
    for name, source in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(source, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(
    "files, broken",
    [
        ({"models/a.py": "import streamlit as st\n"}, "models never import streamlit"),
        ({"models/a.py": "from ui import format\n"}, "models never import ui"),
        ({"models/a.py": "from pipelines.load import x\n"}, "models never import pipelines"),
        (
            {"pipelines/a.py": "from streamlit import cache_data\n"},
            "pipelines never import streamlit",
        ),
        ({"pipelines/a.py": "import pages.overview\n"}, "pipelines never import pages"),
        ({"pages/p.py": "from pipelines.load import LoadReport\n"}, "pages never import pipelines"),
        ({"pages/p.py": "from sqlalchemy import text\n"}, "pages never import sqlalchemy"),
        (
            {
                "models/q.py": "def f(c):\n    return c.execute(1)\n",
                "pages/p.py": "from models.q import thing\n",
            },
            "pages never import a models module that runs SQL",
        ),
        (
            {
                "models/q.py": "def f(e):\n    with e.begin():\n        pass\n",
                "models/wrap.py": "from models import q\n",
                "pages/p.py": "from models import wrap\n",
            },
            "pages never import a models module that runs SQL",
        ),
        ({"ui/w.py": "from pages import overview\n"}, "ui never import pages"),
        ({"ui/w.py": "from pipelines import load\n"}, "ui outside ui/data never import pipelines"),
        ({"i18n/f.py": "from models.scope import Scope\n"}, "i18n never import models"),
        ({"i18n/f.py": "import streamlit as st\n"}, "i18n never import streamlit"),
        ({"app.py": "from pipelines.bootstrap import build_demo\n"}, "app never import pipelines"),
        (
            {"models/q.py": "def f(c):\n    return c.execute(1)\n", "app.py": "import models.q\n"},
            "app never import a models module that runs SQL",
        ),
    ],
)
def test_a_broken_rule_is_found(tmp_path: Path, files: dict[str, str], broken: str) -> None:
    found = violations(_tree(tmp_path, files))
    assert [v.rule for v in found] == [broken] * len(found) and found


def test_pure_models_and_ui_are_open_to_pages(tmp_path: Path) -> None:
    root = _tree(
        tmp_path,
        {
            "models/pure.py": "import math\n",
            "models/q.py": "def f(c):\n    return c.execute(1)\n",
            "ui/data/__init__.py": "from models import q\n",
            "pages/p.py": "from models.pure import f\nfrom ui import data\n",
        },
    )
    assert violations(root) == []
    assert sql_modules(root) == {"models.q"}


def test_imports_for_annotations_only_do_not_count(tmp_path: Path) -> None:
    root = _tree(
        tmp_path,
        {
            "models/q.py": "def f(c):\n    return c.execute(1)\n",
            "pages/p.py": (
                "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from models.q import S\n"
            ),
        },
    )
    assert violations(root) == []


def test_relative_imports_are_resolved(tmp_path: Path) -> None:
    root = _tree(
        tmp_path,
        {
            "models/__init__.py": "",
            "models/seg/__init__.py": "from .store import save\n",
            "models/seg/store.py": "def save(frame):\n    return read_frame(frame)\n",
            "pages/p.py": "from models.seg import save\n",
        },
    )
    assert sql_modules(root) == {"models.seg", "models.seg.store"}
    assert [v.imported for v in violations(root)] == ["models.seg"]


@pytest.mark.parametrize(
    "name, source, broken",
    [
        ("pages/broken.py", "from models import campaigns\n", "pages never import a models"),
        ("pages/broken.py", "from models import segments\n", "pages never import a models"),
        ("pages/broken.py", "from pipelines import load\n", "pages never import pipelines"),
        ("models/broken.py", "import streamlit as st\n", "models never import streamlit"),
    ],
)
def test_this_checkout_broken_on_purpose_fails(
    tmp_path: Path, name: str, source: str, broken: str
) -> None:
    """This very tree with one break added: the check finds it (and nothing else)."""
    for room in ("i18n", "models", "pipelines", "ui", "pages"):
        shutil.copytree(ROOT / room, tmp_path / room, ignore=shutil.ignore_patterns("__pycache__"))
    (tmp_path / name).write_text(source, encoding="utf-8")
    found = violations(tmp_path)
    assert found and all(v.path == name and v.rule.startswith(broken) for v in found)


MAX_LINES = 500


def _long_modules() -> set[str]:
    found = set()
    for room in ("models", "pipelines"):
        for path in (ROOT / room).rglob("*.py"):
            shown = str(path.relative_to(ROOT))
            if shown.startswith("pipelines/demo/"):  # the demo generator is a world of its own
                continue
            if len(path.read_text(encoding="utf-8").splitlines()) > MAX_LINES:
                found.add(shown)
    return found


def test_modules_stay_under_500_lines() -> None:
    assert _long_modules() == set()


def test_functions_stay_short() -> None:
    found = long_functions(ROOT)
    assert not found, "functions longer than their room allows:\n" + "\n".join(map(str, found))


@pytest.mark.parametrize("room", sorted(FUNCTION_LINES))
def test_a_long_function_is_found(tmp_path: Path, room: str) -> None:
    limit = FUNCTION_LINES[room]
    body = "".join(f"    x{n} = {n}\n" for n in range(limit - 1))  # def + body = limit lines
    root = _tree(tmp_path, {f"{room}/ok.py": f"def fits():\n{body}"})
    assert long_functions(root) == []
    (root / room / "long.py").write_text(f"def render():\n{body}    x = 0\n", encoding="utf-8")
    [found] = long_functions(root)
    assert (found.path, found.name, found.lines) == (f"{room}/long.py", "render", limit + 1)
