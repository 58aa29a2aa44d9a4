"""Data deliveries: upload and load a delivery, see what was loaded and rejected, the
history of deliveries, and a template of every contract file.

Uploads are checked and loaded by `ui.data.uploads.load_uploads` (server-side checks, a fresh
temporary folder, `pipelines.load.load_delivery`, caches cleared); this page draws.
"""

from __future__ import annotations

from dataclasses import asdict

import pandas as pd
import streamlit as st

from i18n import format as fmt
from i18n.format import Lang
from models.contract import ENTITIES, LOAD_ORDER, REQUIRED_FILES, template_csv
from ui import audit_text, data, widgets
from ui import auth as auth_ui
from ui.data import auth as auth_data
from ui.data import watch
from ui.data.uploads import LoadReport, UploadOutcome, load_uploads
from ui.i18n import has, label, t

OUTCOME_KEY = "_last_upload"
ROUND_KEY = "_upload_round"
HISTORY_KEY = "history_batch"
SETUP_DONE_KEY = "_setup_done"
FILE_COLUMNS = {
    "file_name": "col.file",
    "entity": "col.entity",
    "encoding": "col.encoding",
    "rows_read": "col.rows_read",
    "rows_new": "col.rows_new",
    "rows_replaced": "col.rows_replaced",
    "rows_rejected": "col.rows_rejected",
    "unknown_columns": "col.unknown_columns",
    "note": "col.note",
}
WATCH_COLUMNS = [
    "delivery_id",
    "name",
    "kind",
    "state",
    "seen_at",
    "finished_at",
    "attempts",
    "batch_id",
    "message",
]
WATCH_TABLE = {
    "name": "watch.col.name",
    "kind": "watch.col.kind",
    "state_text": "watch.col.state",
    "seen_at": "watch.col.seen",
    "finished_at": "watch.col.finished",
    "attempts": "watch.col.attempts",
    "batch_id": "watch.col.batch",
    "message": "watch.col.message",
}
STATUS_ALERT = {
    "loaded": st.success,
    "partial": st.warning,
    "refused": st.error,
    "failed": st.error,
    "empty": st.warning,
}


def _status_text(status: str) -> str:
    key = f"status.short.{status}"
    return t(key) if has(key) else status


def _files_table(files: pd.DataFrame, lang: Lang, key: str) -> None:
    """Per-file counts (from a load report or `queries.load_files`)."""
    shown = files.assign(
        entity=files["entity"].map(
            lambda e: label("entity", e) if isinstance(e, str) else t("data.not_contract")
        ),
        unknown_columns=files["unknown_columns"].map(
            lambda u: ", ".join(u) if isinstance(u, list) else (u or "")
        ),
        **{
            c: files[c].map(lambda v: fmt.count(v, lang))
            for c in ("rows_read", "rows_new", "rows_replaced", "rows_rejected")
        },
    )
    widgets.table(shown, FILE_COLUMNS, key=key, whole=True)


def first_run_setup() -> tuple[str, str, str]:
    """In demo mode a real delivery first needs the first executive account: its
    username, password and the password again."""
    st.subheader(t("setup.header"))
    st.info(t("setup.intro"), icon="🧪")
    return (
        st.text_input(t("setup.username"), key="setup_username"),
        st.text_input(
            t("setup.password", n=auth_ui.MIN_PASSWORD), type="password", key="setup_password"
        ),
        st.text_input(t("setup.repeat"), type="password", key="setup_repeat"),
    )


def leave_demo(setup: tuple[str, str, str]) -> str | None:
    """End demo mode with the first executive account (`models.demo_state.leave_demo`:
    the invented rows go, the database starts empty) and log this session in with it.
    Returns the new username, or None when the account could not be created (said)."""
    username, password, repeat = setup
    if password != repeat:
        st.error(t("setup.mismatch"))
        return None
    try:
        user_id = auth_data.leave_demo(data.engine(), username=username, password=password)
    except auth_data.REFUSALS as refusal:
        st.error(t("setup.failed", reason=fmt.plain(str(refusal))))
        return None
    auth_ui.start_session(user_id)
    data.clear_caches()
    name = auth_data.norm_username(username)
    st.session_state[SETUP_DONE_KEY] = name
    return name


