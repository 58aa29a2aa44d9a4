"""A merchant's own exports into the contract: recognise the entity, map the columns,
remember the mapping, then load with every row checked against the merchant.

- A file (every sheet of a workbook is one part) is read as text: CSV in any of the
  contract's encodings (`pipelines.extract.detect_encoding`), XLSX cells as the loader
  reads them.
- Its columns are mapped to contract columns: first what this merchant chose before for
  that entity (`merchant_column_maps`), then the contract names themselves, then the
  words typical Chinese exports use (`SYNONYMS`: 订单号, 下单时间, 实付金额, 渠道 ...).
- The entity is the file's name when it is a contract name; otherwise the one merchant
  entity whose required columns the mapped columns cover (merchant_id is filled in); when
  none or several fit, the merchant picks.
- `load_own_files` writes each part as a contract-named UTF-8 CSV (line numbers kept:
  one row a line) with merchant_id filled where the export has none and channel words
  translated, remembers the mapping (audit event `column_mapping`), and loads the folder
  with `load_delivery(only_merchant_id=...)`, so a row of another merchant is rejected
  with the reason and never loaded.
"""

from __future__ import annotations

import csv
import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from sqlalchemy import Engine, delete, insert, select

from models.auth import audit
from models.clock import utcnow
from models.contract import ENTITIES
from models.schema import table_of
from models.schema_merchant import MerchantColumnMap
from models.scope import Scope
from models.scope_check import require_merchant
from pipelines.extract import FileProblem, _cell_text, detect_encoding, normalise_header
from pipelines.load import LoadReport, load_delivery

# What a merchant may upload about itself (cohorts and attendance are the programme's).
OWN_ENTITIES: tuple[str, ...] = (
    "orders",
    "customers",
    "stores",
    "guides",
    "touchpoint_events",
    "store_traffic",
    "campaigns",
    "campaign_assignments",
)
# Header words of typical exports -> contract column (lower case, spaces removed).
SYNONYMS: dict[str, str] = {
    "订单号": "order_id",
    "订单编号": "order_id",
    "订单id": "order_id",
    "下单时间": "ordered_at",
    "订单时间": "ordered_at",
    "支付时间": "ordered_at",
    "付款时间": "ordered_at",
    "实付金额": "gmv",
    "实收金额": "gmv",
    "支付金额": "gmv",
    "订单金额": "gmv",
    "成交金额": "gmv",
    "渠道": "channel",
    "下单渠道": "channel",
    "销售渠道": "channel",
    "门店编号": "store_id",
    "门店id": "store_id",
    "门店": "store_id",
    "会员号": "customer_id",
    "会员id": "customer_id",
    "会员编号": "customer_id",
    "客户id": "customer_id",
    "客户编号": "customer_id",
    "顾客编号": "customer_id",
    "导购编号": "guide_id",
    "导购id": "guide_id",
    "导购": "guide_id",
    "活动编号": "campaign_id",
    "活动id": "campaign_id",
    "退款金额": "refund",
    "商户编号": "merchant_id",
    "商户id": "merchant_id",
    "商家编号": "merchant_id",
    "首次到店日期": "first_seen_on",
    "会员等级": "member_level",
    "日期": "date",
    "客流": "visitors",
    "进店人数": "visitors",
}
# Channel words of typical exports -> the contract's vocabulary.
CHANNEL_WORDS: dict[str, str] = {
    "门店": "store",
    "线下门店": "store",
    "小程序": "mini_program",
    "微信小程序": "mini_program",
    "企业微信": "wecom_guide",
    "导购": "wecom_guide",
    "社群": "community",
    "扫码购": "scan_to_buy",
    "直播": "livestream",
    "其他线上": "other_online",
    "线上其他": "other_online",
}


# Dates and amounts as exports write them: 2019/12/28 9:05, 2019.12.28, 2019年12月28日;
# ¥1,280.00. Rewritten to the contract's ISO dates and plain numbers before the load's
# checks; anything else goes to the checks as it is (and is rejected there with a reason).
_EXPORT_DAY = re.compile(
    r"^(\d{4})[/.年-](\d{1,2})[/.月-](\d{1,2})日?(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$"
)
_EXPORT_MONEY = re.compile(r"^[¥￥]?\s*(-?)[¥￥]?\s*(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?$")


