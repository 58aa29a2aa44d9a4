"""The command line imports what the command it runs needs, and no more: a load's process
starts without the statistics, scheduler, mart engine and report modules of the others."""

from __future__ import annotations

import argparse
import importlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from pipelines import cli

ROOT = Path(__file__).resolve().parents[2]

# Imported by other commands (or by the marts, which a load imports only when it
# rebuilds them), never by a load's start or its staging work.
NOT_FOR_LOADING = (
    "ibis",
    "pandera",
    "pyspark",
    "statsmodels",
    "scipy",
    "apscheduler",
    "pipelines.marts",
    "pipelines.predictions",
    "models.queries",
    "models.planning",
    *cli.COMMAND_GROUPS,
)

PROBE = """
import json, runpy, sys
sys.argv = ["pipelines", *sys.argv[1:]]
try:
    runpy.run_module("pipelines", run_name="__main__")
except SystemExit:
    pass
import pipelines.load  # what the load command imports once it runs
print(json.dumps(sorted(sys.modules)))
"""


def _modules_after(*argv: str) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *argv],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


def _loaded(modules: set[str], name: str) -> bool:
    return name in modules or any(m.startswith(f"{name}.") for m in modules)


def test_a_load_imports_none_of_the_other_commands_modules() -> None:
    modules = _modules_after("load", "--help")
    assert "pipelines.load" in modules and "pipelines.bulk" in modules
    assert [name for name in NOT_FOR_LOADING if _loaded(modules, name)] == []


def test_the_overall_help_still_lists_every_command() -> None:
    modules = _modules_after("--help")
    assert set(cli.COMMAND_GROUPS) <= modules


@pytest.mark.parametrize("module", sorted(cli.COMMAND_GROUPS))
def test_each_command_group_registers_the_commands_it_is_listed_with(module: str) -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command")
    importlib.import_module(module).add_commands(sub, "db")
    assert tuple(sub.choices) == cli.COMMAND_GROUPS[module]
    for command in cli.COMMAND_GROUPS[module]:
        assert cli._groups_for([command, "--help"]) == [module]
