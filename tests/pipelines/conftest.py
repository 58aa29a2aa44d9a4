"""Fixtures of the pipeline tests: one local Spark session for the parity tests."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.pipelines.parity import spark_session


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    yield from spark_session()
