"""English words the rules rely on: weekdays, months, parts of the day, and
the small vocabulary that tells English from Spanish."""

WEEKDAYS = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4,
    "saturday": 5, "sunday": 6,
}

MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6,
    "july": 7, "august": 8, "september": 9, "october": 10, "november": 11,
    "december": 12,
}

ORDINAL_WORDS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
    "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11,
    "twelfth": 12, "thirteenth": 13, "fourteenth": 14, "fifteenth": 15,
    "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19,
    "twentieth": 20, "thirtieth": 30,
}

# Words frequent in English client messages and rare in Spanish ones.
MARKERS = frozenset("""
the a an i you my me can could would we is it at to for on in of and or but
please thanks thank hi hello hey yes yeah yep no nope not cant dont wont im ill
appointment appointments cancel reschedule move push instead tomorrow today
morning afternoon evening tonight next week weekend what when who how time
do does did be there will need want sorry late running call help stop start
any anything something sounds good works great see then that this
monday tuesday wednesday thursday friday saturday sunday just make it its
have has get got with from after before between earlier later one
""".split())
