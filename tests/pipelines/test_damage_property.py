"""Random damage to a delivery file (issue 19): whatever is cut off, quoted or overwritten,
every data line of the file is either loaded or rejected, never lost without a word:
rows loaded + rows rejected = the file's data lines, on SQLite and PostgreSQL."""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine

from tests.pipelines.integrity_helpers import (
    MERCHANTS,
    ORDER_HEADER,
    file_report,
    load,
    order_lines,
    write,
)

CLEAN = (ORDER_HEADER + order_lines(8)).encode()


def data_lines(data: bytes) -> int:
    """Lines after the header holding anything but separators and spaces, counted the way
    any reader of the file would split it."""
    text = data.decode("utf-8", errors="replace")
    lines = re.split(r"\r\n|\r|\n", text)
    filled = [line for line in lines if line.strip(" \t,")]
    return max(len(filled) - 1, 0)


@st.composite
def damaged(draw: st.DrawFn) -> bytes:
    data = bytearray(CLEAN)
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["truncate", "quote", "byte"]))
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        if kind == "truncate":
            del data[at:]
        elif kind == "quote":
            data[at:at] = b'"'
        elif data:
            data[at] = draw(st.integers(0, 255))
        if not data:
            break
    return bytes(data)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(orders=damaged())
def test_every_data_line_is_loaded_or_rejected(engine: Engine, orders: bytes) -> None:
    folder = Path(tempfile.mkdtemp(prefix="damage-"))
    try:
        write(folder, {"merchants.csv": MERCHANTS, "orders.csv": orders})
        report = load(folder, engine)
        assert report.fault == "", report.message
        assert report.status != "loaded" or report.rows_rejected == 0
        report_orders = file_report(report, "orders.csv")
        expected = data_lines(orders) if report_orders.encoding in ("utf-8", "") else None
        if expected is not None:
            assert report_orders.rows_loaded + report_orders.rows_rejected == expected, (
                orders,
                report.message,
                report_orders.note,
            )
        else:  # read as another encoding: count its lines the same way
            assert report_orders.rows_loaded + report_orders.rows_rejected == _lines_as(
                orders, report_orders.encoding
            ), (orders, report_orders.note)
    finally:
        shutil.rmtree(folder)


def _lines_as(data: bytes, codec: str) -> int:
    if codec == "xlsx":
        return 0
    text = data.decode(codec, errors="replace")
    lines = re.split(r"\r\n|\r|\n", text)
    return max(len([line for line in lines if line.strip(" \t,")]) - 1, 0)
