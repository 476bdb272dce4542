"""Which language a message is written in: "en" or "es".

Per message, from word evidence (marker words, Spanish punctuation and
letters). The context's hint only breaks ties: a client who usually writes
Spanish and sends "ok" is still answered in Spanish.
"""
from __future__ import annotations

from . import fastre, lexicon_en, lexicon_es

_WORD = fastre.compile(r"[a-z]+")
_SPANISH_CHARS = fastre.compile("[¿¡ñáéíóú]")


# A word that marks both languages tells nothing; each of these marks one.
_ES_ONLY = lexicon_es.MARKERS - lexicon_en.MARKERS
_EN_ONLY = lexicon_en.MARKERS - lexicon_es.MARKERS


def detect(raw_lower: str, normalized: str, hint: str | None = None) -> str:
    """Return "es" or "en" for one message (raw_lower keeps the accents)."""
    es = 0.0
    en = 0.0
    if _SPANISH_CHARS.search(raw_lower):
        es += 1.5
    words = _WORD.findall(normalized)
    es += sum(map(_ES_ONLY.__contains__, words))
    en += sum(map(_EN_ONLY.__contains__, words))
    if es > en:
        return "es"
    if en > es:
        return "en"
    if hint in ("en", "es"):
        return hint
    return "en"
