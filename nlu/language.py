"""Which language a message is written in: "en" or "es".

Per message, from word evidence (marker words, Spanish punctuation and
letters). The context's hint only breaks ties: a client who usually writes
Spanish and sends "ok" is still answered in Spanish.
"""
from __future__ import annotations

from functools import lru_cache

from . import fastre, lexicon_en, lexicon_es

_WORD = fastre.compile(r"[a-z]+")
_SPANISH_CHARS = fastre.compile("[¿¡ñáéíóú]")


# A word that marks both languages tells nothing; each of these marks one.
_ES_ONLY = lexicon_es.MARKERS - lexicon_en.MARKERS
_EN_ONLY = lexicon_en.MARKERS - lexicon_es.MARKERS


@lru_cache(maxsize=4096)
def _lean(token: str) -> int:
    """How many more Spanish-only than English-only marker words one token holds (cached:
    the vocabulary of SMS is small)."""
    words = _WORD.findall(token)
    return sum(map(_ES_ONLY.__contains__, words)) - sum(map(_EN_ONLY.__contains__, words))


_MAX_TOKENS = 40        # more than an SMS has: counted over the whole text, not a cache entry per token


def detect(raw_lower: str, normalized: str, hint: str | None = None) -> str:
    """Return "es" or "en" for one message (raw_lower keeps the accents)."""
    # Spanish-only minus English-only evidence; no marker word spans a space, so the count
    # over the text is the sum of its tokens' counts
    tokens = normalized.split()
    if len(tokens) <= _MAX_TOKENS:
        lean = sum(map(_lean, tokens))
    else:
        words = _WORD.findall(normalized)
        lean = sum(map(_ES_ONLY.__contains__, words)) - sum(map(_EN_ONLY.__contains__, words))
    if _SPANISH_CHARS.search(raw_lower):
        lean += 1.5
    if lean > 0:
        return "es"
    if lean < 0:
        return "en"
    if hint in ("en", "es"):
        return hint
    return "en"
