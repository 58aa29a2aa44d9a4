"""`python -m pipelines predict`: refit the customer predictions (BG/NBD + Gamma-Gamma).

python -m pipelines predict [--merchant ID ...] [--db URL] [--quiet]

Fits every merchant with orders (or the ones named), one transaction each, and prints per
merchant whether it was fitted or has too little history, with the calibration check
(holdout purchases predicted vs actual). Exit code 1 when no merchant could be fitted.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from models.db import make_engine, upgrade
from models.settings import Settings
from pipelines import predictions

EXIT_OK = 0
EXIT_NONE_FITTED = 1


def run(args: argparse.Namespace, settings: Settings) -> int:
    engine = make_engine(args.db or settings.db_url)
    upgrade(engine)
    started = time.perf_counter()

    def say(message: str) -> None:
        if not args.quiet:
            print(message, file=sys.stderr)

    now = datetime.now(ZoneInfo(settings.timezone)).replace(tzinfo=None)
    results = predictions.rebuild(engine, args.merchant or None, now=now, progress=say)
    fitted = [r for r in results if r.status == predictions.FITTED]
    for r in results:
        detail = r.message or f"{r.customers:,} customers, {r.repeat_customers:,} bought again"
        print(f"{r.merchant_id}: {r.status} ({detail}) in {r.seconds:.1f}s")
    print(
        f"Predicted {len(fitted)} of {len(results)} merchants in "
        f"{time.perf_counter() - started:.1f}s"
    )
    engine.dispose()
    return EXIT_OK if fitted else EXIT_NONE_FITTED


def add_commands(subparsers: Any, db_help: str) -> None:
    command = subparsers.add_parser(
        "predict",
        help="refit the customer predictions (purchases, churn risk, CLV)",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    command.add_argument("--merchant", action="append", help="merchant id (repeatable)")
    command.add_argument("--db", help=db_help)
    command.add_argument("--quiet", action="store_true", help="no progress output")
    command.set_defaults(run=run)
