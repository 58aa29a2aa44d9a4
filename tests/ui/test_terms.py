"""Words that must not be confused on one screen: in Chinese, demo mode (演示, the
invented programme) and presentation mode (投屏模式, the projector) are different words."""

from __future__ import annotations

from ui.i18n import CATALOG, translate


def test_demo_mode_and_presentation_mode_have_distinct_chinese_words() -> None:
    presentation = translate("connections.presentation", "zh")
    assert presentation == "投屏模式"
    banner = translate("demo.banner", "zh")
    assert "演示" in banner and presentation not in banner
    # No presentation text says 演示, and no demo text says 投屏.
    for key, entry in CATALOG.items():
        if key.startswith("connections.presentation"):
            assert "演示" not in entry["zh"], key
        if key.startswith("demo."):
            assert "投屏" not in entry["zh"], key
