"""Widgets the pages share: the frame's filters, KPI cards, missing-input notices and the
rejected-rows browser. Every label comes from the catalog; delivered text is only ever
shown in tables (rendered as text), never as Markdown or HTML."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from i18n import format as fmt
from i18n.format import Lang
from models.contract import ENTITIES
from models.export import csv_bytes
from models.kpis import KpiCard
from models.scope import Scope
from ui import charts, rejection_text
from ui.i18n import current_lang, t

Progress = Callable[[float, str], None]

FRAME_KEY = "_frame"
PAGES_KEY = "_pages"
ENTRYPOINT = "app.py"


@dataclass(frozen=True)
class Frame:
    """What the frame (app.py) decided for this run: who is looking, and the filters."""

    lang: Lang
    scope: Scope
    cohort_id: str | None
    window: tuple[date, date] | None  # first and last day with data, None when empty
    start: date | None
    end: date | None


def frame() -> Frame:
    """The frame of the current run (set by app.py before the page runs). A page file run
    without the frame (Streamlit's legacy `pages/` router, on a process's first run, for a
    direct URL) is sent to the entrypoint, which asks who is looking."""
    found = st.session_state.get(FRAME_KEY)
    if not isinstance(found, Frame):
        st.switch_page(ENTRYPOINT)
    return found


def page_link(name: str, label_key: str) -> None:
    """A link to another page of this role's navigation, if the role has that page."""
    page = st.session_state.get(PAGES_KEY, {}).get(name)
    if page is not None:
        st.page_link(page, label=t(label_key), icon=":material/arrow_forward:")


def _audit_export(what: str, file_name: str) -> None:
    """Every download is recorded: who exported what."""
    from models.auth import record
    from ui import data

    scope = frame().scope
    record(
        data.engine(),
        actor=scope.user or scope.role,
        action="export",
        target=file_name,
        detail=what,
    )


def export_button(
    label_key: str, payload: bytes, file_name: str, *, key: str, what: str, mime: str = "text/csv"
) -> None:
    """A download button whose every download goes to the audit log. Use it for every
    export: the payload must come from queries run with the frame's scope."""
    st.download_button(
        t(label_key),
        data=payload,
        file_name=file_name,
        mime=mime,
        key=key,
        icon=":material/download:",
        on_click=_audit_export,
        args=(what, file_name),
    )


def export_csv(frame: pd.DataFrame, name: str, *, key: str, label_key: str) -> None:
    """`export_button` for a table shown on the page, as UTF-8 CSV (with BOM, for Excel)."""
    export_button(label_key, csv_bytes(frame), f"{name}.csv", key=key, what=name)


def merchant_picker(key: str) -> str | None:
    """The merchant a merchant-level page is about. A merchant user is its own merchant
    (no widget); executives and coaches pick one among the merchants their scope allows
    (of the sidebar's cohort when one is picked). None when there is no merchant to show."""
    current = frame()
    if current.scope.role == "merchant":
        own = sorted(current.scope.merchant_ids or ())
        return own[0] if own else None
    from ui import data

    choices = data.merchants(data.engine(), current.scope, current.cohort_id)
    if choices.empty:
        st.info(t("widget.merchant.none"))
        return None
    names = dict(zip(choices["merchant_id"], choices["name"], strict=True))
    if st.session_state.get(key) not in names:
        st.session_state[key] = choices["merchant_id"].iloc[0]
    picked: str = st.selectbox(
        t("widget.merchant"),
        list(names),
        key=key,
        format_func=lambda mid: t("widget.merchant.option", name=names[mid], merchant_id=mid),
    )
    return picked


# --- KPI cards -------------------------------------------------------------------------


def _value_text(card: KpiCard, lang: Lang) -> str:
    if card.kind == "money":
        return fmt.money(card.value, lang)
    if card.kind == "share":
        return fmt.percent(card.value, lang)
    return fmt.count(card.value, lang)


def _change_text(card: KpiCard, lang: Lang) -> str | None:
    if card.change is None:
        return None
    if card.kind == "share":
        return fmt.points(card.change, lang)
    return fmt.percent_change(card.change, lang)


