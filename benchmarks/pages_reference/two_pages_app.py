"""Reference app for benchmarks/pages_benchmark.py: the empty two-page Streamlit app the
browser's click-to-settled is compared with (navigation in the sidebar, a title each)."""

import streamlit as st


def one() -> None:
    st.title("Page one")


def two() -> None:
    st.title("Page two")


st.navigation(
    [
        st.Page(one, title="One", url_path="one", default=True),
        st.Page(two, title="Two", url_path="two"),
    ],
    position="sidebar",
).run()
