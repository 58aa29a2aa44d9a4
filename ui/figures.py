"""Built figures, kept: a chart builder decorated with `kept` builds its Plotly figure once
per distinct input and hands the same figure to every later rerun.

Building a figure is most of a warm rerun's time on the chart pages (Plotly validates
every property it is given: a small line with its layout takes about 10 ms, a cohort chart
50 ms), while the data under it comes from `st.cache_data` unchanged. The figure is kept
with `st.cache_resource`, keyed on the builder's arguments (the data frames hashed by
Streamlit, the language among them), so it is the same object, not a copy: whoever draws
it must not change it (`st.plotly_chart` only reads it). A builder that a page changes
after building (the workshop's score history) is not kept.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ParamSpec, TypeVar, cast

import streamlit as st

P = ParamSpec("P")
R = TypeVar("R")

MAX_FIGURES = 128  # per builder: a few pages' worth of periods, cohorts and languages


def kept(builder: Callable[P, R]) -> Callable[P, R]:
    """`builder`, its figures kept per distinct arguments (see the module's note)."""
    return cast(
        "Callable[P, R]", st.cache_resource(max_entries=MAX_FIGURES, show_spinner=False)(builder)
    )
