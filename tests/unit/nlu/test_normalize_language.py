"""SMS writing is normalized before any rule runs; the language is told per message."""
from __future__ import annotations

import pytest

from nlu import understand
from nlu.language import detect
from nlu.normalize import normalize

from .conftest import make_context


@pytest.mark.parametrize("raw,norm", [
    ("cant do 2morrow can u do fri aft", "cant do tomorrow can you do friday afternoon"),
    ("Wensday at 3.30??", "wednesday at 3.30 ? ?"),
    ("thrusday", "thursday"),
    ("febuary 3rd", "february 3rd"),
    ("el viernez a las once y media porfa", "el viernes a las 11 y media por favor"),
    ("CAN I MOVE MY APPT", "can i move my appointment"),
    ("2️⃣", "2"),
    ("👍", "ok"),
    ("half past four", "half past 4"),
    ("at 3 p.m.", "at 3 pm"),
    ("Dec. 3rd", "december 3rd"),
    ("cancela las dos", "cancela las 2"),          # an inflection is not a typo of "cancel"
    ("match on sunday", "match on sunday"),        # real words are not "corrected"
    ("nine fifty nine a m", "9 59 am"),
    ("cuarenta y cinco", "45"),
])
def test_normalize(raw, norm):
    assert normalize(raw) == norm


@pytest.mark.parametrize("text,hint,lang", [
    ("can we do thursday afternoon instead", None, "en"),
    ("se puede mañana por la tarde?", None, "es"),
    ("no me llamen", None, "es"),
    ("hola", None, "es"),
    ("Y", None, "en"),
    ("ok", "es", "es"),                 # nothing to go on: the hint decides
    ("ok", None, "en"),
    ("sí", "en", "es"),                 # the message decides, not the hint
    ("thanks!", "es", "en"),
])
def test_language(text, hint, lang):
    assert understand(text, make_context(lang=hint)).lang == lang


def test_detect_uses_accents():
    assert detect("qué tal", normalize("qué tal")) == "es"