def export_value(kind: str, value: str) -> str:
    """A cell of a merchant's export in the contract's form, where it is unambiguous:
    `2019/1/5 9:05` -> `2019-01-05 09:05:00` (a date column keeps the day only),
    `¥1,280.00` -> `1280.00`."""
    text = value.strip()
    if kind in ("date", "timestamp"):
        found = _EXPORT_DAY.match(text)
        if found is None:
            return value
        year, month, day, hour, minute, second = found.groups()
        iso = f"{year}-{int(month):02d}-{int(day):02d}"
        if kind == "date":
            return iso
        return f"{iso} {int(hour or 0):02d}:{minute or '00'}:{second or '00'}"
    if kind == "money":
        found = _EXPORT_MONEY.match(text)
        if found is None:
            return value
        sign, whole, fraction = found.groups()
        return f"{sign}{whole.replace(',', '')}{fraction or ''}"
    return value


class MappingError(ValueError):
    """Files that cannot be turned into a delivery, with the reason."""


@dataclass
class Part:
    """One table of an uploaded file: a CSV, or one sheet of a workbook."""

    file_name: str
    sheet: str | None
    header: list[str]
    rows: list[list[str]]
    encoding: str = ""
    entity: str | None = None
    mapping: dict[str, str] = field(default_factory=dict)  # source column -> contract column

    @property
    def label(self) -> str:
        return f"{self.file_name} [{self.sheet}]" if self.sheet else self.file_name


def _key(name: str) -> str:
    return "".join(normalise_header([name])[0].split())


def read_parts(path: Path, file_name: str | None = None) -> list[Part]:
    """The tables of one file; a workbook gives one part per sheet with a header."""
    name = file_name or path.name
    if path.suffix.lower() == ".xlsx":
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a broken workbook
            raise MappingError(f"{name}: not a readable .xlsx workbook ({exc})") from exc
        parts = []
        try:
            for sheet in workbook.worksheets:
                rows = [
                    [_cell_text(v) for v in values] for values in sheet.iter_rows(values_only=True)
                ]
                rows = [r for r in rows if any(r)]
                if rows:
                    multi = len(workbook.worksheets) > 1
                    parts.append(Part(name, sheet.title if multi else None, rows[0], rows[1:]))
        finally:
            workbook.close()
        return parts
    if path.suffix.lower() != ".csv":
        raise MappingError(f"{name}: unsupported file type {path.suffix!r}; upload .csv or .xlsx")
    try:
        encoding = detect_encoding(path)
    except FileProblem as problem:
        raise MappingError(f"{name}: {problem}") from problem
    with path.open("r", encoding=encoding, newline="") as fh:
        rows = list(csv.reader(fh))
    if not rows:
        raise MappingError(f"{name}: the file is empty")
    return [Part(name, None, rows[0], rows[1:], encoding=encoding)]


def propose(header: Sequence[str], remembered: dict[str, str]) -> dict[str, str]:
    """Source column -> contract column for the columns that can be mapped."""
    out: dict[str, str] = {}
    for column in header:
        key = _key(column)
        target = remembered.get(column) or remembered.get(key)
        if target is None and any(key in e.column_names for e in ENTITIES.values()):
            target = key
        target = target or SYNONYMS.get(key)
        if target and target not in out.values():
            out[column] = target
    return out


def entity_from_name(file_name: str) -> str | None:
    stem = Path(file_name).stem.strip().lower()
    return stem if stem in OWN_ENTITIES else None


def guess_entity(columns: set[str]) -> str | None:
    """The one merchant entity whose required columns (merchant_id aside) `columns`
    cover, preferring the entity whose whole key is present; None if none or several."""
    fits = [
        name
        for name in OWN_ENTITIES
        if {c for c in ENTITIES[name].required if c != "merchant_id"} <= columns
    ]
    if len(fits) > 1:
        keyed = [n for n in fits if set(ENTITIES[n].key) - {"merchant_id"} <= columns]
        fits = [
            n
            for n in keyed
            if len(ENTITIES[n].required) == max(len(ENTITIES[k].required) for k in keyed)
        ]
    return fits[0] if len(fits) == 1 else None


# --- the remembered mapping ------------------------------------------------------------

_C = MerchantColumnMap.__table__.c


def _check_scope(engine: Engine, scope: Scope, merchant_id: str) -> None:
    with engine.connect() as connection:
        require_merchant(connection, scope, merchant_id)


def remembered(*, engine: Engine, scope: Scope, merchant_id: str) -> dict[str, dict[str, str]]:
    """entity -> {source column: contract column} this merchant chose before."""
    stmt = select(_C.entity, _C.source_column, _C.contract_column).where(
        _C.merchant_id == merchant_id, scope.merchant_filter(_C.merchant_id)
    )
    out: dict[str, dict[str, str]] = {}
    with engine.connect() as connection:
        for entity, source, target in connection.execute(stmt):
            out.setdefault(entity, {})[source] = target
    return out


