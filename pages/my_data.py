"""My data: a merchant loads its own exports. Each file (each sheet of a workbook) is
recognised by its name or columns, or the merchant says what it holds; its columns are
mapped to the contract's fields (remembered for the next upload); then
`pipelines.mapping.load_own_files` loads it with every row checked against the merchant.
This page draws; the mapping and the load are in `pipelines.mapping`."""

from __future__ import annotations

import tempfile
from dataclasses import asdict
from pathlib import Path

import pandas as pd
import streamlit as st

from i18n import format as fmt
from models.contract import ENTITIES
from ui import data, widgets
from ui.data import mapping
from ui.i18n import t

PARTS_KEY = "_mydata_parts"
DONE_KEY = "_mydata_done"
ROUND_KEY = "_mydata_round"
SKIP = ""
PREVIEW_ROWS = 5
NEXT_PAGE = "assessment"  # after a load: assess yourself


ENTITY_KEYS = {
    "orders": "entity.orders",
    "customers": "entity.customers",
    "stores": "entity.stores",
    "guides": "entity.guides",
    "touchpoint_events": "entity.touchpoint_events",
    "store_traffic": "entity.store_traffic",
    "campaigns": "entity.campaigns",
    "campaign_assignments": "entity.campaign_assignments",
}


# A contract field in words beside its name (a merchant does not read `ordered_at`).
FIELD_KEYS = {
    "order_id": "mydata.field.order_id",
    "merchant_id": "mydata.field.merchant_id",
    "ordered_at": "mydata.field.ordered_at",
    "channel": "mydata.field.channel",
    "gmv": "mydata.field.gmv",
    "store_id": "mydata.field.store_id",
    "customer_id": "mydata.field.customer_id",
    "guide_id": "mydata.field.guide_id",
    "campaign_id": "mydata.field.campaign_id",
    "refund": "mydata.field.refund",
    "first_seen_on": "mydata.field.first_seen_on",
    "unified_id": "mydata.field.unified_id",
    "member_level": "mydata.field.member_level",
    "name": "mydata.field.name",
    "city": "mydata.field.city",
    "opened_on": "mydata.field.opened_on",
    "role": "mydata.field.role",
    "joined_on": "mydata.field.joined_on",
    "left_on": "mydata.field.left_on",
    "event_id": "mydata.field.event_id",
    "touchpoint": "mydata.field.touchpoint",
    "action": "mydata.field.action",
    "occurred_at": "mydata.field.occurred_at",
    "group_id": "mydata.field.group_id",
    "date": "mydata.field.date",
    "visitors": "mydata.field.visitors",
    "identified_visitors": "mydata.field.identified_visitors",
    "start_date": "mydata.field.start_date",
    "cost": "mydata.field.cost",
    "end_date": "mydata.field.end_date",
    "segment_id": "mydata.field.segment_id",
    "offer": "mydata.field.offer",
    "holdout_share": "mydata.field.holdout_share",
    "group": "mydata.field.group",
}


def _field_name(field: str) -> str:
    if not field:
        return t("mydata.mapping.none")
    return f"{t(FIELD_KEYS[field])} · {field}" if field in FIELD_KEYS else field


def _entity_name(entity: str) -> str:
    return t(ENTITY_KEYS[entity]) if entity in ENTITY_KEYS else t("mydata.entity.skip")


def _read(uploads: list, merchant_id: str) -> list[mapping.Part]:  # type: ignore[type-arg]
    engine, scope = data.engine(), widgets.frame().scope
    parts: list[mapping.Part] = []
    with tempfile.TemporaryDirectory(prefix="own-") as folder:
        for upload in uploads:
            path = Path(folder) / f"upload{Path(upload.name).suffix.lower()}"
            path.write_bytes(upload.getvalue())
            try:
                parts.extend(mapping.read_parts(path, upload.name))
            except mapping.MappingError as problem:
                st.error(t("mydata.unreadable", file=upload.name, reason=str(problem)))
    return mapping.prepare(parts, engine=engine, scope=scope, merchant_id=merchant_id)