def upload_section(lang: Lang) -> None:
    settings = data.settings()
    frame = widgets.frame()
    st.header(t("data.upload.header"), divider="gray")
    in_demo = auth_data.demo_mode(data.engine(), settings)
    setup = first_run_setup() if in_demo else ("", "", "")
    uploads = st.file_uploader(
        t("data.upload.label"),
        type=["csv", "xlsx"],
        accept_multiple_files=True,
        key=f"delivery_files_{st.session_state.get(ROUND_KEY, 0)}",
        help=t("data.upload.help", mb=settings.upload_max_mb),
        max_upload_size=settings.upload_max_mb,
    )
    all_or_nothing = st.checkbox(
        t("data.all_or_nothing"), key="all_or_nothing", help=t("data.all_or_nothing.help")
    )
    clicked = st.button(
        t("data.load_button"),
        type="primary",
        key="load_delivery",
        icon=":material/upload:",
        disabled=not uploads,
    )
    if not uploads:
        st.caption(t("data.choose_files"))
    if clicked and uploads:
        loaded_by = frame.scope.user
        if in_demo:
            first = leave_demo(setup)
            if first is None:
                return
            loaded_by = first
        bar, progress = widgets.progress_bar("data.loading")
        outcome = load_uploads(
            uploads,
            engine=data.engine(),
            settings=settings,
            all_or_nothing=all_or_nothing,
            loaded_by=loaded_by,
            progress=progress,
        )
        bar.empty()
        st.session_state[OUTCOME_KEY] = outcome
        if outcome.report is not None and outcome.report.batch_id is not None:
            st.session_state[HISTORY_KEY] = outcome.report.batch_id  # history opens on it
        # A fresh uploader for the next delivery; the outcome stays on screen.
        st.session_state[ROUND_KEY] = st.session_state.get(ROUND_KEY, 0) + 1
        st.rerun()
    done = st.session_state.pop(SETUP_DONE_KEY, None)
    if done:
        st.success(t("setup.done", name=fmt.plain(done)))
    outcome: UploadOutcome | None = st.session_state.get(OUTCOME_KEY)
    if outcome is not None:
        outcome_section(outcome, lang)


def outcome_section(outcome: UploadOutcome, lang: Lang) -> None:
    if outcome.refused:
        st.subheader(t("data.refused.header"))
        refused = pd.DataFrame(outcome.refused, columns=["file_name", "reason"])
        widgets.table(
            refused.assign(
                reason=refused["reason"].map(lambda k: t(k, mb=data.settings().upload_max_mb))
            ),
            {"file_name": "col.file", "reason": "col.reason"},
            key="upload_refused",
            whole=True,
        )
        if outcome.report is None:
            st.error(t("data.refused.all_or_nothing"), icon=":material/block:")
    report = outcome.report
    if report is not None:
        report_section(report, lang)


def report_section(report: LoadReport, lang: Lang) -> None:
    if report.batch_id is None:
        st.subheader(t("data.summary.header_unrecorded"))
    else:
        st.subheader(t("data.summary.header", batch=report.batch_id))
    alert = STATUS_ALERT.get(report.status, st.info)
    status_key = f"status.{report.status}"
    alert(t(status_key) if has(status_key) else _status_text(report.status))
    st.caption(
        t(
            "data.summary.counts",
            files=fmt.count(len(report.files), lang),
            read=fmt.count(report.rows_read, lang),
            new=fmt.count(report.rows_new, lang),
            replaced=fmt.count(report.rows_replaced, lang),
            rejected=fmt.count(report.rows_rejected, lang),
        )
    )
    files = pd.DataFrame([asdict(f) for f in report.files], columns=list(FILE_COLUMNS))
    _files_table(files, lang, key="upload_files_table")
    st.subheader(t("data.rejections.header"))
    if report.batch_id is None:
        rejected = report.rejections
    else:
        rejected = data.rejections(data.engine(), widgets.frame().scope, report.batch_id)
    widgets.rejections_browser(
        rejected,
        total=report.rejected_total,
        key="upload_rejections",
        file_stem=f"rejections_{report.batch_id or 'upload'}",
    )


