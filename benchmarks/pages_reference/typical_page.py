"""Reference page for benchmarks/pages_benchmark.py: the "typical page" of issue 10.

It reads the delivery's orders CSV with pandas and groups daily GMV on every rerun (no
cache), then draws it. The CSV is named by the environment variable BENCH_ORDERS_CSV.
"""

import os

import pandas as pd
import streamlit as st

st.title("Typical page")
orders = pd.read_csv(os.environ["BENCH_ORDERS_CSV"], parse_dates=["ordered_at"])
daily = orders.groupby(orders["ordered_at"].dt.date)["gmv"].sum()
st.metric("GMV", f"{daily.sum():,.0f}")
st.line_chart(daily)
