"""The text catalog: complete in both languages, and the only source of UI text."""

from __future__ import annotations

import ast
import string
from pathlib import Path

import pytest

from i18n.catalog import VOCABULARIES
from models import contract
from models import segments as sg
from models.alerts import DIRECTIONS, KPI_METRICS, STAGE_CONNECTIONS
from models.alerts import KINDS as ALERT_KINDS
from models.auth import ROLES
from models.connections import STAGES
from models.contract import ENTITIES
from models.kpis import KPI_KINDS
from models.peers import METRICS as PEER_METRICS
from ui import audit_text
from ui.failure_text import _ACCOUNT, _OFFER
from ui.i18n import CATALOG, LANGS, translate

ROOT = Path(__file__).resolve().parents[2]
# Code that shows text; the catalog itself (i18n/text/) is not among them, so a key counts
# as used only where code names it.
UI_SOURCES = sorted(
    [ROOT / "app.py", ROOT / "i18n" / "alert_messages.py", *(ROOT / "pages").glob("*.py")]
    + list((ROOT / "ui").rglob("*.py"))
)
# Streamlit calls that put text on screen, and the arguments that carry it.
TEXT_CALLS = {
    "title", "header", "subheader", "caption", "markdown", "write", "text", "info",
    "warning", "error", "success", "exception", "toast", "metric", "button",
    "download_button", "link_button", "page_link", "form_submit_button", "checkbox",
    "toggle", "radio", "selectbox", "multiselect", "pills", "segmented_control",
    "select_slider", "slider", "date_input", "time_input", "text_input", "text_area",
    "number_input", "file_uploader", "expander", "tabs", "popover", "progress",
    "spinner", "status", "set_page_config", "Page", "navigation",
}  # fmt: skip
TEXT_KWARGS = {
    "label", "help", "text", "placeholder", "title", "page_title", "body",
    "delta_description", "alt", "caption",
}  # fmt: skip


# Keys built at run time from data: the prefix and the values it is completed with.
def _model_strings(path: str) -> set[str]:
    """The string literals of a module below ui/ (catalog keys a model raises)."""
    tree = ast.parse((Path(__file__).resolve().parents[2] / path).read_text(encoding="utf-8"))
    return {
        n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)
    }


DYNAMIC_KEYS = {
    "kpi.": [f"kpi.{k}" for k in KPI_KINDS] + [f"kpi.{k}.help" for k in KPI_KINDS],
    "contract.": [f"contract.{e}" for e in ENTITIES],
    "status.": [
        f"status.{kind}{s}"
        for s in ("loaded", "partial", "refused", "failed", "empty")
        for kind in ("", "short.")
    ],
    "lang.": [f"lang.{lang}" for lang in LANGS],
    "role.": [f"role.{role}" for role in ROLES],
    "business.metric.": [f"business.metric.{m}" for m in PEER_METRICS],
    "business.peers.caption.": [f"business.peers.caption.{k}" for k in ("cohort", "industry")],
    # Operations (alerts page, watcher section, messages): keys built from vocabularies.
    "alerts.": [
        *(f"alerts.kind.{k}" for k in ALERT_KINDS),
        *(f"alerts.msg.{k}" for k in ALERT_KINDS),
        *(f"alerts.metric.{m}" for m in KPI_METRICS),
        *(f"alerts.connection.{c}" for c in STAGE_CONNECTIONS),
        *(f"alerts.stage.{s}" for s in (*STAGES, "no_data")),
        *(f"alerts.direction.{d}" for d in DIRECTIONS),
        *(k for k in _model_strings("models/alerts.py") if k.startswith("alerts.error.")),
    ],
    # Vocabulary labels, one per code of each vocabulary (i18n/text/vocabulary.py).
    "vocab.": [k for k in CATALOG if k.startswith("vocab.")],
    # The rule editor: a label per field and operator, a reason per kind of problem.
    "rules.": [
        *(f"rules.field.{f}" for f in sg.FIELDS),
        *(f"rules.op.{o}" for ops in sg.OPERATORS.values() for o in ops),
        *(k for k in CATALOG if k.startswith(("rules.reason.", "rules.where."))),
    ],
    # The audit log: an action label per code the models write, the details it knows.
    "audit.": [
        *(
            k
            for k in CATALOG
            if k.startswith(("audit.act.", "audit.actor.", "audit.detail.", "audit.scope."))
        ),
    ],
    "reject.": [k for k in CATALOG if k.startswith("reject.")],
    # Why an offer or an account change was not done: a key per pattern, and the general one.
    "offer.reason.": [*(f"offer.reason.{k}" for _p, k, _n in _OFFER), "offer.reason.other"],
    "account.reason.": [
        *(f"account.reason.{k}" for _p, k, _n in _ACCOUNT),
        "account.reason.other",
    ],
    "watch.": [
        *(f"watch.state.{s}" for s in ("waiting", "loading", "done", "failed")),
        *(f"watch.kind.{k}" for k in ("folder", "zip", "database")),
    ],
}


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_key_has_both_languages_with_the_same_placeholders() -> None:
    for key, entry in CATALOG.items():
        assert set(entry) == set(LANGS), key
        assert all(entry[lang].strip() for lang in LANGS), key
        assert _fields(entry["en"]) == _fields(entry["zh"]), key


def test_chinese_entries_are_chinese() -> None:
    """A Chinese entry that is character for character the English one was forgotten,
    except names that read the same in both (language names, codes, formats)."""
    same = {k for k, e in CATALOG.items() if e["en"] == e["zh"]}
    assert same == {"lang.en", "lang.zh", "sidebar.cohort_option"}


