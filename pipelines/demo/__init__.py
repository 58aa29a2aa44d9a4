"""Demo delivery generator: a synthetic doubling-plan programme as contract CSV files."""

from ._generate import generate_demo

__all__ = ["generate_demo"]
