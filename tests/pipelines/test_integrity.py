"""Load integrity (issue 19): every hostile delivery ends loaded exactly as meant or
rejected, with a true status, the same on SQLite and PostgreSQL. One test (or one
parametrized family) per case of the issue, each with its own tiny file."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import Engine

from tests.pipelines.integrity_helpers import (
    MERCHANTS,
    ORDER_HEADER,
    column,
    count,
    file_report,
    load,
    mart_gmv,
    order_lines,
    reasons,
    write,
)

# --- 1. an unclosed or stray quote swallows the rest of a CSV ----------------------------


def test_unclosed_quote_rejects_the_file_at_the_line_it_opens(
    engine: Engine, tmp_path: Path
) -> None:
    lines = order_lines(20).splitlines(keepends=True)
    lines[3] = lines[3].replace(",C4", ',"C4')  # line 5 of the file opens a quote
    folder = write(
        tmp_path / "d", {"merchants.csv": MERCHANTS, "orders.csv": ORDER_HEADER + "".join(lines)}
    )
    report = load(folder, engine)
    orders = file_report(report, "orders.csv")
    assert report.status == "partial"
    assert orders.unreadable and orders.rows_loaded == 0 and orders.rows_rejected == 20
    [(name, line, _column, reason)] = reasons(report)
    assert (name, line) == ("orders.csv", 5) and "never closed" in reason
    assert count(engine, "orders") == 0


def test_stray_quote_closed_lines_later_rejects_the_file(engine: Engine, tmp_path: Path) -> None:
    lines = order_lines(10).splitlines(keepends=True)
    lines[1] = lines[1].replace(",C2", ',"C2')  # opens on line 3 ...
    lines[6] = lines[6].replace(",C7", ',C7"')  # ... and a stray quote closes it on line 8
    folder = write(
        tmp_path / "d", {"merchants.csv": MERCHANTS, "orders.csv": ORDER_HEADER + "".join(lines)}
    )
    report = load(folder, engine)
    [(_name, line, _column, reason)] = reasons(report)
    assert line == 3 and "lines 3-" in reason
    assert file_report(report, "orders.csv").rows_rejected == 10
    assert count(engine, "orders") == 0


def test_quoted_value_over_two_lines_still_loads(engine: Engine, tmp_path: Path) -> None:
    stores = 'store_id,merchant_id,name\nS1,M1,"two\nlines"\nS2,M1,plain\n'
    folder = write(
        tmp_path / "d",
        {
            "merchants.csv": MERCHANTS,
            "orders.csv": ORDER_HEADER + order_lines(1),
            "stores.csv": stores,
        },
    )
    report = load(folder, engine)
    assert report.status == "loaded", report.message
    assert column(engine, "stores", "name") == ["two\nlines", "plain"]


# --- 2. XLSX: a stale stored dimension, data on a second sheet ---------------------------


def _workbook(sheets: dict[str, list[list[object]]]) -> bytes:
    book = Workbook()
    first = True
    for title, rows in sheets.items():
        sheet = book.active if first else book.create_sheet()
        first = False
        sheet.title = title
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _stale_dimension(data: bytes, ref: str) -> bytes:
    """The workbook with every sheet's <dimension> rewritten to `ref`, as other tools leave it."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            body = src.read(info)
            if info.filename.startswith("xl/worksheets/sheet"):
                body = re.sub(rb'<dimension ref="[^"]*"', f'<dimension ref="{ref}"'.encode(), body)
            dst.writestr(info, body)
    return out.getvalue()


ORDER_CELLS = ["order_id", "merchant_id", "ordered_at", "channel", "gmv"]


def _order_cells(n: int, start: int = 1) -> list[list[object]]:
    return [[f"O{i}", "M1", "2024-03-01 10:00", "store", i] for i in range(start, start + n)]


def test_xlsx_with_a_stale_dimension_loads_every_row(engine: Engine, tmp_path: Path) -> None:
    data = _stale_dimension(_workbook({"orders": [ORDER_CELLS, *_order_cells(100)]}), "A1:E10")
    folder = write(tmp_path / "d", {"merchants.csv": MERCHANTS, "orders.xlsx": data})
    report = load(folder, engine)
    assert report.status == "loaded", report.message
    assert file_report(report, "orders.xlsx").rows_new == 100
    assert count(engine, "orders") == 100


