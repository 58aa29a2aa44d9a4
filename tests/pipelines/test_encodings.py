"""One small delivery in every encoding the contract allows, and files that are not text.

The same merchants + orders delivery, written as UTF-8, UTF-8 with BOM, GBK (as Chinese
Excel saves CSV) and XLSX (real date cells, ids as numbers), must load to identical staging
rows with the Chinese names intact. Files that cannot be read are file-level problems,
named in the report, never a crash.
"""

from __future__ import annotations

import random
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import Engine, select

from models import queries
from models.schema import STAGING
from models.scope import Scope
from pipelines.load import FileReport, LoadReport, load_delivery

MERCHANTS = (
    "merchant_id,name,industry,region,store_count,joined_on\n"
    "1001,阿尔法茶饮,food_beverage,上海,2,2024-01-15\n"
    "1002,贝塔服饰,apparel,杭州,1,2023-12-01\n"
)
ORDERS = (
    "order_id,merchant_id,ordered_at,channel,gmv,customer_id,refund\n"
    "5001,1001,2024-03-01 10:00:00,store,280,顾客甲,\n"
    "5002,1001,2024-03-02 09:30:00,mini_program,12.5,顾客乙,2.5\n"
    "5003,1002,2024-03-02 15:00:00,store,99,,\n"
)

# The same rows as Excel would hold them: numbers as numbers, dates as date cells.
MERCHANT_CELLS = [
    ["merchant_id", "name", "industry", "region", "store_count", "joined_on"],
    [1001, "阿尔法茶饮", "food_beverage", "上海", 2, date(2024, 1, 15)],
    [1002, "贝塔服饰", "apparel", "杭州", 1, datetime(2023, 12, 1)],
]
ORDER_CELLS = [
    ["order_id", "merchant_id", "ordered_at", "channel", "gmv", "customer_id", "refund"],
    [5001, 1001, datetime(2024, 3, 1, 10, 0), "store", 280, "顾客甲", None],
    [5002, 1001, datetime(2024, 3, 2, 9, 30), "mini_program", 12.5, "顾客乙", 2.5],
    [5003, 1002, datetime(2024, 3, 2, 15, 0), "store", 99, None, None],
]

# What every variant must load, checked by hand against the rows above.
EXPECTED = {
    "merchants": [
        ("1001", "阿尔法茶饮", "food_beverage", "上海", 2, None, date(2024, 1, 15)),
        ("1002", "贝塔服饰", "apparel", "杭州", 1, None, date(2023, 12, 1)),
    ],
    "orders": [
        ("1001", "5001", datetime(2024, 3, 1, 10), "store", 280.0, "顾客甲", 0.0),
        ("1001", "5002", datetime(2024, 3, 2, 9, 30), "mini_program", 12.5, "顾客乙", 2.5),
        ("1002", "5003", datetime(2024, 3, 2, 15), "store", 99.0, None, 0.0),
    ],
    "customers": [
        ("1001", "顾客乙", date(2024, 3, 2), None, None, "orders"),
        ("1001", "顾客甲", date(2024, 3, 1), None, None, "orders"),
    ],
}
COLUMNS = {
    "merchants": [
        "merchant_id",
        "name",
        "industry",
        "region",
        "store_count",
        "cohort_id",
        "joined_on",
    ],
    "orders": [
        "merchant_id",
        "order_id",
        "ordered_at",
        "channel",
        "gmv",
        "customer_id",
        "refund",
    ],
    "customers": [
        "merchant_id",
        "customer_id",
        "first_seen_on",
        "unified_id",
        "member_level",
        "source",
    ],
}