def kpi_cards(cards: Sequence[KpiCard], lang: Lang, per_row: int = 3) -> None:
    """KPI cards in rows: value, change against the previous period, weekly sparkline."""
    for row_start in range(0, len(cards), per_row):
        columns = st.columns(per_row)
        for column, card in zip(columns, cards[row_start : row_start + per_row], strict=False):
            with column.container(border=True):
                name = t(f"kpi.{card.key}")
                change = _change_text(card, lang)
                flat = change is not None and not change.startswith(("+", "-"))
                st.metric(
                    name,
                    _value_text(card, lang),
                    delta=change,
                    delta_color="off" if flat else "normal",
                    delta_arrow="off" if flat else "auto",
                    help=t(f"kpi.{card.key}.help"),
                    delta_description=t("kpi.vs_previous") if change is not None else None,
                )
                if len(card.spark) > 1:
                    st.plotly_chart(
                        charts.sparkline(card.spark),
                        config=charts.SPARK_CONFIG,
                        key=f"spark_{card.key}",
                        alt=t("kpi.spark_alt", name=name),
                    )


# --- missing inputs --------------------------------------------------------------------


def _required_columns(entity: str) -> str:
    return ", ".join(ENTITIES[entity].required)


def missing_input(entity: str, what_key: str) -> None:
    """Say which contract file a figure needs, and how to deliver it."""
    st.info(
        t(
            "missing.file",
            what=t(what_key),
            file=f"{entity}.csv",
            columns=_required_columns(entity),
        ),
        icon=":material/upload_file:",
    )


def no_data() -> None:
    """The database holds no merchant yet: what to deliver, and where."""
    st.info(t("missing.no_data"), icon=":material/database:")
    page_link("data", "missing.go_to_data")


# --- tables ----------------------------------------------------------------------------


def table(
    frame: pd.DataFrame,
    columns: dict[str, str],
    *,
    key: str | None = None,
    whole: bool = False,
) -> None:
    """A frame with its columns picked, in order, and headed from the catalog
    (`columns` maps a frame column to a catalog key). Cells render as text, a missing
    value as a dash. `whole` shows every row without an inner scroll bar (short tables);
    otherwise about ten rows show and the rest scroll."""
    shown = frame[list(columns)].rename(columns={c: t(k) for c, k in columns.items()})
    st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        height="content" if whole else "auto",
        key=key,
        placeholder=fmt.MISSING,
    )


def rejections_browser(rejected: pd.DataFrame, *, total: int, key: str, file_stem: str) -> None:
    """Every rejected row of a delivery, filterable by file and column, downloadable."""
    if rejected.empty:
        st.success(t("data.rejections.none"), icon=":material/check_circle:")
        return
    left, right = st.columns(2)
    files = left.multiselect(
        t("data.filter.file"),
        sorted(rejected["file_name"].astype(str).unique()),
        key=f"{key}_files",
        placeholder=t("data.filter.placeholder"),
    )
    columns = right.multiselect(
        t("data.filter.column"),
        sorted(rejected["column"].astype(str).unique()),
        key=f"{key}_columns",
        placeholder=t("data.filter.placeholder"),
    )
    shown = rejected
    if files:
        shown = shown[shown["file_name"].isin(files)]
    if columns:
        shown = shown[shown["column"].isin(columns)]
    lang = current_lang()
    shown = shown.assign(reason=[rejection_text.reason(r, lang) for r in shown["reason"]])
    st.caption(t("data.rejections.shown", shown=fmt.count(len(shown)), total=fmt.count(total)))
    table(
        shown,
        {
            "file_name": "col.file",
            "line": "col.line",
            "column": "col.column",
            "value": "col.value",
            "reason": "col.reason",
        },
        key=f"{key}_table",
    )
    export_button(
        "data.rejections.download",
        csv_bytes(shown),
        f"{file_stem}.csv",
        key=f"{key}_download",
        what="rejected rows",
    )


# --- progress --------------------------------------------------------------------------


def progress_bar(text_key: str) -> tuple[DeltaGenerator, Progress]:
    """A progress bar and the callback the pipelines report to (share done, step text)."""
    bar = st.progress(0.0, text=t(text_key, step=t("progress.start")))

    def report(share: float, step: str) -> None:
        bar.progress(min(max(share, 0.0), 1.0), text=t(text_key, step=fmt.plain(step)))

    return bar, report


def standing(percentile: object, n_peers: int) -> str:
    """A percentile among peers (share of them below, ties half) in words: "lower than
    all 16 peers", "higher than 9 of 16 peers" (never "0th percentile")."""
    if not isinstance(percentile, int | float) or percentile != percentile:
        return fmt.MISSING
    above = round(float(percentile) * n_peers / 100)
    if above <= 0:
        return t("mybiz.standing.lowest", n=n_peers)
    if above >= n_peers:
        return t("mybiz.standing.highest", n=n_peers)
    key = "mybiz.standing.one" if above == 1 else "mybiz.standing.middle"
    return t(key, k=above, n=n_peers)
