"""Which text encoding a CSV file is in, decided on the whole file.

UTF-8 (with or without BOM), GBK/GB18030 (as Chinese Excel saves CSV) and UTF-16 (Excel's
"Unicode text", with or without BOM) are read. A short GBK file can also be valid UTF-8
(一品 in GBK is the bytes of UTF-8 һƷ), so when both decode, the one under which the
non-ASCII text is Chinese wins, and the choice is said. A UTF-8 file with a few damaged
bytes is not re-read as GBK (that would garble every Chinese value): it is refused with
the line and column of the first bad byte.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from pathlib import Path

SAMPLE = 1 << 16
CHINESE = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")
# What UTF-8 text of a Chinese export holds besides Chinese: Latin-1 signs (¥ ° ·),
# punctuation (— “ ”), currency and letter-like symbols. GBK bytes read as UTF-8 land
# elsewhere (һƷ: Cyrillic, Latin extended).
COMMON = re.compile(
    r"[\u00a0-\u00ff\u2000-\u206f\u20a0-\u20cf\u2100-\u214f"
    r"\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]"
)
NON_ASCII = re.compile(r"[^\x00-\x7f]")
PLAUSIBLE = 0.5  # the share of non-ASCII characters that must be Chinese
DAMAGED_UTF8_MAX_BAD = 10


class EncodingProblem(Exception):
    """The file is in none of the encodings the contract allows."""


@dataclass(frozen=True)
class Detected:
    codec: str
    note: str = ""


def _chinese_share(text: str, plausible: re.Pattern[str] = CHINESE) -> tuple[float, int]:
    """(share of the non-ASCII characters that are plausible, how many are Chinese)."""
    others = len(NON_ASCII.findall(text)) - text.count("\ufffd")
    good = len(plausible.findall(text))
    return (good / others if others > 0 else 0.0), len(CHINESE.findall(text))


def _utf16_without_bom(sample: bytes) -> str | None:
    """UTF-16 without BOM: a header of ASCII names has a zero in every other byte."""
    pairs = len(sample) // 2
    if pairs < 2:
        return None
    even = sum(1 for b in sample[0 : 2 * pairs : 2] if b == 0)
    odd = sum(1 for b in sample[1 : 2 * pairs : 2] if b == 0)
    if odd >= 0.3 * pairs and even <= 0.05 * pairs:
        return "utf-16-le"
    if even >= 0.3 * pairs and odd <= 0.05 * pairs:
        return "utf-16-be"
    return None


def where(data: bytes, offset: int) -> str:
    """Line and column of a byte offset, as a text editor counts them."""
    line = data.count(b"\n", 0, offset) + 1
    column = offset - (data.rfind(b"\n", 0, offset) + 1) + 1
    return f"line {line}, column {column}"


def _try(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        return None


def detect(path: Path) -> Detected:
    """The codec to read `path` with, and a note when the choice was not obvious."""
    with path.open("rb") as fh:
        head = fh.read(SAMPLE)
    if head.startswith(codecs.BOM_UTF8):
        return Detected("utf-8-sig")
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return Detected("utf-16")
    wide = _utf16_without_bom(head[:4096])
    if wide is not None:
        return Detected(wide, f"read as {wide.upper()} (no byte-order mark)")
    if _all_ascii(path):
        return Detected("utf-8")
    data = path.read_bytes()
    as_utf8 = _try(data, "utf-8")
    as_gb = _try(data, "gb18030")
    if as_utf8 is not None:
        share8, _ = _chinese_share(as_utf8, COMMON)
        if share8 >= PLAUSIBLE or as_gb is None:
            return Detected("utf-8")
        share_gb, _ = _chinese_share(as_gb)
        if share_gb > share8:
            return Detected(
                "gb18030",
                "the file decodes both as UTF-8 and as GBK; read as GBK/GB18030, under "
                "which its text is Chinese",
            )
        return Detected("utf-8", "the file decodes both as UTF-8 and as GBK; read as UTF-8")
    bad = _first_bad_utf8(data)
    repaired = data.decode("utf-8", errors="replace")
    damaged = repaired.count("\ufffd")
    share8, chinese8 = _chinese_share(repaired, COMMON)
    utf8_with_damage = (
        damaged <= DAMAGED_UTF8_MAX_BAD and chinese8 >= 4 * damaged and share8 >= PLAUSIBLE
    )
    if as_gb is not None and not utf8_with_damage:
        return Detected("gb18030")
    raise EncodingProblem(
        f"byte 0x{data[bad]:02x} at {where(data, bad)} is not UTF-8"
        + (" (the rest of the file is UTF-8)" if utf8_with_damage else " nor GBK/GB18030")
        + "; fix that byte, or save the file again as CSV UTF-8"
    )


def _all_ascii(path: Path) -> bool:
    with path.open("rb") as fh:
        return all(block.isascii() for block in iter(lambda: fh.read(1 << 20), b""))


def _first_bad_utf8(data: bytes) -> int:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start
    return 0
