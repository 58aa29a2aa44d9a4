"""Reports for automation, as JSON on stdout.

python -m pipelines report uplift --cohort ID [--db URL] [--baseline pre28|last_year|START:END]
python -m pipelines report campaign --campaign ID [--db URL]

Uplifts are fractions (3.76 means +376%); see docs/roi.md for the definitions.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from models.campaign_report import campaign_report
from models.campaigns import campaign_detail
from models.db import make_engine, upgrade
from models.scope import Scope
from models.settings import Settings
from models.uplift import cohort_uplift, parse_baseline, uplift_report

OPERATOR = Scope.executive(user="cli")
EXIT_OK = 0
EXIT_NOT_FOUND = 1
EXIT_USAGE = 2


def _print(report: dict[str, Any]) -> None:
    print(json.dumps(report, indent=2, ensure_ascii=False, default=str))


def cmd_uplift(args: argparse.Namespace, settings: Settings) -> int:
    try:
        parse_baseline(args.baseline)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    engine = make_engine(args.db or settings.db_url)
    upgrade(engine)
    result = cohort_uplift(
        engine=engine, scope=OPERATOR, cohort_id=args.cohort, baseline=args.baseline
    )
    if result is None:
        print(f"error: no cohort {args.cohort!r}", file=sys.stderr)
        return EXIT_NOT_FOUND
    _print(uplift_report(result))
    return EXIT_OK


def cmd_campaign(args: argparse.Namespace, settings: Settings) -> int:
    engine = make_engine(args.db or settings.db_url)
    upgrade(engine)
    detail = campaign_detail(engine=engine, scope=OPERATOR, campaign_id=args.campaign)
    if detail is None:
        print(f"error: no campaign {args.campaign!r}", file=sys.stderr)
        return EXIT_NOT_FOUND
    _print(campaign_report(detail))
    return EXIT_OK


def add_commands(subparsers: Any, db_help: str) -> None:
    report = subparsers.add_parser("report", help="uplift and campaign reports as JSON")
    kinds = report.add_subparsers(dest="report", required=True)
    uplift = kinds.add_parser("uplift", help="a cohort's raw and causal uplift")
    uplift.add_argument("--cohort", required=True)
    uplift.add_argument("--db", help=db_help)
    uplift.add_argument(
        "--baseline",
        default="pre28",
        help="pre28 (the 28 days before the start), last_year, or START:END (ISO dates)",
    )
    uplift.set_defaults(run=cmd_uplift)
    campaign = kinds.add_parser("campaign", help="a campaign's lift, ROI and payback")
    campaign.add_argument("--campaign", required=True)
    campaign.add_argument("--db", help=db_help)
    campaign.set_defaults(run=cmd_campaign)
