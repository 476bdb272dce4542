"""Carrier keywords: a message that is exactly one keyword (any case, with
trailing punctuation or emoji) is read the way carriers read it.

The one exception is the README's: a lone "CANCEL" (or "CANCELAR") is the
client's wish to cancel their appointment, intent `cancel`; that carriers
also treat it as an opt-out is the SMS channel's business, not ours.
"YES" is never an opt-in here: it answers the question in `awaiting`.
"""
from __future__ import annotations

from . import fastre

OPT_OUT = frozenset({
    "stop", "stopall", "stop all", "unsubscribe", "end", "quit", "revoke", "optout", "opt out",
    "opt-out", "stop please", "stop pls", "unsub",
    # Spanish carrier keywords
    "baja", "alto", "parar", "detener", "cancelar suscripcion",
})
OPT_IN = frozenset({"start", "unstop", "subscribe", "optin", "opt in", "opt-in", "resume", "alta", "reanudar"})
HELP = frozenset({"help", "info", "ayuda", "informacion", "help me", "?"})

_SEP = fastre.compile(r"[\s\-_]+")
_TRIM = fastre.compile(r"^[\s.!?¡¿,;:)(*\"']+|[\s.!?¡¿,;:)(*\"']+$")


# _TRIM's characters, for str.strip (the same trimming without a regex scan): the
# punctuation and every character that regex \s matches (all of them are below U+3001).
_TRIM_CHARS = ".!?¡¿,;:)(*\"'" + "".join(c for c in map(chr, range(0x3001)) if c.isspace())


def carrier_keyword(folded: str) -> str | None:
    """Intent for a message that is only a carrier keyword, else None."""
    t = folded.strip(_TRIM_CHARS)
    # _SEP's rewrite changes nothing when the only separators are single spaces (every other
    # whitespace character is unprintable to str.isprintable), as in normalized text
    if "-" in t or "_" in t or "  " in t or not t.isprintable():
        t = _SEP.sub(" ", t)
    if t in OPT_OUT:
        return "opt_out"
    if t in OPT_IN:
        return "opt_in"
    if t in HELP:
        return "help"
    return None
