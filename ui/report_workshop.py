"""The workshop report a coach hands out: one self-contained HTML file (no script, no
link, nothing fetched) holding the cohort board and, merchant by merchant, what holds it
back, its next actions with their classes, its one-to-one projects and the coach's notes,
in the reader's language. It prints on A4 landscape from the browser (`@media print`).

`gather` reads what the report needs through the scoped queries; `render` turns it into
HTML, every delivered text escaped; `builder` gives the download button a callable, so the
file is built when it is downloaded, not on every rerun of the page.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pandas as pd
from sqlalchemy import Engine

from i18n import format as fmt
from i18n.format import Lang
from models import board as board_model
from models import connections_queries as q
from models.connections import CONNECTIONS, holding_back, load_config, next_actions
from models.scope import Scope
from ui import charts_connections as cc
from ui.i18n import translate

STYLE = """
body{font-family:"Noto Sans CJK SC","Noto Sans SC","PingFang SC","Microsoft YaHei",
Arial,sans-serif;font-size:15px;line-height:1.35;margin:20px;color:#1b1b1b}
h1{font-size:24px;margin:0 0 4px}h2{font-size:20px;margin:22px 0 8px}
h3{font-size:17px;margin:0 0 4px}h4{font-size:14px;margin:10px 0 4px;color:#444}
p.meta{color:#555;margin:0 0 12px}
table{border-collapse:collapse;width:100%}
th,td{border:1px solid #bbb;padding:4px 7px;text-align:left;vertical-align:top;
white-space:normal;overflow-wrap:break-word;word-break:normal}
th{background:#eef2ef;font-weight:600}
td.n{text-align:right;white-space:nowrap}
td.s-not_started{background:#f6d5d3}td.s-building{background:#fbe6d4}
td.s-running{background:#dcebf4}td.s-leading{background:#cfe8dc}td.s-no_data{background:#eee}
section.merchant{border-top:2px solid #0b6e4f;padding:8px 0 6px;margin-top:10px}
section.merchant ol,section.merchant ul{margin:2px 0 2px 20px;padding:0}
.none{color:#666}
footer{margin-top:18px;color:#666;font-size:12px}
@media print{
@page{size:A4 landscape;margin:10mm}
body{margin:0;font-size:10pt}h1{font-size:16pt}h2{font-size:13pt}
thead{display:table-header-group}tr{break-inside:avoid}
section.merchant{break-inside:avoid}
h2.merchants{break-before:page}
}
"""


@dataclass(frozen=True)
class MerchantDetail:
    """What the report says about one merchant beyond its board row."""

    back: pd.DataFrame  # models.connections.holding_back
    actions: pd.DataFrame  # models.connections.next_actions
    attended: frozenset[str]  # class topics it attended
    projects: tuple[str, ...]  # its one-to-one project topics
    notes: pd.DataFrame  # created_at, author, body


def gather(
    *, engine: Engine, scope: Scope, cohort_id: str, week: date
) -> tuple[pd.DataFrame, dict[str, MerchantDetail]]:
    """The cohort's board for `week` and each merchant's detail, read with `scope`."""
    config = load_config()
    scores = q.cohort_scores(engine=engine, scope=scope, cohort_id=cohort_id, week=week)
    indicators = q.cohort_indicators(engine=engine, scope=scope, cohort_id=cohort_id, week=week)
    board = board_model.sort_board(board_model.board(scores, indicators, config), "blocker")
    details = {}
    for row in board.to_dict("records"):
        mid = str(row["merchant_id"])
        mine = indicators[indicators["merchant_id"] == mid]
        stages = {c: str(row[f"{c}_stage"]) for c in CONNECTIONS}
        sessions = q.attendance(engine=engine, scope=scope, merchant_id=mid)
        came = sessions[sessions["attended"].astype(bool)]
        details[mid] = MerchantDetail(
            back=holding_back(mine, config),
            actions=next_actions(mine, stages, config),
            attended=frozenset(str(x) for x in came["topic"].dropna()),
            projects=tuple(
                dict.fromkeys(
                    str(x)
                    for x in sessions.loc[
                        sessions["session_type"] == "one_on_one", "topic"
                    ].dropna()
                )
            ),
            notes=q.coach_notes(engine=engine, scope=scope, merchant_id=mid),
        )
    return board, details


def _esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def _table(head: list[str], rows: list[list[tuple[str, str]]]) -> str:
    """A table; each cell is (class, already-escaped text)."""
    out = ["<table><thead><tr>", *(f"<th>{_esc(h)}</th>" for h in head), "</tr></thead><tbody>"]
    for row in rows:
        cells = "".join(f'<td class="{c}">{text}</td>' if c else f"<td>{text}</td>"
                        for c, text in row)  # fmt: skip
        out.append(f"<tr>{cells}</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def _board(board: pd.DataFrame, lang: Lang) -> str:
    shown = cc.board_table(board, lang)
    rows = []
    for (_, raw), (_, text) in zip(board.iterrows(), shown.iterrows(), strict=True):
        cells = [("", _esc(text.iloc[0]))]
        for n, c in enumerate(CONNECTIONS, start=1):
            cells.append((f"n s-{raw[f'{c}_stage']}", _esc(text.iloc[n])))
        cells += [("", _esc(v)) for v in text.iloc[len(CONNECTIONS) + 1 :]]
        rows.append(cells)
    return _table(list(shown.columns), rows)


def _merchant(row: pd.Series, detail: MerchantDetail, lang: Lang) -> str:
    def tr(key: str, **values: object) -> str:
        return translate(key, lang, **values)

    scores = " · ".join(
        "{} {} ({})".format(
            tr(f"connections.name.{c}"),
            cc.score_text(row[c]),
            tr(f"connections.stage.{row[c + '_stage']}"),
        )
        for c in CONNECTIONS
    )
    parts = [
        f'<section class="merchant"><h3>{_esc(row["name"])}</h3>',
        f"<p>{_esc(scores)} · {_esc(tr('connections.board.col.blocker'))}: "
        f"{_esc(cc.connection_text(row['blocker'], lang))}</p>",
        f"<h4>{_esc(tr('connections.report.holding_back'))}</h4>",
    ]
    if detail.back.empty:
        parts.append(f'<p class="none">{_esc(tr("connections.workshop.holding_back.none"))}</p>')
    else:
        back = cc.holding_back_table(detail.back, lang, row.get("industry"))
        head = [tr(k) for k in ("connections.col.connection", "connections.col.indicator",
                                "connections.col.value", "connections.board.col.target",
                                "connections.col.score")]  # fmt: skip
        rows = [
            [("", _esc(r.connection)), ("", _esc(r.name)), ("n", _esc(r.value)),
             ("n", _esc(r.target)), ("n", _esc(r.score))]
            for r in back.itertuples(index=False)
        ]  # fmt: skip
        parts.append(_table(head, rows))
    parts.append(f"<h4>{_esc(tr('connections.workshop.next_actions'))}</h4>")
    if detail.actions.empty:
        parts.append(f'<p class="none">{_esc(fmt.MISSING)}</p>')
    else:
        items = []
        for action in detail.actions.itertuples(index=False):
            status = "connections.topic.attended" if action.topic in detail.attended else (
                "connections.topic.missed"
            )  # fmt: skip
            text = tr(
                "connections.report.action",
                action=tr(f"connections.act.{action.indicator}"),
                connection=tr(f"connections.name.{action.connection}"),
                topic=cc.topic_text(action.topic, lang),
                status=tr(status),
            )
            items.append(f"<li>{_esc(text)}</li>")
        parts.append("<ol>" + "".join(items) + "</ol>")
    if detail.projects:
        projects = tr("connections.report.project", projects="; ".join(detail.projects))
        parts.append(f"<p>{_esc(projects)}</p>")
    parts.append(f"<h4>{_esc(tr('connections.workshop.notes'))}</h4>")
    if detail.notes.empty:
        parts.append(f'<p class="none">{_esc(tr("connections.workshop.notes.none"))}</p>')
    else:
        notes = [
            f"<li>{_esc(fmt.timestamp(n.created_at, lang))} · {_esc(n.author)}: {_esc(n.body)}</li>"
            for n in detail.notes.itertuples(index=False)
        ]
        parts.append("<ul>" + "".join(notes) + "</ul>")
    parts.append("</section>")
    return "".join(parts)


def render(
    *,
    cohort: str,
    week: date,
    board: pd.DataFrame,
    details: dict[str, MerchantDetail],
    lang: Lang,
) -> str:
    """The report as one HTML page: the board, then every merchant (board order)."""
    title = translate("connections.report.title", lang, cohort=cohort, week=fmt.day(week, lang))
    caption = translate(
        "connections.workshop.caption", lang, week=fmt.day(week, lang), n=len(board)
    )
    merchants = "".join(
        _merchant(row, details[str(row["merchant_id"])], lang) for _, row in board.iterrows()
    )
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_esc(title)}</title><style>{STYLE}</style></head><body>"
        f'<h1>{_esc(title)}</h1><p class="meta">{_esc(caption)}</p>'
        f"<h2>{_esc(translate('connections.report.board', lang))}</h2>"
        + _board(board, lang)
        + f'<h2 class="merchants">{_esc(translate("connections.report.merchants", lang))}</h2>'
        + merchants
        + f"<footer>{_esc(translate('connections.report.footer', lang))}</footer>"
        + "</body></html>"
    )


def build(
    *, engine: Engine, scope: Scope, cohort_id: str, cohort: str, week: date, lang: Lang
) -> bytes:
    """The report of `cohort_id` for `week`, as UTF-8 bytes."""
    board, details = gather(engine=engine, scope=scope, cohort_id=cohort_id, week=week)
    return render(cohort=cohort, week=week, board=board, details=details, lang=lang).encode("utf-8")


def builder(
    *, engine: Engine, scope: Scope, cohort_id: str, cohort: str, week: date, lang: Lang
) -> Callable[[], bytes]:
    """`build` deferred: the download button calls it when the coach downloads."""

    def make() -> bytes:
        return build(
            engine=engine, scope=scope, cohort_id=cohort_id, cohort=cohort, week=week, lang=lang
        )

    return make
