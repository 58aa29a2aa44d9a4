"""A merchant's own exports: another merchant's rows rejected with the reason (never
loaded), Chinese headers under a non-contract name mapped and the mapping reused, several
sheets of a workbook; SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook
from sqlalchemy import Engine, select

from models import queries
from models.auth import audit_log
from models.permissions import OutOfScope
from models.schema import Order, table_of
from models.scope import Scope
from pipelines import mapping
from pipelines.load import load_delivery

EXEC = Scope.executive()
M1 = Scope.merchant("M1", user="alpha")


def _orders(engine: Engine) -> pd.DataFrame:
    o = table_of(Order).c
    with engine.connect() as connection:
        rows = connection.execute(select(o.merchant_id, o.order_id, o.gmv, o.channel)).all()
    return pd.DataFrame(rows, columns=["merchant_id", "order_id", "gmv", "channel"])


def _write_csv(path: Path, text: str, encoding: str) -> Path:
    path.write_bytes(text.encode(encoding))
    return path


@pytest.mark.parametrize("encoding", ["gbk", "utf-8-sig", "utf-8"])
def test_other_merchants_rows_are_rejected_with_the_reason(
    engine: Engine, tiny_delivery_dir: Path, tmp_path: Path, encoding: str
) -> None:
    load_delivery(tiny_delivery_dir, engine=engine)
    before = _orders(engine)
    export = _write_csv(
        tmp_path / "订单导出.csv",
        "订单号,商户编号,下单时间,渠道,实付金额\n"
        "N1,M1,2024-03-02 10:00,门店,100\n"
        "N2,M2,2024-03-02 11:00,门店,200\n"  # another merchant's row
        "N3,M1,2024-03-03 12:00,小程序,50.5\n",
        encoding,
    )
    parts = mapping.prepare(mapping.read_parts(export), engine=engine, scope=M1, merchant_id="M1")
    assert [p.entity for p in parts] == ["orders"]
    done = mapping.load_own_files(parts, engine=engine, scope=M1, merchant_id="M1", actor="alpha")
    assert done.names == {"orders.csv": "订单导出.csv"}
    after = _orders(engine)
    new = after[~after["order_id"].isin(before["order_id"])].sort_values("order_id")
    assert list(new["order_id"]) == ["N1", "N3"]
    assert list(new["channel"]) == ["store", "mini_program"]
    assert list(new["gmv"]) == [100.0, 50.5]
    assert len(after[after["merchant_id"] == "M2"]) == len(before[before["merchant_id"] == "M2"])
    rejected = queries.rejections(engine=engine, scope=EXEC, batch_id=done.report.batch_id)
    assert list(rejected["line"]) == [3]
    assert list(rejected["column"]) == ["merchant_id"]
    assert list(rejected["value"]) == ["M2"]
    assert "another merchant" in rejected["reason"].iloc[0]
    assert done.report.status == "partial"


def test_mapping_is_remembered_and_reused(
    engine: Engine, tiny_delivery_dir: Path, tmp_path: Path
) -> None:
    load_delivery(tiny_delivery_dir, engine=engine)
    first = _write_csv(
        tmp_path / "Orders (2).csv",
        "单号,时间,渠道,实付金额\nA1,2024-03-02 10:00,store,10\n",
        "gbk",
    )
    parts = mapping.prepare(mapping.read_parts(first), engine=engine, scope=M1, merchant_id="M1")
    # 单号 and 时间 are not words the mapper knows: the merchant maps them
    assert parts[0].entity is None
    assert mapping.missing_columns(parts[0]) == []
    parts[0].entity = "orders"
    assert mapping.missing_columns(parts[0]) == ["order_id", "ordered_at"]
    parts[0].mapping |= {"单号": "order_id", "时间": "ordered_at"}
    done = mapping.load_own_files(parts, engine=engine, scope=M1, merchant_id="M1", actor="alpha")
    assert done.report.status == "loaded"
    # the next export with the same headers maps itself, as a workbook of two sheets
    book = Workbook()
    sheet = book.active
    sheet.title = "三月"
    sheet.append(["单号", "时间", "渠道", "实付金额"])
    sheet.append(["A2", "2024-03-05 09:00", "直播", 30])
    notes = book.create_sheet("说明")
    notes.append(["说明"])
    notes.append(["本表由系统导出"])
    path = tmp_path / "export.xlsx"
    book.save(path)
    parts = mapping.prepare(mapping.read_parts(path), engine=engine, scope=M1, merchant_id="M1")
    assert [(p.sheet, p.entity) for p in parts] == [("三月", "orders"), ("说明", None)]
    assert parts[0].mapping["单号"] == "order_id" and parts[0].mapping["时间"] == "ordered_at"
    mapping.load_own_files(parts[:1], engine=engine, scope=M1, merchant_id="M1", actor="alpha")
    orders = _orders(engine)
    assert set(orders.loc[orders["order_id"].isin(["A1", "A2"]), "merchant_id"]) == {"M1"}
    assert orders.loc[orders["order_id"] == "A2", "channel"].item() == "livestream"
    events = audit_log(engine=engine, scope=EXEC, action="column_mapping")
    assert "单号 -> order_id" in events["detail"].iloc[0]
    # another merchant does not get M1's mapping, and cannot load as M1
    other = mapping.prepare(
        mapping.read_parts(first), engine=engine, scope=Scope.merchant("M2"), merchant_id="M2"
    )
    assert "单号" not in other[0].mapping
    with pytest.raises(OutOfScope):
        mapping.load_own_files(
            parts[:1], engine=engine, scope=Scope.merchant("M2"), merchant_id="M1", actor="x"
        )


@pytest.mark.parametrize(
    "columns, expected",
    [
        ({"order_id", "ordered_at", "channel", "gmv"}, "orders"),
        ({"customer_id", "member_level"}, "customers"),
        ({"store_id", "name", "city"}, "stores"),
        ({"date", "visitors"}, "store_traffic"),
        ({"gmv"}, None),
    ],
)
def test_guess_entity_from_columns(columns: set[str], expected: str | None) -> None:
    assert mapping.guess_entity(columns) == expected


@pytest.mark.parametrize(
    "kind, cell, expected",
    [
        ("timestamp", "2019/12/28 11:05:00", "2019-12-28 11:05:00"),
        ("timestamp", "2019/1/5 9:05", "2019-01-05 09:05:00"),
        ("timestamp", "2019年12月28日", "2019-12-28 00:00:00"),
        ("timestamp", "2019-12-28 10:00", "2019-12-28 10:00:00"),
        ("date", "2019.12.28", "2019-12-28"),
        ("date", "2019/12/28 23:59", "2019-12-28"),
        ("timestamp", "28/12/2019", "28/12/2019"),  # day first: ambiguous, left to the checks
        ("money", "¥1,280.00", "1280.00"),
        ("money", "-¥12", "-12"),
        ("money", "56.5", "56.5"),
        ("money", "1,28", "1,28"),  # not a thousands separator: left to the checks
        ("text", "2019/12/28", "2019/12/28"),
    ],
)
def test_export_dates_and_amounts_in_the_contracts_form(
    kind: str, cell: str, expected: str
) -> None:
    assert mapping.export_value(kind, cell) == expected


def test_an_export_with_slash_dates_and_yuan_loads(
    engine: Engine, tiny_delivery_dir: Path, tmp_path: Path
) -> None:
    load_delivery(tiny_delivery_dir, engine=engine)
    export = _write_csv(
        tmp_path / "订单导出.csv",
        '订单号,下单时间,渠道,实付金额\nS1,2024/3/2 9:05,门店,"￥1,280.00"\n',
        "gbk",
    )
    parts = mapping.prepare(mapping.read_parts(export), engine=engine, scope=M1, merchant_id="M1")
    done = mapping.load_own_files(parts, engine=engine, scope=M1, merchant_id="M1", actor="alpha")
    assert done.report.status == "loaded", done.report.message
    loaded = _orders(engine)
    assert list(loaded[loaded["order_id"] == "S1"]["gmv"]) == [1280.0]
