"""`python -m pipelines users ...`: local accounts, roles, scopes, passwords, the audit log.

    users add NAME --role executive|coach|merchant [--cohort C ...] [--merchant M]
              [--email E] [--display-name N] [--password-stdin | --sso-only]
    users list | audit [--limit N]
    users set-role NAME ROLE | grant NAME (--cohort C ... | --merchant M)
    users revoke NAME (--cohort C ... | --merchant M) | reset-password NAME [--password-stdin]
    users deactivate NAME | activate NAME | unlock NAME

Without --password-stdin a password is generated and printed once.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import Any

from models import auth, grants
from models.db import make_engine, upgrade
from models.scope import Scope
from models.settings import Settings

ACTOR = f"cli:{getpass.getuser()}"


def _password(args: argparse.Namespace) -> tuple[str | None, bool]:
    """The password to set, and whether it was generated (and must be shown)."""
    if getattr(args, "sso_only", False):
        return None, False
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n"), False
    return auth.generate_password(), True


def run(args: argparse.Namespace, settings: Settings) -> int:
    engine = make_engine(args.db or settings.db_url)
    upgrade(engine)
    try:
        return _run(args, engine)
    except auth.AuthError as problem:
        print(f"error: {problem}", file=sys.stderr)
        return 1


def _run(args: argparse.Namespace, engine: Any) -> int:
    action = args.users_action
    if action == "add":
        password, generated = _password(args)
        auth.add_user(
            engine,
            username=args.name,
            role=args.role,
            password=password,
            actor=ACTOR,
            email=args.email,
            display_name=args.display_name or "",
            cohorts=args.cohort or [],
            merchants=args.merchant or [],
        )
        print(f"Added {args.name.lower()} ({args.role}).")
        if generated:
            print(f"Password (shown once): {password}")
    elif action == "list":
        frame = auth.list_users(engine)
        print(frame.to_string(index=False) if not frame.empty else "No users.")
    elif action == "audit":
        frame = auth.audit_log(engine=engine, scope=Scope.executive(user=ACTOR), limit=args.limit)
        print(frame.to_string(index=False) if not frame.empty else "No events.")
    elif action == "set-role":
        grants.set_role(engine, username=args.name, role=args.role, actor=ACTOR)
        print(f"{args.name}: role {args.role} (scopes cleared; grant new ones).")
    elif action in ("grant", "revoke"):
        change = grants.grant if action == "grant" else grants.revoke
        change(
            engine,
            username=args.name,
            actor=ACTOR,
            cohorts=args.cohort or [],
            merchants=args.merchant or [],
        )
        print(f"{args.name}: {action}ed.")
    elif action == "reset-password":
        password, generated = _password(args)
        assert password is not None
        auth.reset_password(engine, username=args.name, password=password, actor=ACTOR)
        print(f"{args.name}: password reset, account unlocked.")
        if generated:
            print(f"Password (shown once): {password}")
    elif action in ("activate", "deactivate"):
        auth.set_active(engine, username=args.name, active=action == "activate", actor=ACTOR)
        print(f"{args.name}: {action}d.")
    elif action == "unlock":
        auth.unlock(engine, username=args.name, actor=ACTOR)
        print(f"{args.name}: unlocked.")
    return 0


def add_commands(sub: Any, db_help: str) -> None:
    users = sub.add_parser(
        "users",
        help="local accounts, roles, scopes and the audit log",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    users.add_argument("--db", help=db_help)
    users.set_defaults(run=run)
    actions = users.add_subparsers(dest="users_action", required=True)

    add = actions.add_parser("add", help="add a user")
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=auth.ROLES)
    add.add_argument("--cohort", action="append", help="a cohort a coach coaches (repeat)")
    add.add_argument("--merchant", action="append", help="the merchant of a merchant user")
    add.add_argument("--email", help="email for single sign-on")
    add.add_argument("--display-name")
    secret = add.add_mutually_exclusive_group()
    secret.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    secret.add_argument("--sso-only", action="store_true", help="no password: SSO only")

    actions.add_parser("list", help="list users with their scopes")
    audit = actions.add_parser("audit", help="the latest audit events")
    audit.add_argument("--limit", type=int, default=50)

    role = actions.add_parser("set-role", help="change a user's role (clears its scopes)")
    role.add_argument("name")
    role.add_argument("role", choices=auth.ROLES)

    for name in ("grant", "revoke"):
        change = actions.add_parser(name, help=f"{name} cohorts or the merchant")
        change.add_argument("name")
        change.add_argument("--cohort", action="append")
        change.add_argument("--merchant", action="append")

    reset = actions.add_parser("reset-password", help="set a new password and unlock")
    reset.add_argument("name")
    reset.add_argument("--password-stdin", action="store_true")

    for name in ("deactivate", "activate", "unlock"):
        actions.add_parser(name, help=f"{name} a user").add_argument("name")