def _part_form(number: int, part: mapping.Part) -> None:
    """The entity and the column mapping of one part, from its widgets."""
    with st.container(border=True):
        st.markdown(
            f"**{t('mydata.part', file=fmt.plain(part.label), rows=fmt.count(len(part.rows)))}**"
        )
        choices = [SKIP, *mapping.OWN_ENTITIES]
        recognised = part.entity
        picked = st.selectbox(
            t("mydata.entity"),
            choices,
            index=choices.index(part.entity) if part.entity in choices else 0,
            format_func=_entity_name,
            key=f"mydata_entity_{number}",
        )
        part.entity = picked or None
        if recognised and recognised == part.entity:
            st.caption(t("mydata.entity.recognised", entity=_entity_name(recognised)))
        elif not part.entity:
            st.caption(t("mydata.entity.unknown"))
            return
        fields = [SKIP, *ENTITIES[part.entity].column_names]
        st.caption(t("mydata.mapping.help"))
        columns = st.columns(4)
        chosen: dict[str, str] = {}
        for index, column in enumerate(part.header):
            current = part.mapping.get(column, SKIP)
            value = columns[index % 4].selectbox(
                column or "-",
                fields,
                index=fields.index(current) if current in fields else 0,
                format_func=_field_name,
                key=f"mydata_map_{number}_{index}",
            )
            if value and value not in chosen.values():
                chosen[column] = value
        part.mapping = chosen
        missing = mapping.missing_columns(part)
        if missing:
            st.warning(t("mydata.mapping.missing", columns=", ".join(missing)))
        with st.expander(t("mydata.preview")):
            st.dataframe(
                pd.DataFrame(
                    [
                        (r + [""] * len(part.header))[: len(part.header)]
                        for r in part.rows[:PREVIEW_ROWS]
                    ],
                    columns=[c or "-" for c in part.header],
                ),
                hide_index=True,
            )


def _outcome(done: mapping.OwnLoad) -> None:
    report = done.report
    lang = widgets.frame().lang
    message = t(
        "mydata.done",
        new=fmt.count(report.rows_new, lang),
        replaced=fmt.count(report.rows_replaced, lang),
        rejected=fmt.count(report.rows_rejected, lang),
    )
    if report.status == "loaded":
        st.success(message)
    elif report.status == "partial":
        st.warning(message)
    elif report.status == "empty" and report.rows_rejected:
        st.error(t("mydata.all_rejected", rejected=fmt.count(report.rows_rejected, lang)))
    else:
        st.error(t("mydata.failed", reason=report.message))
    files = pd.DataFrame([asdict(f) for f in report.files])
    if not files.empty:
        files["file_name"] = files["file_name"].map(lambda n: done.names.get(n, n))
        widgets.table(
            files.assign(entity=files["entity"].map(lambda e: _entity_name(e or ""))),
            {
                "file_name": "col.file",
                "entity": "col.entity",
                "rows_read": "col.rows_read",
                "rows_new": "col.rows_new",
                "rows_replaced": "col.rows_replaced",
                "rows_rejected": "col.rows_rejected",
            },
            key="mydata_files",
            whole=True,
        )
    st.subheader(t("mydata.rejections"))
    rejected = (
        data.rejections(data.engine(), widgets.frame().scope, report.batch_id)
        if report.batch_id is not None
        else report.rejections
    )
    if "file_name" in rejected.columns:
        rejected = rejected.assign(
            file_name=rejected["file_name"].map(lambda n: done.names.get(n, n))
        )
    widgets.rejections_browser(
        rejected, total=report.rejected_total, key="mydata_rejections", file_stem="my_rejections"
    )
    if report.status in ("loaded", "partial"):
        widgets.page_link(NEXT_PAGE, "mydata.next")


def render() -> None:
    frame = widgets.frame()
    st.title(t("mydata.title"))
    own = sorted(frame.scope.merchant_ids or ()) if frame.scope.role == "merchant" else []
    if not own:
        st.info(t("mydata.only_merchants"))
        return
    merchant_id = own[0]
    names = data.merchants(data.engine(), frame.scope, None)
    merchant = dict(zip(names["merchant_id"], names["name"], strict=True)).get(
        merchant_id, merchant_id
    )
    st.markdown(t("mydata.intro", merchant=fmt.plain(merchant)))
    uploads = st.file_uploader(
        t("mydata.upload"),
        type=["csv", "xlsx"],
        accept_multiple_files=True,
        key=f"mydata_files_{st.session_state.get(ROUND_KEY, 0)}",
        max_upload_size=data.settings().upload_max_mb,
    )
    done: mapping.OwnLoad | None = st.session_state.get(DONE_KEY)
    if done is not None:
        _outcome(done)
    if not uploads:
        return
    signature = tuple((u.name, u.size) for u in uploads)
    stored = st.session_state.get(PARTS_KEY)
    if stored is None or stored[0] != signature:
        stored = (signature, _read(list(uploads), merchant_id))
        st.session_state[PARTS_KEY] = stored
    parts: list[mapping.Part] = stored[1]
    for number, part in enumerate(parts):
        _part_form(number, part)
    chosen = [p for p in parts if p.entity]
    ready = bool(chosen) and not any(mapping.missing_columns(p) for p in chosen)
    if st.button(t("mydata.load"), type="primary", disabled=not ready, key="mydata_load"):
        try:
            outcome = mapping.load_own_files(
                chosen,
                engine=data.engine(),
                scope=frame.scope,
                merchant_id=merchant_id,
                actor=frame.scope.user,
            )
        except mapping.MappingError as problem:
            st.error(t("mydata.failed", reason=str(problem)))
            return
        data.clear_caches()
        st.session_state[DONE_KEY] = outcome
        st.session_state.pop(PARTS_KEY, None)
        st.session_state[ROUND_KEY] = st.session_state.get(ROUND_KEY, 0) + 1
        st.rerun()


render()