def test_xlsx_reads_every_sheet_that_holds_the_entity_and_names_the_rest(
    engine: Engine, tmp_path: Path
) -> None:
    data = _workbook(
        {
            "march": [ORDER_CELLS, *_order_cells(2)],
            "april": [ORDER_CELLS, *_order_cells(1, start=3)],
            "notes": [["exported by", "till system"]],
        }
    )
    folder = write(tmp_path / "d", {"merchants.csv": MERCHANTS, "orders.xlsx": data})
    report = load(folder, engine)
    orders = file_report(report, "orders.xlsx")
    assert orders.rows_new == 3 and count(engine, "orders") == 3
    assert "'march', 'april'" in orders.note and "'notes' ignored" in orders.note


# --- 3. out-of-range values: rejected per row on every engine ----------------------------


@pytest.mark.parametrize(
    ("file_name", "text", "line", "where", "needle"),
    [
        (
            "merchants.csv",
            "merchant_id,name,industry\nM9," + "x" * 201 + ",grocery\n",
            2,
            "name",
            "200",
        ),
        (
            "merchants.csv",
            "merchant_id,name,industry\n" + "M" * 65 + ",n,grocery\n",
            2,
            "merchant_id",
            "64",
        ),
        (
            "merchants.csv",
            "merchant_id,name,industry\nM9,bad\x00name,grocery\n",
            2,
            "name",
            "control",
        ),
        (
            "merchants.csv",
            "merchant_id,name,industry,store_count\nM9,n,grocery,3000000000\n",
            2,
            "store_count",
            "too large",
        ),
        (
            "merchants.csv",
            "merchant_id,name,industry,store_count\nM9,n,grocery,inf\n",
            2,
            "store_count",
            "finite",
        ),
        (
            "merchants.csv",
            "merchant_id,name,industry,store_count\nM9,n,grocery,1e20\n",
            2,
            "store_count",
            "not a number",
        ),
        (
            "orders.csv",
            ORDER_HEADER + "O9,M1,2024-03-01 10:00,store,1000000000000,\n",
            2,
            "gmv",
            "too large",
        ),
        ("orders.csv", ORDER_HEADER + "O9,M1,2024-03-01 10:00,store,inf,\n", 2, "gmv", "finite"),
    ],
)
def test_out_of_range_values_are_rejected_before_writing(
    engine: Engine, tmp_path: Path, file_name: str, text: str, line: int, where: str, needle: str
) -> None:
    files = {"merchants.csv": MERCHANTS, "orders.csv": ORDER_HEADER + order_lines(2)}
    if file_name == "merchants.csv":
        good = "M1,Alpha Tea,food_beverage" + (",1" if "store_count" in text else "")
        files["merchants.csv"] = text + good + "\n"
        line_of_good = 3
        assert line_of_good > line
    else:
        files["orders.csv"] = text + order_lines(2)
    report = load(write(tmp_path / "d", files), engine)
    got = [(n, ln, c) for n, ln, c, _r in reasons(report)]
    assert got == [(file_name, line, where)], reasons(report)
    assert needle in reasons(report)[0][3]
    assert report.status == "partial"
    assert count(engine, "orders") == 2  # the good rows load, on both engines alike


# --- 4. money: one grammar, ambiguous amounts refused, half-up to the fen -----------------


@pytest.mark.parametrize(
    ("gmv", "stored"),
    [
        ("1,234.50", 1234.5),
        ("¥12.5", 12.5),
        ("12.345", 12.35),
        ("12.355", 12.36),
        ("0.125", 0.13),
        ("7", 7.0),
    ],
)
def test_money_in_the_grammar_is_read_and_rounded_half_up(
    engine: Engine, tmp_path: Path, gmv: str, stored: float
) -> None:
    orders = ORDER_HEADER + f'O1,M1,2024-03-01 10:00,store,"{gmv}",\n'
    report = load(write(tmp_path / "d", {"merchants.csv": MERCHANTS, "orders.csv": orders}), engine)
    assert report.status == "loaded", report.message
    assert column(engine, "orders", "gmv") == [pytest.approx(stored, abs=1e-9)]


@pytest.mark.parametrize(
    ("gmv", "needle"),
    [
        ("5,00", "ambiguous"),
        ("12,34", "ambiguous"),
        ("1.234,50", "ambiguous"),
        ("1,2,3", "ambiguous"),
        ("Infinity", "finite"),
        ("12 CNY", "not a number"),
    ],
)
def test_ambiguous_money_is_rejected_with_the_reason(
    engine: Engine, tmp_path: Path, gmv: str, needle: str
) -> None:
    orders = ORDER_HEADER + f'O1,M1,2024-03-01 10:00,store,"{gmv}",\n' + order_lines(1, start=2)
    report = load(write(tmp_path / "d", {"merchants.csv": MERCHANTS, "orders.csv": orders}), engine)
    [(_f, line, col, reason)] = reasons(report)
    assert (line, col) == (2, "gmv") and needle in reason
    assert column(engine, "orders", "order_id") == ["O2"]