def history_section(lang: Lang) -> None:
    engine, scope = data.engine(), widgets.frame().scope
    st.header(t("data.history.header"), divider="gray")
    history = data.load_history(engine, scope)
    if history.empty:
        st.info(t("data.history.none"))
        return
    shown = history.assign(
        started_at=history["started_at"].map(lambda v: fmt.timestamp(v, lang)),
        finished_at=history["finished_at"].map(lambda v: fmt.timestamp(v, lang)),
        status=history["status"].map(_status_text),
        loaded_by=history["loaded_by"].map(lambda v: audit_text.actor(v, lang)),
        all_or_nothing=history["all_or_nothing"].map(
            lambda v: t("common.yes") if v else t("common.no")
        ),
        **{
            c: history[c].map(lambda v: fmt.count(v, lang))
            for c in ("rows_read", "rows_new", "rows_replaced", "rows_rejected")
        },
    )
    widgets.table(
        shown,
        {
            "batch_id": "col.batch",
            "started_at": "col.started",
            "finished_at": "col.finished",
            "status": "col.status",
            "loaded_by": "col.loaded_by",
            "all_or_nothing": "col.all_or_nothing",
            "rows_read": "col.rows_read",
            "rows_new": "col.rows_new",
            "rows_replaced": "col.rows_replaced",
            "rows_rejected": "col.rows_rejected",
        },
        key="history_table",
    )
    batch_id = st.selectbox(t("data.history.pick"), history["batch_id"].tolist(), key=HISTORY_KEY)
    if batch_id is None:
        return
    st.subheader(t("data.history.files", batch=batch_id))
    _files_table(data.load_files(engine, scope, int(batch_id)), lang, key="history_files_table")
    rejected = data.rejections(engine, scope, int(batch_id))
    with st.expander(t("data.rejections.header"), expanded=False):
        widgets.rejections_browser(
            rejected,
            total=len(rejected),
            key="history_rejections",
            file_stem=f"rejections_{batch_id}",
        )


def _contract_table(lang: Lang) -> pd.DataFrame:
    """One row per contract file: required or not, its columns (* required), what it holds."""
    return pd.DataFrame(
        {
            "file": [f"{name}.csv" for name in LOAD_ORDER],
            "required_file": [
                t("common.yes") if name in REQUIRED_FILES else t("common.no") for name in LOAD_ORDER
            ],
            "columns": [
                ", ".join(f"{c.name}*" if c.required else c.name for c in ENTITIES[name].columns)
                for name in LOAD_ORDER
            ],
            "description": [t(f"contract.{name}") for name in LOAD_ORDER],
        }
    )


def templates_section(lang: Lang) -> None:
    st.header(t("data.templates.header"), divider="gray")
    st.caption(t("data.templates.caption"))
    widgets.table(
        _contract_table(lang),
        {
            "file": "col.file",
            "required_file": "col.required_file",
            "columns": "col.columns",
            "description": "col.description",
        },
        key="contract_table",
        whole=True,
    )
    columns = st.columns(4)
    for number, name in enumerate(LOAD_ORDER):
        columns[number % 4].download_button(
            t("data.template.download", file=f"{name}.csv"),
            data=template_csv(name),
            file_name=f"{name}.csv",
            mime="text/csv",
            key=f"template_{name}",
            on_click="ignore",
            icon=":material/download:",
            width="stretch",
        )


def watcher_section(lang: Lang) -> None:
    """The watcher (`python -m pipelines watch`): is it alive, what waits, what it loaded."""
    st.header(t("watch.header"), divider="gray")
    engine = data.engine()
    state = watch.status(engine)
    seen = watch.deliveries(engine)
    if state is None and not seen:
        st.info(t("watch.none"))
        return
    if state is not None:
        alive = watch.is_alive(state, now=watch.local_now(data.settings().timezone))
        say = st.success if alive else st.warning
        say(
            t(
                "watch.running" if alive else "watch.stale",
                folder=fmt.plain(state["folder"]),
                since=fmt.timestamp(state["started_at"], lang),
                beat=fmt.timestamp(state["heartbeat_at"], lang),
            )
        )
        if state["source"]:
            st.caption(
                t("watch.source", source=fmt.plain(state["source"]), schedule=state["schedule"])
            )
    frame = pd.DataFrame(seen, columns=WATCH_COLUMNS)
    shown = frame.assign(
        kind=frame["kind"].map(lambda k: t(f"watch.kind.{k}")),
        state_text=frame["state"].map(lambda s: t(f"watch.state.{s}")),
        seen_at=frame["seen_at"].map(lambda v: fmt.timestamp(v, lang)),
        finished_at=frame["finished_at"].map(lambda v: fmt.timestamp(v, lang)),
    )
    queued = shown[shown["state"].isin(("waiting", "loading"))]
    st.subheader(t("watch.queue"))
    if queued.empty:
        st.caption(t("watch.queue.none"))
    else:
        widgets.table(queued, WATCH_TABLE, key="watch_queue", whole=True)
    history = shown[shown["state"].isin(("done", "failed"))]
    st.subheader(t("watch.history"))
    if history.empty:
        st.caption(t("watch.history.none"))
    else:
        widgets.table(history, WATCH_TABLE, key="watch_history")


def render() -> None:
    lang = widgets.frame().lang
    st.title(t("data.title"))
    st.caption(t("data.intro"))
    upload_section(lang)
    history_section(lang)
    watcher_section(lang)
    templates_section(lang)


render()
