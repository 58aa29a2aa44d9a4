"""Every page, for every role, reads as Chinese in 中文 and as English in English.

Each page is drawn with AppTest on the demo programme and everything it shows (text,
labels, help, options, table cells, chart titles, ticks, legends, hover) goes through
`tests/pages/language_scan.py`: in Chinese no English word outside the allow-list, in
English no Chinese character, in both no raw vocabulary code. Names delivered by the
programme (merchants, stores, guides, cohorts, campaigns, class topics delivered in
attendance) are not the product's text and are left out. The last tests show the check
failing on a catalog entry left in English and on a raw code.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import select

from i18n import catalog
from models.db import make_engine
from models.schema import Campaign, Cohort, Merchant, Store
from models.schema_auth import AuditEvent, User
from tests.pages.apptest import app_as
from tests.pages.language_scan import offences, page_texts
from ui.navigation import PAGES, ROLE_PAGES

WHO = {
    "executive": {},
    "coach": {"cohorts": ("C2018A",)},
    "merchant": {"merchant": "M001"},
}
CASES = [
    (role, name, lang) for lang in ("zh", "en") for role in ROLE_PAGES for name in ROLE_PAGES[role]
]


def delivered_names(db_url: str) -> tuple[str, ...]:
    """Text the programme delivered (and the usernames operators chose), shown as
    delivered in either language."""
    engine = make_engine(db_url)
    try:
        with engine.connect() as connection:
            names: set[str] = set()
            for column in (Merchant.name, Store.name, Cohort.name, Campaign.name, User.username):
                names |= {str(v) for v in connection.execute(select(column)).scalars() if v}
            # who did what to what: operators' and users' names, delivered folders and files
            # (the product's own actors, like the demo builder, are translated)
            for column in (AuditEvent.actor, AuditEvent.target):
                names |= {str(v) for v in connection.execute(select(column)).scalars() if v}
            names -= {"demo builder"}
        return tuple(sorted(names, key=len, reverse=True))
    finally:
        engine.dispose()


def _texts(monkeypatch: pytest.MonkeyPatch, db_url: str, role: str, name: str, lang: str):
    # an account that picked this language last (kept on the account): nothing is written
    at = app_as(monkeypatch, db_url, role, lang=lang, **WHO[role])  # type: ignore[arg-type]
    at.session_state["lang"] = lang
    at.run()
    with caplog_incidents() as incidents:
        at.switch_page(PAGES[name][0]).run()
    assert not at.exception, [e.value for e in at.exception]
    assert incidents == [], incidents  # a page that broke shows one friendly line only
    return page_texts(at)


@contextmanager
def caplog_incidents() -> Iterator[list[str]]:
    """The incidents logged meanwhile (ui/incident.py): an error the page caught."""
    found: list[str] = []

    class Catch(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            found.append(record.getMessage())

    handler = Catch(level=logging.ERROR)
    logger = logging.getLogger("growth.incident")
    logger.addHandler(handler)
    try:
        yield found
    finally:
        logger.removeHandler(handler)


@pytest.mark.parametrize(("role", "name", "lang"), CASES)
def test_page_reads_in_its_language(
    monkeypatch: pytest.MonkeyPatch, demo_db_url: str, role: str, name: str, lang: str
) -> None:
    texts = _texts(monkeypatch, demo_db_url, role, name, lang)
    assert texts, "nothing drawn"
    assert offences(texts, lang, delivered_names(demo_db_url)) == []


def test_the_check_fails_on_an_entry_left_in_english(
    monkeypatch: pytest.MonkeyPatch, demo_db_url: str
) -> None:
    """A catalog entry whose Chinese is still English is caught on the page that shows it."""
    entry = dict(catalog.CATALOG["overview.title"])
    monkeypatch.setitem(catalog.CATALOG, "overview.title", {**entry, "zh": "Programme overview"})
    texts = _texts(monkeypatch, demo_db_url, "executive", "overview", "zh")
    found = offences(texts, "zh", delivered_names(demo_db_url))
    assert found == ["English ['Programme', 'overview']: 'Programme overview'"]


def test_the_check_fails_on_raw_codes_and_the_other_language() -> None:
    assert offences(["门店: store"], "zh") == ["English ['store']: '门店: store'"]
    assert offences(["home"], "en") == ["raw code: 'home'"]  # a cell that is a code
    assert offences(["行业：mother_baby"], "zh") == ["raw code: '行业：mother_baby'"]
    assert offences(["mother_baby"], "en") == ["raw code: 'mother_baby'"]
    assert offences(["Channel: 门店"], "en") == ["Chinese: 'Channel: 门店'"]
    assert offences(["悦禾服饰 grew"], "en", ["悦禾服饰"]) == []
    assert offences(["C2018A 的 GMV 为 ¥12.5万"], "zh") == []
    assert offences(["Upload"], "zh") == ["English ['Upload']: 'Upload'"]
