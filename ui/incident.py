"""What a user sees when something breaks: one friendly sentence and an incident id.

The full error, with its traceback, goes to the server log under the same id, so an
operator can find it; no traceback, server path or SQL ever reaches the browser (with
`client.showErrorDetails = "none"` in .streamlit/config.toml for anything that slips
past the frame).
"""

from __future__ import annotations

import logging
import uuid

import streamlit as st
from sqlalchemy.exc import DBAPIError, OperationalError

from ui.i18n import t

log = logging.getLogger("growth.incident")
LOG_LINE = "incident %s: %s"  # for the server log only


def incident_id() -> str:
    return uuid.uuid4().hex[:10]


def message_key(error: BaseException) -> str:
    """The catalog key of what to tell the user about `error`."""
    if isinstance(error, OperationalError | DBAPIError):
        return "error.database"
    return "error.unexpected"


def show(error: BaseException) -> str:
    """Log `error` with a new incident id and tell the user, in their language; returns
    the id."""
    number = incident_id()
    log.error(LOG_LINE, number, type(error).__name__, exc_info=error)
    st.error(t(message_key(error), incident=number), icon=":material/error:")
    return number
