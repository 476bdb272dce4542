"""How long a text is, as a phone company counts it.

A GSM-7 text holds 160 characters in one segment and 153 per segment when
split; one character outside GSM-7 turns the whole text into UCS-2 (70, then
67 per segment), which halves what fits. Our replies must fit in two
segments, so English avoids such characters and SMS replies fold accents
GSM-7 lacks ("á" -> "a"; "é", "ñ", "¿" and "¡" are GSM-7 and stay).
"""
from __future__ import annotations

import unicodedata

GSM7_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENDED = set("^{}\\[~]|€\f")   # each costs two characters
MAX_SEGMENTS = 2
SMART_PUNCTUATION = {"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "…": "...", "\u00a0": " "}


def is_gsm7(text: str) -> bool:
    return all(ch in GSM7_BASIC or ch in GSM7_EXTENDED for ch in text)


def segments(text: str) -> int:
    """How many SMS segments the text takes."""
    if is_gsm7(text):
        length = sum(2 if ch in GSM7_EXTENDED else 1 for ch in text)
        return 1 if length <= 160 else -(-length // 153)
    units = len(text.encode("utf-16-le")) // 2
    return 1 if units <= 70 else -(-units // 67)


def fold_to_gsm7(text: str) -> str:
    """Replace what GSM-7 lacks with its nearest GSM-7 spelling, where there is one."""
    out = []
    for ch in text:
        if ch in GSM7_BASIC or ch in GSM7_EXTENDED:
            out.append(ch)
        elif ch in SMART_PUNCTUATION:
            out.append(SMART_PUNCTUATION[ch])
        else:
            base = unicodedata.normalize("NFD", ch)[0]
            out.append(base if base in GSM7_BASIC else ch)
    return "".join(out)


def fits(text: str, max_segments: int = MAX_SEGMENTS) -> bool:
    return segments(text) <= max_segments
