"""Benchmark: the Campaign payback page, cold and warm, at demo scale, and warm again
after a write that does not touch campaigns (a segment saved) and after one that does
(a margin rate set).

    python benchmarks/payback_benchmark.py --db sqlite:////tmp/x/growth.db [--merchant M062]

Runs the app under Streamlit's AppTest as an executive and as the merchant (the page
script run end to end, the cached reads included; no browser). Prints a Markdown row per
step to paste into docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import select  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from models import auth, segments  # noqa: E402
from models.db import make_engine, upgrade  # noqa: E402
from models.schema_auth import User  # noqa: E402
from models.scope import Scope  # noqa: E402
from ui.auth import AUTH_USER_KEY, LAST_SEEN_KEY  # noqa: E402
from ui.data import segments as segment_data  # noqa: E402
from ui.i18n import translate  # noqa: E402

PAGE = "pages/campaigns.py"


def user_id(db_url: str, merchant: str) -> int:
    engine = make_engine(db_url)
    upgrade(engine)
    name = f"bench-{merchant}".lower()
    with engine.connect() as connection:
        found = connection.execute(select(User.user_id).where(User.username == name)).scalar()
    if found is None:
        auth.add_user(
            engine,
            username=name,
            role="merchant",
            password=None,
            actor="bench",
            merchants=[merchant],
        )
        with engine.connect() as connection:
            found = connection.execute(select(User.user_id).where(User.username == name)).scalar()
    engine.dispose()
    return int(found)


def timed(at: AppTest) -> float:
    started = time.perf_counter()
    at.run()
    seconds = time.perf_counter() - started
    if at.exception:
        raise SystemExit(f"the page failed: {[e.value for e in at.exception]}")
    titles = [t.value for t in at.title]
    if translate("campaigns.title", "en") not in titles:
        raise SystemExit(f"not on the payback page: {titles}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--merchant", default="M062")
    args = parser.parse_args()
    os.environ["GROWTH_DB_URL"] = args.db
    os.environ["GROWTH_DEMO"] = "0"
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.session_state[AUTH_USER_KEY] = user_id(args.db, args.merchant)
    at.session_state[LAST_SEEN_KEY] = time.time()
    at.run()
    at.switch_page(PAGE)
    rows = [("payback page, cold (first open)", timed(at))]
    rows.append(("payback page, warm (rerun)", timed(at)))
    # a segment saved (through the same cached layer the segment builder uses)
    engine = make_engine(args.db)
    scope = Scope.merchant(args.merchant, user="bench")
    segment_data.save(
        engine,
        scope,
        args.merchant,
        "bench segment",
        segments.TEMPLATES["lapsed_90d"].tiers[0].definition,
        None,
    )
    rows.append(("payback page, after a segment was saved", timed(at)))
    rows.append(("payback page, warm again", timed(at)))
    print("| step | seconds |")
    print("|---|---:|")
    for label, seconds in rows:
        print(f"| {label} | {seconds:.2f} |")


if __name__ == "__main__":
    main()
