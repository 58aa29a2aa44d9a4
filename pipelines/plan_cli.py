"""`python -m pipelines plan`: what a holdout or a cohort can detect, as JSON.

python -m pipelines plan --merchant ID [--customers N] [--holdout 0.2] [--target-lift 0.1]
                         [--db URL]
python -m pipelines plan --cohort ID [--controls N] [--db URL]

For a merchant: the minimum detectable lift in GMV per customer for a segment of N
customers (default: all its customers) with the given holdout share, the spend mean and
spread it is computed from, and (with --target-lift) the holdout share needed for that
lift. For a cohort: the minimum detectable causal uplift for its merchants against the
controls, with the merchant-level design effect. Definitions in models/planning.py.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from models import planning
from models.db import make_engine, upgrade
from models.scope import Scope
from models.settings import Settings

EXIT_OK = 0
EXIT_NOT_FOUND = 1
EXIT_BAD_INPUT = 2
OPERATOR = Scope.executive(user="cli")


def merchant_plan(
    engine: Any, merchant_id: str, customers: int | None, holdout: float, target: float | None
) -> dict[str, Any] | None:
    stats = planning.spend_stats(engine=engine, scope=OPERATOR, merchant_id=merchant_id)
    if stats is None:
        return None
    size = customers or stats.customers
    lift = planning.detectable_lift(
        customers=size, holdout_share=holdout, mean=stats.mean, sd=stats.sd
    )
    treatment, held = planning.groups(size, holdout)
    out: dict[str, Any] = {
        "merchant_id": merchant_id,
        "customers": size,
        "holdout_share": holdout,
        "treatment": treatment,
        "holdout": held,
        "spend_mean": round(stats.mean, 4),
        "spend_sd": round(stats.sd, 4),
        "detectable_lift": None if lift is None else round(lift, 6),
        "readable": lift is not None and lift <= planning.READABLE_LIFT,
    }
    if target is not None:
        needed = planning.holdout_needed(
            customers=size, target_lift=target, mean=stats.mean, sd=stats.sd
        )
        out |= {"target_lift": target, "holdout_needed": needed}
    return out


def run(args: argparse.Namespace, settings: Settings) -> int:
    if bool(args.merchant) == bool(args.cohort):
        print("give one of --merchant or --cohort", file=sys.stderr)
        return EXIT_BAD_INPUT
    if not 0 < args.holdout <= 0.5:
        print("--holdout is a share between 0 and 0.5", file=sys.stderr)
        return EXIT_BAD_INPUT
    engine = make_engine(args.db or settings.db_url)
    upgrade(engine)
    if args.merchant:
        result = merchant_plan(
            engine, args.merchant, args.customers, args.holdout, args.target_lift
        )
    else:
        plan = planning.cohort_plan(
            engine=engine, scope=OPERATOR, cohort_id=args.cohort, controls=args.controls
        )
        result = None if plan is None else plan.as_dict()
    if result is None:
        print(f"no data for {args.merchant or args.cohort!r}", file=sys.stderr)
        return EXIT_NOT_FOUND
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return EXIT_OK


def add_commands(subparsers: Any, db_help: str) -> None:
    command = subparsers.add_parser(
        "plan",
        help="what a holdout or a cohort can detect (JSON)",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    command.add_argument("--merchant", help="merchant id (plan a campaign's holdout)")
    command.add_argument("--customers", type=int, help="segment size (default: all customers)")
    command.add_argument("--holdout", type=float, default=0.2, help="holdout share (0.2)")
    command.add_argument("--target-lift", type=float, help="the lift to detect (0.1 = +10%%)")
    command.add_argument("--cohort", help="cohort id (plan a cohort)")
    command.add_argument("--controls", type=int, help="number of control merchants")
    command.add_argument("--db", help=db_help)
    command.set_defaults(run=run)
