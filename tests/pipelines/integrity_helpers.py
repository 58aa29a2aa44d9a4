"""Small deliveries for the load-integrity tests (issue 19), and ways to look at what loaded."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, func, select

from models.schema import STAGING, MartMerchantDay
from pipelines.load import FileReport, LoadReport, load_delivery

MERCHANTS = "merchant_id,name,industry\nM1,Alpha Tea,food_beverage\nM2,Beta Wear,apparel\n"
ORDER_HEADER = "order_id,merchant_id,ordered_at,channel,gmv,customer_id\n"


def order_lines(n: int, merchant: str = "M1", start: int = 1) -> str:
    return "".join(
        f"O{i},{merchant},2024-03-01 10:{i % 60:02d},store,{i}.50,C{i}\n"
        for i in range(start, start + n)
    )


def write(folder: Path, files: dict[str, str | bytes]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        path = folder / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return folder


def load(folder: Path, engine: Engine, **kwargs: object) -> LoadReport:
    return load_delivery(folder, engine=engine, loaded_by="test", **kwargs)  # type: ignore[arg-type]


def file_report(report: LoadReport, name: str) -> FileReport:
    [found] = [f for f in report.files if f.file_name == name]
    return found


def count(engine: Engine, table: str) -> int:
    with engine.connect() as connection:
        stmt = select(func.count()).select_from(STAGING[table].__table__)
        return int(connection.execute(stmt).scalar_one())


def column(engine: Engine, table: str, name: str, **where: str) -> list[object]:
    model = STAGING[table].__table__
    stmt = select(model.c[name]).order_by(*model.primary_key.columns)
    for key, value in where.items():
        stmt = stmt.where(model.c[key] == value)
    with engine.connect() as connection:
        return list(connection.execute(stmt).scalars())


def mart_gmv(engine: Engine) -> dict[str, float]:
    """GMV per merchant as the pages read it (the merchant-day mart)."""
    mart = MartMerchantDay.__table__
    stmt = select(mart.c.merchant_id, func.sum(mart.c.gmv)).group_by(mart.c.merchant_id)
    with engine.connect() as connection:
        return {m: round(float(g or 0), 2) for m, g in connection.execute(stmt)}


def reasons(report: LoadReport) -> list[tuple[str, int, str, str]]:
    return [
        (r.file_name, int(r.line), str(r.column), str(r.reason))
        for r in report.rejections.itertuples(index=False)
    ]
