"""Filters follow who is looking: when the person looking changes (demo mode's "view as"
switch, or another login in the same browser session), the filters the previous person
picked are forgotten, so the new one starts from its own defaults (a coach's or a
merchant's period is its cohort's programme window) instead of an executive's months."""

from __future__ import annotations

from collections.abc import Iterable

import streamlit as st

from models.scope import Scope

LOOKING_KEY = "_filters_scope"
# Page widgets whose picks belong to the person who made them.
PAGE_KEYS = ("workshop_cohort", "workshop_sidebar", "workshop_merchant", "workshop_step")


def forget_filters_on_switch(scope: Scope, keys: Iterable[str]) -> bool:
    """Drop `keys` (the frame's filters) and the page picks from the session when `scope`
    is not the scope the filters were picked under; True when something was reset."""
    before = st.session_state.get(LOOKING_KEY)
    st.session_state[LOOKING_KEY] = scope
    if before is None or before == scope:
        return False
    for key in (*keys, *PAGE_KEYS):
        st.session_state.pop(key, None)
    return True