VOCABULARY_CODES = {
    "industry": contract.INDUSTRIES,
    "channel": contract.CHANNELS,
    "touchpoint": contract.TOUCHPOINTS,
    "action": contract.ACTIONS,
    "guide_role": contract.GUIDE_ROLES,
    "session_type": contract.SESSION_TYPES,
    "group": contract.ASSIGNMENT_GROUPS,
    "entity": tuple(ENTITIES),
}


@pytest.mark.parametrize("vocabulary", VOCABULARIES)
def test_every_code_of_every_vocabulary_has_a_label(vocabulary: str) -> None:
    """Each code of the contract's vocabularies is named in both languages, and the catalog
    names no code the contract does not have (member levels are free text: the usual ones)."""
    labelled = {k.split(".", 2)[2] for k in CATALOG if k.startswith(f"vocab.{vocabulary}.")}
    codes = VOCABULARY_CODES.get(vocabulary, ("normal", "silver", "gold", "platinum"))
    assert labelled == set(codes)


def test_every_audit_action_has_a_label() -> None:
    """Every action code written anywhere (`action="..."` in models/ and pipelines/)."""
    written = set()
    for path in [*(ROOT / "models").glob("*.py"), *(ROOT / "pipelines").glob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.keyword) and node.arg == "action":
                value = node.value
                candidates = [value.body, value.orelse] if isinstance(value, ast.IfExp) else [value]
                for c in candidates:
                    if isinstance(c, ast.Constant) and c.value not in ("store_true", "append"):
                        written.add(c.value)
    assert written, "no audit action found"
    for code in written:
        assert audit_text.action(code, "zh") != code, code


def test_translate() -> None:
    assert translate("kpi.daily_gmv", "en") == "Daily average GMV"
    assert translate("kpi.daily_gmv", "zh") == "日均成交额"
    assert translate("data.refused.size", "en", mb=200) == "Larger than the 200 MB limit."
    assert translate("data.refused.size", "zh", mb=5) == "超过 5 MB 的上限。"
    assert translate("col.cohort", "fr") == "Cohort"  # unknown language: English
    with pytest.raises(KeyError):
        translate("no.such.key", "en")


def test_dynamic_keys_exist() -> None:
    for keys in DYNAMIC_KEYS.values():
        for key in keys:
            assert key in CATALOG, key


def _string_constants(tree: ast.AST) -> set[str]:
    return {
        n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)
    }


def test_keys_used_in_code_exist_and_every_key_is_used() -> None:
    used: set[str] = set()
    for path in UI_SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name | ast.Attribute)
                and (node.func.id if isinstance(node.func, ast.Name) else node.func.attr)
                in ("t", "translate")
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                assert node.args[0].value in CATALOG, f"{path.name}: {node.args[0].value}"
        used |= _string_constants(tree) & set(CATALOG)
    for prefix, keys in DYNAMIC_KEYS.items():
        used |= {k for k in keys if k.startswith(prefix)}
    assert set(CATALOG) - used == set(), "catalog entries nothing uses"


def _literal_text(node: ast.AST) -> str | None:
    """The text of a literal argument if it holds words (not just symbols or a number)."""
    parts: list[str] = []
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        parts = [node.value]
    elif isinstance(node, ast.JoinedStr):
        parts = [v.value for v in node.values if isinstance(v, ast.Constant)]
    elif isinstance(node, ast.List | ast.Tuple):
        texts = [_literal_text(e) for e in node.elts]
        return next((t for t in texts if t), None)
    text = "".join(str(p) for p in parts)
    return text if any(ch.isalpha() for ch in text) else None


def test_no_raw_literal_text_on_screen() -> None:
    offences = []
    for path in UI_SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            if node.func.attr not in TEXT_CALLS:
                continue
            candidates = node.args[:1] + [k.value for k in node.keywords if k.arg in TEXT_KWARGS]
            if node.func.attr == "Page":  # st.Page(source, ...): the source is a path
                candidates = [k.value for k in node.keywords if k.arg in TEXT_KWARGS]
            for arg in candidates:
                text = _literal_text(arg)
                if text:
                    offences.append(f"{path.relative_to(ROOT)}:{node.lineno} {text!r}")
    assert offences == []


def _stylesheet_calls(tree: ast.AST) -> set[int]:
    """`st.html(SOME_CSS)`: a static stylesheet (a module-level Path to ui/styles/*.css,
    named `*_CSS`), the one use of st.html allowed; returns the ids of those attributes."""
    return {
        id(node.func)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "html"
        and len(node.args) == 1
        and not node.keywords
        and isinstance(node.args[0], ast.Name)
        and node.args[0].id.endswith("_CSS")
    }


def test_no_html_from_the_ui() -> None:
    for path in UI_SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        stylesheets = _stylesheet_calls(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.keyword) and node.arg == "unsafe_allow_html":
                pytest.fail(f"{path.relative_to(ROOT)}: unsafe_allow_html")
            if (
                isinstance(node, ast.Attribute)
                and node.attr == "html"
                and id(node) not in stylesheets
            ):
                pytest.fail(f"{path.relative_to(ROOT)}: st.html")
    # The stylesheets are CSS only: no markup, no address, nothing fetched.
    for sheet in (ROOT / "ui" / "styles").glob("*.css"):
        text = sheet.read_text(encoding="utf-8")
        assert "<" not in text and "url(" not in text and "@import" not in text, sheet.name


def test_the_literal_check_catches_a_raw_string() -> None:
    """The scan above would see a page that writes its own text."""
    tree = ast.parse('st.header("Cohorts")\nst.caption(f"{n} merchants")\nst.title(t("x"))')
    calls = [
        n for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
    ]
    found = [_literal_text(c.args[0]) for c in calls if c.func.attr in TEXT_CALLS]
    assert found == ["Cohorts", " merchants", None]