def prepare(parts: list[Part], *, engine: Engine, scope: Scope, merchant_id: str) -> list[Part]:
    """Fill each part's mapping and entity from the remembered mapping and the defaults."""
    memory = remembered(engine=engine, scope=scope, merchant_id=merchant_id)
    every = {k: v for entity in memory.values() for k, v in entity.items()}
    for part in parts:
        named = entity_from_name(part.sheet or "") or entity_from_name(part.file_name)
        part.mapping = propose(part.header, memory.get(named or "", every))
        part.entity = named or guess_entity(set(part.mapping.values()))
        if part.entity in memory:
            part.mapping = propose(part.header, memory[part.entity])
    return parts


def missing_columns(part: Part) -> list[str]:
    """Required columns of the part's entity that no source column maps to."""
    if part.entity is None:
        return []
    have = set(part.mapping.values()) | {"merchant_id"}
    return [c for c in ENTITIES[part.entity].required if c not in have]


def _save_mapping(engine: Engine, merchant_id: str, parts: list[Part], actor: str) -> None:
    table = table_of(MerchantColumnMap)
    now = utcnow()
    with engine.begin() as connection:
        for part in parts:
            entity = part.entity or ""
            chosen = {s: t for s, t in part.mapping.items() if _key(s) != t}
            connection.execute(
                delete(table).where(_C.merchant_id == merchant_id, _C.entity == entity)
            )
            if chosen:
                connection.execute(
                    insert(table),
                    [
                        {
                            "merchant_id": merchant_id,
                            "entity": entity,
                            "source_column": source,
                            "contract_column": target,
                            "updated_by": actor,
                            "updated_at": now,
                        }
                        for source, target in chosen.items()
                    ],
                )
                audit(
                    connection,
                    actor=actor,
                    action="column_mapping",
                    target=f"{merchant_id} {entity}",
                    detail=", ".join(f"{s} -> {t}" for s, t in chosen.items()),
                )


def _contract_frame(part: Part, merchant_id: str) -> pd.DataFrame:
    entity = ENTITIES[part.entity or ""]
    width = len(part.header)
    rows = [(r + [""] * width)[:width] for r in part.rows]
    source = pd.DataFrame(rows, columns=[f"c{i}" for i in range(width)], dtype="string")
    out = pd.DataFrame(index=source.index)
    for number, column in enumerate(part.header):
        target = part.mapping.get(column)
        if target in entity.column_names:
            kind = entity.column(target).kind
            out[target] = source[f"c{number}"].fillna("").map(lambda v, k=kind: export_value(k, v))
    if "merchant_id" in entity.column_names and "merchant_id" not in out.columns:
        out["merchant_id"] = merchant_id
    if "channel" in out.columns:
        out["channel"] = out["channel"].map(lambda v: CHANNEL_WORDS.get(str(v).strip(), v))
    return out


@dataclass
class OwnLoad:
    report: LoadReport
    names: dict[str, str]  # contract file name -> the uploaded file (and sheet)


def load_own_files(
    parts: list[Part], *, engine: Engine, scope: Scope, merchant_id: str, actor: str
) -> OwnLoad:
    """Load a merchant's parts (each with entity and mapping) as one delivery in which a
    row of another merchant is rejected; the mapping is remembered."""
    _check_scope(engine, scope, merchant_id)
    if not parts:
        raise MappingError("no file to load")
    seen: dict[str, str] = {}
    for part in parts:
        if part.entity not in OWN_ENTITIES:
            raise MappingError(f"{part.label}: pick what the file holds")
        if part.entity in seen:
            raise MappingError(
                f"{part.label} and {seen[part.entity]} both hold "
                f"{part.entity}; upload one at a time"
            )
        seen[part.entity] = part.label
        missing = missing_columns(part)
        if missing:
            raise MappingError(f"{part.label}: no column is mapped to {', '.join(missing)}")
    _save_mapping(engine, merchant_id, parts, actor)
    with tempfile.TemporaryDirectory(prefix="own-upload-") as folder:
        names = {}
        for part in parts:
            name = f"{part.entity}.csv"
            _contract_frame(part, merchant_id).to_csv(Path(folder) / name, index=False)
            names[name] = part.label
        report = load_delivery(
            Path(folder), engine=engine, loaded_by=actor, only_merchant_id=merchant_id
        )
    return OwnLoad(report, names)