def write_delivery(folder: Path, files: dict[str, str], encoding: str = "utf-8") -> Path:
    """Write {file name: text} into `folder` in `encoding` and return the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_bytes(text.encode(encoding))
    return folder


def write_xlsx(path: Path, cells: list[list[object]]) -> None:
    workbook = Workbook()
    sheet = workbook.active
    for row in cells:
        sheet.append(row)
    workbook.save(path)


def staged(engine: Engine, table: str) -> list[tuple]:
    t = STAGING[table].__table__
    cols = [t.c[name] for name in COLUMNS[table]]
    with engine.connect() as connection:
        return sorted(
            (tuple(r) for r in connection.execute(select(*cols))),
            key=lambda r: [str(v) for v in r],
        )


def file_report(report: LoadReport, file_name: str) -> FileReport:
    matches = [f for f in report.files if f.file_name == file_name]
    assert len(matches) == 1, [f.file_name for f in report.files]
    return matches[0]


def make_variant(variant: str, folder: Path) -> Path:
    if variant == "xlsx":
        folder.mkdir(parents=True)
        write_xlsx(folder / "merchants.xlsx", MERCHANT_CELLS)
        write_xlsx(folder / "orders.xlsx", ORDER_CELLS)
        return folder
    return write_delivery(folder, {"merchants.csv": MERCHANTS, "orders.csv": ORDERS}, variant)


@pytest.mark.parametrize("variant", ["utf-8", "utf-8-sig", "gbk", "xlsx"])
def test_every_encoding_loads_the_same_rows(variant: str, engine: Engine, tmp_path: Path) -> None:
    folder = make_variant(variant, tmp_path / variant)
    if variant == "gbk":
        with pytest.raises(UnicodeDecodeError):  # really GBK, not UTF-8 by accident
            (folder / "merchants.csv").read_bytes().decode("utf-8")

    report = load_delivery(folder, engine=engine)

    assert report.status == "loaded", report.message
    assert report.rejected_total == 0, report.rejections.to_string()
    assert [(f.entity, f.rows_read, f.rows_new) for f in report.files] == [
        ("merchants", 2, 2),
        ("orders", 3, 3),
    ]
    for table, rows in EXPECTED.items():
        got = staged(engine, table)
        assert got == sorted(rows, key=lambda r: [str(v) for v in r]), table
    with engine.connect() as connection:
        o = STAGING["orders"].__table__.c
        rest = connection.execute(select(o.ordered_on, o.store_id, o.guide_id, o.campaign_id))
        assert sorted(tuple(r) for r in rest) == [
            (date(2024, 3, 1), None, None, None),
            (date(2024, 3, 2), None, None, None),
            (date(2024, 3, 2), None, None, None),
        ]


def test_rejections_in_gbk_and_xlsx_name_the_right_line(engine: Engine, tmp_path: Path) -> None:
    folder = tmp_path / "d"
    write_delivery(
        folder,
        {"merchants.csv": MERCHANTS + "1003,伽马超市,超市\n"},  # line 4: not an industry
        "gbk",
    )
    write_xlsx(
        folder / "orders.xlsx",
        [*ORDER_CELLS[:2], [5009, 1001, datetime(2024, 3, 3, 8), "电话", 10, None, None]],
    )
    report = load_delivery(folder, engine=engine)

    got = [(r.file_name, int(r.line), r.column, r.value) for r in report.rejections.itertuples()]
    assert got == [
        ("merchants.csv", 4, "industry", "超市"),
        ("orders.xlsx", 3, "channel", "电话"),
    ]
    assert len(staged(engine, "merchants")) == 2
    assert len(staged(engine, "orders")) == 1


def test_a_file_that_is_not_text_is_a_file_problem(engine: Engine, tmp_path: Path) -> None:
    folder = write_delivery(tmp_path / "d", {"merchants.csv": MERCHANTS})
    (folder / "orders.csv").write_bytes(random.Random(7).randbytes(4096))
    (folder / "stores.xlsx").write_bytes(random.Random(8).randbytes(4096))

    report = load_delivery(folder, engine=engine)

    assert report.batch_id is not None
    assert len(staged(engine, "merchants")) == 2  # the readable file still loaded
    assert staged(engine, "orders") == []
    for name in ("orders.csv", "stores.xlsx"):
        problem = file_report(report, name)
        assert problem.note, name
        assert problem.rows_loaded == 0
    kept = queries.rejections(engine=engine, scope=Scope.executive(), batch_id=report.batch_id)
    assert sorted(kept["file_name"]) == ["orders.csv", "stores.xlsx"]
    assert all(kept["reason"].str.len() > 0)
    csv_reason = kept.loc[kept["file_name"] == "orders.csv", "reason"].iloc[0]
    assert "UTF-8" in csv_reason or "GBK" in csv_reason


def test_an_unreadable_file_does_not_make_a_clean_load(engine: Engine, tmp_path: Path) -> None:
    """A delivery whose orders could not be read at all is not "loaded" as if all was well."""
    folder = write_delivery(tmp_path / "d", {"merchants.csv": MERCHANTS})
    (folder / "orders.csv").write_bytes(random.Random(7).randbytes(4096))

    report = load_delivery(folder, engine=engine)

    assert report.status != "loaded", report.message


def test_all_or_nothing_refuses_a_delivery_with_an_unreadable_file(
    engine: Engine, tmp_path: Path
) -> None:
    folder = write_delivery(tmp_path / "d", {"merchants.csv": MERCHANTS})
    (folder / "orders.csv").write_bytes(random.Random(7).randbytes(4096))

    report = load_delivery(folder, engine=engine, all_or_nothing=True)

    assert report.status == "refused", report.message
    assert staged(engine, "merchants") == []


def test_an_empty_file_is_reported_with_a_note(engine: Engine, tmp_path: Path) -> None:
    folder = write_delivery(tmp_path / "d", {"merchants.csv": MERCHANTS, "orders.csv": ""})

    report = load_delivery(folder, engine=engine)

    orders = file_report(report, "orders.csv")
    assert "empty" in orders.note
    assert orders.rows_read == orders.rows_loaded == 0
    assert len(staged(engine, "merchants")) == 2


def test_a_header_only_file_is_reported_with_a_note(engine: Engine, tmp_path: Path) -> None:
    header_only = ORDERS.splitlines()[0] + "\n"
    folder = write_delivery(tmp_path / "d", {"merchants.csv": MERCHANTS, "orders.csv": header_only})

    report = load_delivery(folder, engine=engine)

    orders = file_report(report, "orders.csv")
    assert orders.rows_read == orders.rows_loaded == orders.rows_rejected == 0
    assert len(staged(engine, "merchants")) == 2
    assert "row" in orders.note.lower(), f"no note for a file without rows: {orders.note!r}"
