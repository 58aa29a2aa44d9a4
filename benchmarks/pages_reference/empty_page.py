"""Reference page for benchmarks/pages_benchmark.py: a page that only writes a title."""

import streamlit as st

st.title("Empty page")
