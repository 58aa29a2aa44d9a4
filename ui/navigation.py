"""Navigation: every page once, and which pages each role sees.

Adding a page is two data changes here: an entry in `PAGES`, and its name in the
`ROLE_PAGES` of every role that may open it. A page missing from a role's list is not
in that role's navigation at all, so its URL does not open for that role either.
"""

from __future__ import annotations

import streamlit as st

from models.scope import Role
from ui import widgets
from ui.i18n import t

# Every page once: file, URL path, title key, icon, navigation section key. Icons are
# emoji: the current page's icon becomes the favicon, and a Material icon favicon is
# fetched from Google, which a deployment that keeps merchant data in house must not do.
# A URL path must differ from its file's stem: with a `pages/` folder next to app.py,
# Streamlit's first run of a process (and every AppTest run) goes through its legacy
# pages-folder router, which would otherwise run the page file without this frame.
PAGES: dict[str, tuple[str, str, str, str, str]] = {
    "overview": (
        "pages/overview.py",
        "programme",
        "page.overview",
        "📊",
        "nav.programme",
    ),
    "data": ("pages/data.py", "deliveries", "page.data", "📥", "nav.data"),
    "workshop": (
        "pages/workshop.py",
        "workshop",
        "connections.page.workshop",
        "🧭",
        "nav.programme",
    ),
    "assessment": (
        "pages/assessment.py",
        "self-assessment",
        "connections.page.assessment",
        "📝",
        "nav.merchant",
    ),
    "business": ("pages/my_business.py", "business", "page.business", "🏪", "nav.merchant"),
    "audit": ("pages/audit.py", "audit", "page.audit", "📜", "nav.admin"),
    "segments": ("pages/segments.py", "segment-builder", "segments.page", "🎯", "nav.merchant"),
    "roi": ("pages/roi.py", "cohort-roi", "roi.page", "📈", "nav.programme"),
    "campaigns": ("pages/campaigns.py", "payback", "campaigns.page", "💰", "nav.merchant"),
    "customers": ("pages/customers.py", "outlook", "predictions.page", "🔮", "nav.merchant"),
    "alerts": ("pages/alerts.py", "alert-inbox", "alerts.page", "🔔", "nav.programme"),
    "mydata": ("pages/my_data.py", "my-data", "mydata.page", "📤", "nav.merchant"),
    "users": ("pages/users.py", "accounts", "users.page", "👥", "nav.admin"),
}
# Which pages each role sees, the first being its home page. The role comes from the
# logged-in identity (ui/auth.py), never from a widget.
ROLE_PAGES: dict[Role, tuple[str, ...]] = {
    "executive": (
        "overview",
        "data",
        "business",
        "audit",
        "users",
        "workshop",
        "assessment",
        "segments",
        "roi",
        "campaigns",
        "customers",
        "alerts",
    ),
    "coach": (
        "overview",
        "business",
        "workshop",
        "assessment",
        "segments",
        "roi",
        "campaigns",
        "customers",
        "alerts",
        "users",
    ),
    "merchant": (
        "business",
        "mydata",
        "assessment",
        "segments",
        "campaigns",
        "customers",
        "alerts",
        "users",
    ),
}


def build_pages(role: Role) -> dict[str, list[st.Page]]:
    """The navigation for `role`, grouped in sections; also remembered by name so pages
    can link to each other (`widgets.page_link`)."""
    sections: dict[str, list[st.Page]] = {}
    by_name: dict[str, st.Page] = {}
    for number, name in enumerate(ROLE_PAGES[role]):
        path, url_path, title_key, icon, section_key = PAGES[name]
        page = st.Page(path, title=t(title_key), icon=icon, url_path=url_path, default=number == 0)
        sections.setdefault(t(section_key), []).append(page)
        by_name[name] = page
    st.session_state[widgets.PAGES_KEY] = by_name
    return sections
