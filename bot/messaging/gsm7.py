"""How long a text is, as a phone company counts it.

A GSM-7 text holds 160 characters in one segment and 153 per segment when
split; one character outside GSM-7 turns the whole text into UCS-2 (70, then
67 per segment), which halves what fits. Our replies must fit in two
segments, so English avoids such characters and SMS replies fold accents
GSM-7 lacks ("á" -> "a"; "é", "ñ", "¿" and "¡" are GSM-7 and stay).
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache

GSM7_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENDED = set("^{}\\[~]|€\f")   # each costs two characters
MAX_SEGMENTS = 2
SMART_PUNCTUATION = {"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "…": "...", "\u00a0": " "}


_GSM7 = frozenset(GSM7_BASIC | GSM7_EXTENDED)


def is_gsm7(text: str) -> bool:
    # (A set test over the string runs in C: every reply is checked.)
    return _GSM7.issuperset(text)


def segments(text: str) -> int:
    """How many SMS segments the text takes."""
    if is_gsm7(text):
        length = len(text) + sum(text.count(ch) for ch in GSM7_EXTENDED)
        return 1 if length <= 160 else -(-length // 153)
    units = len(text.encode("utf-16-le")) // 2
    return 1 if units <= 70 else -(-units // 67)


def fold_to_gsm7(text: str) -> str:
    """Replace what GSM-7 lacks with its nearest GSM-7 spelling, where there is one."""
    if is_gsm7(text):
        return text
    return "".join(map(_folded, text))


@lru_cache(maxsize=4096)
def _folded(ch: str) -> str:
    if ch in _GSM7:
        return ch
    if ch in SMART_PUNCTUATION:
        return SMART_PUNCTUATION[ch]
    base = unicodedata.normalize("NFD", ch)[0]
    return base if base in GSM7_BASIC else ch


def fits(text: str, max_segments: int = MAX_SEGMENTS) -> bool:
    return segments(text) <= max_segments
