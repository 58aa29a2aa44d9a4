"""The data page: upload a delivery, load it, read the summary and the rejected rows."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from models.contract import ENTITIES, LOAD_ORDER
from tests.pages.apptest import app_as
from ui.data.uploads import check_upload, safe_name
from ui.i18n import translate


@pytest.fixture
def data_page(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> AppTest:
    """The data page of an app on a fresh, empty database."""
    monkeypatch.setenv("GROWTH_DB_URL", f"sqlite:///{tmp_path / 'growth.db'}")
    monkeypatch.setenv("GROWTH_DEMO", "0")
    at = app_as(monkeypatch, f"sqlite:///{tmp_path / 'growth.db'}").run()
    at.switch_page("pages/data.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def delivery_files(folder: Path) -> list[tuple[str, bytes, str]]:
    return [(p.name, p.read_bytes(), "text/csv") for p in sorted(folder.glob("*.csv"))]


def upload_and_load(at: AppTest, files: list[tuple[str, bytes, str]]) -> AppTest:
    at.file_uploader[0].set_value(files).run()
    assert at.button(key="load_delivery").disabled is False
    at.button(key="load_delivery").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def table_with(at: AppTest, header: str) -> pd.DataFrame:
    for frame in at.dataframe:
        if header in frame.value.columns:
            return frame.value
    raise AssertionError(f"no table with a {header!r} column")


def test_bad_delivery_lists_every_rejected_row(data_page: AppTest, bad_delivery_dir: Path) -> None:
    at = upload_and_load(data_page, delivery_files(bad_delivery_dir))

    assert translate("data.summary.header", "en", batch=1) in [s.value for s in at.subheader]
    assert at.warning[0].value == translate("status.partial", "en")
    files = table_with(at, "Rows read").set_index("File")
    assert files.loc["orders.csv", "Contract file"] == translate("vocab.entity.orders", "en")
    assert int(files.loc["orders.csv", "Rejected"]) >= 3
    assert files.loc["merchants.csv", "Rejected"] == "0"

    rejected = table_with(at, "Reason")
    assert set(rejected["File"]) == {"orders.csv"}
    assert {"ordered_at", "channel", "gmv"} <= set(rejected["Column"])
    assert rejected["Reason"].str.len().min() > 0
    assert len(rejected) == int(files.loc["orders.csv", "Rejected"])

    # Filter to one column: only its rows stay, and the download holds what is shown.
    at.multiselect(key="upload_rejections_columns").set_value(["channel"]).run()
    shown = table_with(at, "Reason")
    assert list(shown["Column"]) == ["channel"]
    assert "telepathy" in shown["Value"].iloc[0]
    download = at.download_button(key="upload_rejections_download")
    assert download.label == translate("data.rejections.download", "en")

    # The delivery is in the history, and the uploader is empty for the next one.
    history = table_with(at, "Delivery")
    assert history["Status"].tolist() == [translate("status.short.partial", "en")]
    assert not at.file_uploader[0].value

    # Delivered again: every good row is replaced, not doubled, and the history opens on it.
    at = upload_and_load(at, delivery_files(bad_delivery_dir))
    files = table_with(at, "Rows read").set_index("File")
    assert set(files["New"]) == {"0"}
    assert files.loc["merchants.csv", "Replaced"] == "3"
    assert table_with(at, "Delivery")["Delivery"].tolist() == [2, 1]
    assert at.selectbox(key="history_batch").value == 2


def test_all_or_nothing_refuses_the_delivery(data_page: AppTest, bad_delivery_dir: Path) -> None:
    data_page.checkbox(key="all_or_nothing").check().run()
    at = upload_and_load(data_page, delivery_files(bad_delivery_dir))

    assert at.error[0].value == translate("status.refused", "en")
    files = table_with(at, "Rows read").set_index("File")
    assert set(files["New"]) == {"0"}
    assert not table_with(at, "Reason").empty
    history = table_with(at, "Delivery")
    assert history["Status"].tolist() == [translate("status.short.refused", "en")]

    at.switch_page("pages/overview.py").run()  # nothing was loaded
    assert "merchants.csv" in " ".join(i.value for i in at.info)


def test_a_load_shows_on_the_overview(data_page: AppTest, tiny_delivery_dir: Path) -> None:
    data_page.switch_page("pages/overview.py").run()  # caches "no data" first
    assert not data_page.metric
    data_page.switch_page("pages/data.py").run()
    at = upload_and_load(data_page, delivery_files(tiny_delivery_dir))
    assert at.success[0].value == translate("status.loaded", "en")

    at.switch_page("pages/overview.py").run()
    assert not at.exception
    assert len(at.metric) == 6
    cohorts = table_with(at, "Programme window").set_index("Cohort")
    assert list(cohorts.index) == ["C1"]


def test_an_oversized_file_is_refused_on_the_server(
    monkeypatch: pytest.MonkeyPatch, data_page: AppTest, tiny_delivery_dir: Path
) -> None:
    """The browser enforces the limit too; the server checks again, file by file."""
    monkeypatch.setenv("GROWTH_UPLOAD_MAX_MB", "1")
    data_page.run()  # the uploader is drawn again with the new limit
    big = ("attendance.csv", b"cohort_id\n" + b"x" * (1024 * 1024 + 1), "text/csv")
    files = [f for f in delivery_files(tiny_delivery_dir) if f[0] != "attendance.csv"]
    at = upload_and_load(data_page, [*files, big])

    refused = table_with(at, "Reason").set_index("File")
    assert refused.loc["attendance.csv", "Reason"] == translate("data.refused.size", "en", mb=1)
    # The other files loaded as one delivery, which says a file of it was not loaded
    # (issue 19: never "loaded" with a file skipped).
    assert at.warning[0].value == translate("status.partial", "en")
    loaded = table_with(at, "Rows read").set_index("File")
    assert str(loaded.loc["attendance.csv", "Rows read"]) == "0"
    assert "not loaded" in loaded.loc["attendance.csv", "Note"]
    assert str(loaded.loc["orders.csv", "Rows read"]) != "0"


def test_all_or_nothing_with_a_refused_file_loads_nothing(
    monkeypatch: pytest.MonkeyPatch, data_page: AppTest, tiny_delivery_dir: Path
) -> None:
    monkeypatch.setenv("GROWTH_UPLOAD_MAX_MB", "1")
    data_page.run()  # the uploader is drawn again with the new limit
    data_page.checkbox(key="all_or_nothing").check().run()
    big = ("attendance.csv", b"x" * (1024 * 1024 + 1), "text/csv")
    files = [f for f in delivery_files(tiny_delivery_dir) if f[0] != "attendance.csv"]
    at = upload_and_load(data_page, [*files, big])

    assert at.error[0].value == translate("data.refused.all_or_nothing", "en")
    assert at.info[0].value == translate("data.history.none", "en")


def test_templates_of_every_contract_file(data_page: AppTest) -> None:
    contract = table_with(data_page, "Columns (* required)").set_index("File")
    assert list(contract.index) == [f"{name}.csv" for name in LOAD_ORDER]
    assert contract.loc["merchants.csv", "Required file"] == "yes"
    assert contract.loc["cohorts.csv", "Required file"] == "no"
    assert contract.loc["orders.csv", "Columns (* required)"].startswith(
        "order_id*, merchant_id*, ordered_at*, channel*, gmv*, store_id,"
    )
    labels = {b.label for b in data_page.download_button}
    assert labels >= {translate("data.template.download", "en", file=f"{n}.csv") for n in ENTITIES}


@pytest.mark.parametrize(
    ("uploaded", "expected"),
    [
        ("orders.csv", "orders.csv"),
        ("../../etc/orders.csv", "orders.csv"),
        ("C:\\exports\\Merchants.XLSX", "Merchants.XLSX"),
        ("  .hidden.csv ", "hidden.csv"),
        ("ord<er>s?.csv", "ord_er_s_.csv"),
        ("..", None),
        ("", None),
    ],
)
def test_safe_name(uploaded: str, expected: str | None) -> None:
    assert safe_name(uploaded) == expected


@pytest.mark.parametrize(
    ("name", "size", "expected"),
    [
        ("orders.csv", 10, None),
        ("Merchants.XLSX", 10, None),
        ("orders.txt", 10, "data.refused.extension"),
        ("orders.csv.exe", 10, "data.refused.extension"),
        ("orders.xls", 10, "data.refused.extension"),
        ("orders.csv", 101, "data.refused.size"),
        (None, 10, "data.refused.name"),
    ],
)
def test_check_upload(name: str | None, size: int, expected: str | None) -> None:
    assert check_upload(name, size, max_bytes=100) == expected
