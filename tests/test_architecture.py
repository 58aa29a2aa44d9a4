"""The rooms of the house keep to their imports (tests/architecture.py states the rules).

The first test reads this checkout; the others build tiny trees that break one rule each, so
the checker is shown to fail where it should."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.architecture import sql_modules, violations

ROOT = Path(__file__).resolve().parents[1]


# Imports that broke the rules when the check was written (issue 17), each to be moved
# behind `ui/data` (pages) or out of `ui` (the alert messages the watcher sends). The list
# only shrinks: a new break fails, and so does an entry that no longer breaks anything.
KNOWN: frozenset[tuple[str, str]] = frozenset(
    {
        ("pages/alerts.py", "models.alerts"),
        ("pages/alerts.py", "models.alerts_inbox"),
        ("pages/alerts.py", "pipelines.notify"),
        ("pages/alerts.py", "pipelines.notify.load_notify_settings"),
        ("pages/campaigns.py", "models.campaigns"),
        ("pages/data.py", "models.auth"),
        ("pages/data.py", "models.demo_state"),
        ("pages/data.py", "pipelines"),
        ("pages/data.py", "pipelines.watch"),
        ("pages/data.py", "pipelines.load"),
        ("pages/data.py", "pipelines.load.LoadReport"),
        ("pages/my_business.py", "models.peers"),
        ("pages/my_data.py", "pipelines"),
        ("pages/my_data.py", "pipelines.mapping"),
        ("pages/users.py", "models.accounts"),
        ("pages/users.py", "models.planning"),
        ("pages/users.py", "models.auth"),
    }
)


def test_this_checkout_keeps_the_house_rules() -> None:
    found = violations(ROOT)
    new = [v for v in found if (v.path, v.imported) not in KNOWN]
    assert not new, "imports that break the house rules:\n" + "\n".join(map(str, new))


def test_the_known_exceptions_still_exist() -> None:
    """An exception that was fixed leaves the list, so it cannot come back unnoticed."""
    found = {(v.path, v.imported) for v in violations(ROOT)}
    assert KNOWN - found == set()


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
        ({"i18n/f.py": "from models.scope import Scope\n"}, "i18n never import models"),
        ({"i18n/f.py": "import streamlit as st\n"}, "i18n never import streamlit"),
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