# --- 5. an XLSX bomb is refused before it inflates ----------------------------------------


def test_xlsx_bomb_is_refused_before_parsing(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = io.BytesIO()
    good = _workbook({"orders": [ORDER_CELLS, *_order_cells(1)]})
    with (
        zipfile.ZipFile(io.BytesIO(good)) as src,
        zipfile.ZipFile(data, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            dst.writestr(info, src.read(info))
        dst.writestr("xl/sharedStrings2.xml", b"A" * (40 << 20))  # 40 MB from ~40 KB
    import openpyxl

    def never(*_a: object, **_k: object) -> None:
        raise AssertionError("openpyxl was asked to parse a bomb")

    monkeypatch.setattr(openpyxl, "load_workbook", never)
    assert len(data.getvalue()) < 1 << 20
    folder = write(tmp_path / "d", {"merchants.csv": MERCHANTS, "orders.xlsx": data.getvalue()})
    report = load(folder, engine)
    orders = file_report(report, "orders.xlsx")
    assert orders.unreadable and "inflates" in orders.note
    assert report.status == "partial" and count(engine, "orders") == 0


# --- 6. a key moved to another merchant is moved, not doubled -----------------------------


def test_order_redelivered_under_another_merchant_moves(engine: Engine, tmp_path: Path) -> None:
    first = (
        ORDER_HEADER + "O1,M1,2024-03-01 10:00,store,100,C1\nO2,M1,2024-03-01 11:00,store,200,C2\n"
    )
    load(write(tmp_path / "a", {"merchants.csv": MERCHANTS, "orders.csv": first}), engine)
    moved = ORDER_HEADER + "O1,M2,2024-03-01 10:00,store,100,C1\n"
    report = load(write(tmp_path / "b", {"orders.csv": moved}), engine)
    orders = file_report(report, "orders.csv")
    assert (orders.rows_new, orders.rows_replaced) == (0, 1)
    assert "moved" in orders.note
    assert mart_gmv(engine) == {"M1": 200.0, "M2": 100.0}  # was 300 + 100: counted twice
    assert count(engine, "orders") == 2


def test_a_different_order_with_the_same_number_is_its_own(engine: Engine, tmp_path: Path) -> None:
    first = ORDER_HEADER + "O1,M1,2024-03-01 10:00,store,100,C1\n"
    load(write(tmp_path / "a", {"merchants.csv": MERCHANTS, "orders.csv": first}), engine)
    other = ORDER_HEADER + "O1,M2,2024-03-05 09:00,store,40,\n"  # M2's own order number 1
    report = load(write(tmp_path / "b", {"orders.csv": other}), engine)
    assert file_report(report, "orders.csv").rows_new == 1
    assert mart_gmv(engine) == {"M1": 100.0, "M2": 40.0}


def test_campaign_moved_to_another_merchant_takes_its_assignments(
    engine: Engine, tmp_path: Path
) -> None:
    campaigns = "campaign_id,merchant_id,name,start_date,cost\nK1,{m},Spring,2024-03-01,500\n"
    assignments = "campaign_id,customer_id,group\nK1,C1,treatment\nK1,C2,holdout\n"
    first = {
        "merchants.csv": MERCHANTS,
        "orders.csv": ORDER_HEADER + order_lines(1),
        "campaigns.csv": campaigns.format(m="M1"),
        "campaign_assignments.csv": assignments,
    }
    load(write(tmp_path / "a", first), engine)
    report = load(write(tmp_path / "b", {"campaigns.csv": campaigns.format(m="M2")}), engine)
    assert "moved" in file_report(report, "campaigns.csv").note
    assert column(engine, "campaigns", "merchant_id") == ["M2"]
    assert column(engine, "campaign_assignments", "merchant_id") == ["M2", "M2"]


# --- 7. one key spelled two ways is one key -----------------------------------------------


def test_dates_spelled_differently_are_one_key(engine: Engine, tmp_path: Path) -> None:
    traffic = (
        "merchant_id,date,visitors\n"
        "M1,2024-03-01,10\nM1,2024-03-01 00:00,11\nM1,2024-03-01T00:00:00,12\n"
    )
    files = {
        "merchants.csv": MERCHANTS,
        "orders.csv": ORDER_HEADER + order_lines(1),
        "store_traffic.csv": traffic,
    }
    report = load(write(tmp_path / "d", files), engine)
    traffic_report = file_report(report, "store_traffic.csv")
    assert (traffic_report.rows_new, traffic_report.rows_replaced) == (1, 0)
    assert [(line, "line 2" in reason) for _f, line, _c, reason in reasons(report)] == [
        (3, True),
        (4, True),
    ]
    assert column(engine, "store_traffic", "visitors") == [10]


# --- 8. short GBK is not read as UTF-8 ----------------------------------------------------


def test_short_gbk_is_read_as_gbk_and_said(engine: Engine, tmp_path: Path) -> None:
    merchants = "merchant_id,name,industry\nM1,一品,food_beverage\n".encode("gbk")
    assert merchants.decode("utf-8")  # the trap: these bytes are valid UTF-8 too
    folder = write(
        tmp_path / "d", {"merchants.csv": merchants, "orders.csv": ORDER_HEADER + order_lines(1)}
    )
    report = load(folder, engine)
    assert column(engine, "merchants", "name") == ["一品"]
    merchants_report = file_report(report, "merchants.csv")
    assert merchants_report.encoding == "gb18030" and "GBK" in merchants_report.note


def test_utf8_with_one_damaged_byte_is_refused_with_its_place(
    engine: Engine, tmp_path: Path
) -> None:
    text = "merchant_id,name,industry\nM1,阿尔法茶饮,food_beverage\nM2,贝塔服饰,apparel\n".encode()
    damaged = text.replace("贝".encode(), b"\xff" + "贝".encode()[1:])
    folder = write(
        tmp_path / "d", {"merchants.csv": damaged, "orders.csv": ORDER_HEADER + order_lines(1)}
    )
    report = load(folder, engine)
    merchants = file_report(report, "merchants.csv")
    assert merchants.unreadable and "0xff at line 3, column 4" in merchants.note
    assert count(engine, "merchants") == 0


# --- 9. UTF-16 (Excel's "Unicode text"), with or without BOM, tab-separated ---------------


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_tab_separated_loads(engine: Engine, tmp_path: Path, codec: str) -> None:
    merchants = (
        "merchant_id\tname\tindustry\r\nM1\t阿尔法茶饮\tfood_beverage\r\nM2\t贝塔\tapparel\r\n"
    )
    folder = write(
        tmp_path / "d",
        {"merchants.csv": merchants.encode(codec), "orders.csv": ORDER_HEADER + order_lines(2)},
    )
    report = load(folder, engine)
    assert report.status == "loaded", report.message
    assert column(engine, "merchants", "name") == ["阿尔法茶饮", "贝塔"]
    assert "tab-separated" in file_report(report, "merchants.csv").note


# --- 11. a status that tells the truth, and hints ------------------------------------------


def test_second_file_for_an_entity_makes_the_delivery_partial(
    engine: Engine, tmp_path: Path
) -> None:
    data = _workbook({"orders": [ORDER_CELLS, *_order_cells(1, start=50)]})
    files = {
        "merchants.csv": MERCHANTS,
        "orders.csv": ORDER_HEADER + order_lines(2),
        "orders.xlsx": data,
    }
    report = load(write(tmp_path / "d", files), engine)
    assert report.status == "partial" and "not loaded: orders.xlsx" in report.message


def test_an_upload_skipped_for_its_size_makes_the_delivery_partial(
    engine: Engine, tmp_path: Path
) -> None:
    files = {"merchants.csv": MERCHANTS, "orders.csv": ORDER_HEADER + order_lines(2)}
    report = load(write(tmp_path / "d", files), engine, skipped=[("traffic.csv", "too large")])
    assert report.status == "partial"
    assert file_report(report, "traffic.csv").note == "not loaded: too large"


def test_semicolon_separated_file_gets_a_hint(engine: Engine, tmp_path: Path) -> None:
    orders = ORDER_HEADER.replace(",", ";") + order_lines(1).replace(",", ";")
    report = load(write(tmp_path / "d", {"merchants.csv": MERCHANTS, "orders.csv": orders}), engine)
    assert "separated by ';'" in file_report(report, "orders.csv").note


def test_dates_stay_dates_across_engines(engine: Engine, tmp_path: Path) -> None:
    traffic = "merchant_id,date,visitors\nM1,2024-03-01,10\n"
    files = {
        "merchants.csv": MERCHANTS,
        "orders.csv": ORDER_HEADER + order_lines(1),
        "store_traffic.csv": traffic,
    }
    load(write(tmp_path / "a", files), engine)
    report = load(
        write(tmp_path / "b", {"store_traffic.csv": traffic.replace(",10", ",12")}), engine
    )
    assert (
        file_report(report, "store_traffic.csv").rows_new,
        file_report(report, "store_traffic.csv").rows_replaced,
    ) == (0, 1)
    assert column(engine, "store_traffic", "date") == [date(2024, 3, 1)]
