"""`python -m pipelines segment`: a segment's customers as CSV, for a CRM or WeCom sync.

python -m pipelines segment --merchant ID (--template NAME | --rules FILE.json)
                            [--db URL] [--out FILE.csv]
python -m pipelines segment --list-templates

Prints the segment's size and GMV share (and each tier's, for a template of several
tiers) and writes `customer_id,segment` (one row per customer in the segment; `segment`
is the tier's name, or the template's / rules file's name). Without --out the CSV goes
to stdout and the figures to stderr, so the command can feed a pipe.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, TextIO

from models import segments as sg
from models.db import make_engine, upgrade
from models.export import csv_bytes, safe_frame
from models.scope import Scope
from models.settings import Settings

EXIT_OK = 0
EXIT_EMPTY = 1
EXIT_BAD_INPUT = 2
OPERATOR = Scope.executive(user="cli")


def _share(value: Any) -> str:
    return "-" if value is None else f"{value:.1%}"


def list_templates(out: TextIO) -> None:
    width = max(len(name) for name in sg.TEMPLATES)
    for name, template in sg.TEMPLATES.items():
        tiers = f"{len(template.tiers)} tiers" if template.multi else "1 segment"
        print(f"{name:<{width}}  {tiers:<9}  {template.description}", file=out)


def _tiers(args: argparse.Namespace) -> tuple[str, tuple[sg.Tier, ...]]:
    if args.template:
        template = sg.TEMPLATES.get(args.template)
        if template is None:
            raise sg.SegmentError(
                f"unknown template {args.template!r}; see python -m pipelines segment "
                "--list-templates"
            )
        return template.name, template.tiers
    path = Path(args.rules)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise sg.SegmentError(f"cannot read {path}: {exc.strerror}") from None
    raw = json.loads(text) if text.strip().startswith("[") else None
    if isinstance(raw, list):  # several tiers: [{"name": ..., "rules": {...}}, ...]
        tiers = []
        for number, item in enumerate(raw, start=1):
            if not isinstance(item, dict) or not isinstance(item.get("name"), str):
                raise sg.SegmentError(f"tier {number}: an object with a name and rules")
            tiers.append(sg.Tier(item["name"], sg.validate(item.get("rules")), item.get("offer")))
        return path.stem, tuple(tiers)
    return path.stem, sg.single(sg.validate(text), path.stem)


def run(args: argparse.Namespace, settings: Settings) -> int:
    if args.list_templates:
        list_templates(sys.stdout)
        return EXIT_OK
    if not args.merchant or bool(args.template) == bool(args.rules):
        print(
            "error: give --merchant and one of --template NAME or --rules FILE.json",
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT
    try:
        name, tiers = _tiers(args)
    except sg.SegmentError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    engine = make_engine(args.db or settings.db_url)
    upgrade(engine)
    as_of = sg.as_of(engine=engine, scope=OPERATOR, merchant_id=args.merchant)
    if as_of is None:
        print(f"error: merchant {args.merchant!r} has no customers loaded", file=sys.stderr)
        return EXIT_EMPTY
    stats = sg.tier_stats(engine=engine, scope=OPERATOR, merchant_id=args.merchant, tiers=tiers)
    people = sg.members(engine=engine, scope=OPERATOR, merchant_id=args.merchant, tiers=tiers)
    report = sys.stdout if args.out else sys.stderr
    total = sg.segment_stats(
        engine=engine, scope=OPERATOR, merchant_id=args.merchant, definition={"conditions": []}
    )
    inside = int(stats["customers"].sum())
    gmv_share = float(stats["share_gmv"].fillna(0).sum())
    print(
        f"Segment {name} of merchant {args.merchant} (as of {as_of}): {inside:,} of "
        f"{total['customers']:,} customers ({_share(inside / total['customers'])}), "
        f"{_share(gmv_share if total['gmv'] else None)} of GMV",
        file=report,
    )
    if len(tiers) > 1:
        for row in stats.itertuples(index=False):
            offer = f", offer: {row.offer}" if row.offer else ""
            print(
                f"  {row.segment}: {row.customers:,} customers ({_share(row.share_customers)}), "
                f"{_share(row.share_gmv)} of GMV{offer}",
                file=report,
            )
        print(f"  in no tier: {total['customers'] - inside:,} customers", file=report)
    frame = people[["customer_id", "segment"]]
    if args.out:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_bytes(csv_bytes(frame, encoding="utf-8"))
        print(f"{len(frame):,} customers written to {args.out}", file=report)
    else:
        safe_frame(frame).to_csv(sys.stdout, index=False)
    engine.dispose()
    return EXIT_OK


def add_commands(subparsers: Any, db_help: str) -> None:
    command = subparsers.add_parser(
        "segment",
        help="export a segment's customer ids as CSV",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    command.add_argument("--merchant", help="merchant id")
    command.add_argument("--template", help="a template name (see --list-templates)")
    command.add_argument("--rules", help="a JSON file with a definition (or a list of tiers)")
    command.add_argument("--db", help=db_help)
    command.add_argument("--out", help="write the CSV here (default: stdout)")
    command.add_argument("--list-templates", action="store_true", help="list the templates")
    command.set_defaults(run=run)
