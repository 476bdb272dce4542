"""`understand()`: one message plus its context in, an Understanding out.

Pure and fast: every pattern is compiled at import, nothing is looked up
outside the arguments, and no state survives a call.

Steps: normalize the text (normalize.py), tell its language (language.py),
find the days and times it names (timeparse.py with clock.py, days.py,
relative.py), pick an offered option (reference.py), decide the intent
(intents.py), pick the appointment meant (reference.py), and resolve the
requested time against that appointment.

`confidence` is the lowest of the intent rule's confidence (1.0 for a carrier
keyword, about 0.9 for an explicit request, 0.6 or less for a guess such as
a bare time with nothing else, 0.3 for unknown) and the appointment choice's
(0.5 when several appointments fit), and at most 0.7 when the time is
ambiguous (`when_any`): below about 0.7 the dialogue should ask.
"""
from __future__ import annotations

from dataclasses import replace

from . import acts, cues, fastre, intents, language, literals, reference, timeparse
from .normalize import MAX_CHARS, fold, normalize
from .understanding import Context, Understanding, Window

# Intents for which the dialogue needs to know which appointment is meant.
_NEEDS_APPOINTMENT = frozenset({"cancel", "reschedule", "confirm_appointment", "query", "late"})


def understand(text: str, context: Context) -> Understanding:
    """Read one client message in its context. Never raises on odd text."""
    try:
        return _understand(text, context)
    except Exception:                       # pragma: no cover - a last line of defence
        return Understanding(intent="unknown", lang=getattr(context, "lang", None) or "en", confidence=0.0)


def _naive(ctx: Context) -> Context:
    """The contract is naive wall-clock times; drop any tzinfo a caller left on."""
    if ctx.now.tzinfo is None:
        # plain loops: the tuples are short, and a generator for all() costs more than them
        for a in ctx.appointments:
            if a.start.tzinfo is not None:
                break
        else:
            for o in ctx.options:
                if o.tzinfo is not None:
                    break
            else:
                return ctx
    return replace(
        ctx, now=ctx.now.replace(tzinfo=None),
        appointments=tuple(replace(a, start=a.start.replace(tzinfo=None)) for a in ctx.appointments),
        options=tuple(o.replace(tzinfo=None) for o in ctx.options))


def _understand(text: str, ctx: Context) -> Understanding:
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    ctx = _naive(ctx)
    folded = fold(text)
    norm = normalize(text, folded)
    raw = text[:MAX_CHARS]
    # detect() looks for Spanish letters and punctuation in the raw text: none is ASCII
    lang = language.detect(raw.lower() if not raw.isascii() else "", norm, ctx.lang)
    # the gate literals the message holds, found once for the time readers and the intent rules
    present = literals.scan(norm)
    tnorm = timeparse.blank_non_times(norm, present)
    # find_mentions blanks its text again; when this pass changed nothing, that one cannot either
    blanked = tnorm != norm
    mentions = timeparse.find_mentions(tnorm, ctx, lang, reblank=blanked, present=None if blanked else present)
    if ctx.awaiting == "which_appointment":
        _days_naming_appointments(mentions, ctx)
    has_time = has_ref_time = False
    for m in mentions:                      # one pass for both
        if m.ref:
            has_ref_time = True
        elif m.kind in ("day", "time", "rel", "exact"):
            has_time = True
    choice = reference.pick_option(norm, ctx, mentions) if ctx.awaiting == "slot_choice" else None
    intent, conf = intents.classify(norm, ctx.awaiting, has_time, has_ref_time, choice,
                                    time_only=(lambda: _little_else(norm, mentions, ctx)) if has_time else False,
                                    present=present)
    intent, conf = _second_opinion(norm, ctx.awaiting, intent, conf, has_time, has_ref_time)

    appt_ref = None
    candidates: tuple = ()
    topic = None
    if intent in _NEEDS_APPOINTMENT or (ctx.awaiting == "which_appointment" and intent == "unknown"):
        appt_ref, aconf, candidates = reference.pick_appointment(folded, norm, ctx, mentions, intent)
        conf = min(conf, aconf)
    elif intent in ("greet", "unknown") and len(ctx.appointments) > 1 and ctx.awaiting == "none":
        # "hi, about my trim on the 2nd": no request yet, but the appointment the next ones are about
        named, nconf, _ = reference.pick_appointment(folded, norm, ctx, mentions, "query")
        topic = named if nconf >= 0.9 else None
    appt = None
    if appt_ref is not None:
        for a in ctx.appointments:          # (pick_appointment's ref is always one of them)
            if a.ref == appt_ref:
                appt = a
                break
    elif ctx.appointments:
        appt = ctx.appointments[0]
    # while one day's times are on offer, a time said without a day is that day's ("is 4 possible?")
    offered_day = None
    if ctx.awaiting == "slot_choice" and ctx.options and intent != "choose":
        days = {o.date() for o in ctx.options}
        if len(days) == 1:
            offered_day = days.pop()
    reading = timeparse.resolve(tnorm, ctx, lang, appt, use_refs=(intent != "reschedule"), mentions=mentions,
                                base_day=offered_day)
    windows = reading.windows
    for w in windows:                       # (nearly always none to mend: no tuple rebuilt)
        if w.start > w.end:
            windows = tuple(w if w.start <= w.end else Window(w.start, w.start) for w in windows)
            break
    reading.windows = windows
    when = None
    when_any: tuple = ()
    if len(reading.windows) == 1:
        when = reading.windows[0]
    elif len(reading.windows) > 1:
        when_any = reading.windows
        if intent == "reschedule":
            conf = min(conf, 0.7)
    if intent == "unknown" and ctx.awaiting == "none" and cues.lone_question_mark(raw):
        intent, conf = "help", 0.9          # a lone "?": what can I do here?
    if ctx.awaiting == "which_appointment" and appt_ref is None and intent in ("unknown", "choose"):
        listed = _which_by_position(text, ctx)
        if listed is not None:
            return listed
    u = _understanding(
        intent,
        # a bare answer to "which appointment?" ("the haircut") names one without an intent
        appt_ref if intent in _NEEDS_APPOINTMENT or ctx.awaiting == "which_appointment" else None,
        choice if intent == "choose" else None,
        when,
        when_any,
        lang,
        round(conf, 2),
        candidates if appt_ref is None else (),
    )
    _add_cues(u.__dict__, raw, folded, ctx, mentions)
    u.__dict__["topic"] = topic
    return u


# Where the rules only guess, the learned model of the small intents (acts.py) reads the
# message too, and its reading wins when it is at least MODEL_SURE likely. The rules guess
# when nothing matched (unknown), on a bare time with little else (taken for a request), on
# a leading "yes" or "no" with nothing pending, on "help" or "late" alone somewhere in the
# text, on "can't make it" and "I'll be there" with no reminder pending, and on a greeting
# (a "hi" or "thanks" can open any message: "Hi this is the daycare, pickup is at 3").
# A rule that recognised a request, an answer to the question asked, something not ours
# (a flight, a price) or a keyword is not overruled.
MODEL_SURE = 0.6
OVER_GREET = 0.8        # a greeting is overruled only when the model is this sure
OVER_TIME = 0.95        # and a bare time taken for a request, with no reminder pending (never to "not ours")
ANSWER_SURE = 0.85      # a yes to a pending question that no rule saw: it cancels or moves a booking


def _rules_guess(intent: str, conf: float, awaiting: str, has_time: bool) -> bool:
    if intent == "unknown":
        return conf < 0.5
    if intent == "reschedule":
        return has_time and conf <= 0.75
    if intent == "deny":
        return conf <= 0.7 or (conf <= 0.85 and awaiting == "reminder_reply")
    if intent == "confirm_appointment":
        return conf <= 0.8 and awaiting == "none"
    if intent == "greet":
        return True
    return intent in ("affirm", "help", "late", "cancel") and conf <= 0.7


def _second_opinion(norm: str, awaiting: str, intent: str, conf: float, has_time: bool,
                    has_ref_time: bool) -> tuple[str, float]:
    if not _rules_guess(intent, conf, awaiting, has_time) or len(norm) > acts.MAX_CHARS:
        return intent, conf
    if awaiting == "which_appointment" and (has_time or has_ref_time):
        return intent, conf                 # "the tuesday one... no, thursday's": the rules read days
    learned, p, act = acts.predict_intent(norm, awaiting)
    if p < MODEL_SURE:
        return intent, conf
    if awaiting == "which_appointment" and act in ("yes", "reschedule"):
        return intent, conf                 # asked which one, "anything else?" names none
    if learned == "affirm" and awaiting != "none" and p < ANSWER_SURE:
        return intent, conf                 # "eh", "the blue one": ask again rather than guess a yes
    if learned == intent:
        return intent, max(conf, round(min(p, 0.9), 2))
    if intent == "greet" and (p < OVER_GREET or act == "yes"):
        return intent, conf                 # "perfect, thanks": thanks, whatever else it says
    if intent == "reschedule" and (act in ("yes", "no", "greet", "unknown") or (p < OVER_TIME and awaiting != "reminder_reply")):
        # ("yes but can we do 4": the time is the request; and a time asked for is ours
        # unless a rule says whose it is: the model knows too few such texts to say)
        return intent, conf
    return learned, round(min(p, 0.85), 2)


def _add_cues(d: dict, raw: str, folded: str, ctx: Context, mentions=()) -> None:
    """Fill in what the conversation needs of the words besides the intent (cues.py)."""
    d["thanks"] = cues.thanks(folded)
    d["reaction"] = d["intent"] == "unknown" and cues.reaction(raw)
    every = d["every"] = cues.every(folded)
    d["picks"] = cues.picks(folded) if ctx.awaiting in ("which_appointment", "slot_choice") else ()
    appts = ctx.appointments
    several = len(appts) > 1
    # Naming another appointment matters while the bot waits for an answer about one.
    d["named"] = cues.named(folded, appts) if several and ctx.awaiting in (
        "slot_choice", "reschedule_confirmation", "cancel_confirmation") else ()
    d["rebook"] = cues.rebook(folded)
    d["again"] = cues.again(folded)
    d["other_one"] = cues.other_one(folded)
    d["also"] = cues.also(folded)
    d["other_staff"] = cues.other_staff(folded)
    d["staff_named"] = cues.staff_named(folded, ctx.staff)
    # (an exact time is what it is: "saturday morning at 10" has no part to stretch)
    w = d["when"]
    d["part"] = cues.part_of_day(mentions) if w is not None and w.start != w.end else None
    d["shift"] = cues.shift(mentions) if w is not None else None
    targets: tuple = ()
    if several and d["intent"] in _NEEDS_APPOINTMENT and d["appointment"] is None:
        described = d["candidates"]
        if every:
            targets = described or tuple(a.ref for a in appts)
        elif len(described) > 1 and cues.plural_of(folded, tuple(
                {name for a in appts if a.ref in described for name in (a.service, *a.aliases)})):
            targets = described            # "cancel my trims", two booked: both
    d["targets"] = targets


def _which_by_position(text: str, ctx: Context) -> Understanding | None:
    """"2", "the second one", "the friday one" answer "which appointment?" the
    way they answer offered times: a choice among the appointments listed, in
    the order they were listed (the context lists them in that order)."""
    listed = replace(ctx, awaiting="slot_choice", options=tuple(a.start for a in ctx.appointments))
    again = _understand(text, listed)
    if again.intent == "choose" and again.choice and again.choice <= len(ctx.appointments):
        u = _understanding("choose", ctx.appointments[again.choice - 1].ref, again.choice, None, (), again.lang,
                           again.confidence)
        _add_cues(u.__dict__, text[:MAX_CHARS], fold(text), ctx)
        return u
    return None


def _understanding(intent, appointment, choice, when, when_any, lang, confidence, candidates=()) -> Understanding:
    """Understanding(intent=..., ...): the same object, made without the frozen dataclass's
    __init__, which sets each of the eight fields through object.__setattr__ (about half a
    microsecond of calls per message); its instance dict is filled here directly,
    in field order (the class has no __post_init__, no slots and no default factories)."""
    u = _new(Understanding)
    d = u.__dict__
    d["intent"] = intent
    d["appointment"] = appointment
    d["choice"] = choice
    d["when"] = when
    d["when_any"] = when_any
    d["lang"] = lang
    d["confidence"] = confidence
    d["candidates"] = candidates
    d["thanks"] = d["reaction"] = d["every"] = d["rebook"] = d["other_one"] = d["other_staff"] = d["also"] = d["again"] = False
    d["picks"] = d["named"] = d["targets"] = d["staff_named"] = ()
    d["part"] = d["shift"] = d["topic"] = None
    return u


_new = object.__new__


def _days_naming_appointments(mentions, ctx: Context) -> None:
    """Asked "which appointment?", a day or time that is one of them names it ("saturday's")."""
    for m in mentions:
        if m.kind == "day" and len(m.data) == 1 and (m.data[0][1] - m.data[0][0]).days == 1:
            if any(m.data[0][0] == a.start.date() for a in ctx.appointments):
                m.ref = True
        elif m.kind == "time" and m.data[0] == "point":
            p = m.data[1]
            if any(d.kind == "day" and not d.ref and 0 <= m.s - d.e <= 6 for d in mentions):
                continue            # "wednesday at 6": the time of a day asked for, not an appointment's
            if any(p.h % 12 == a.start.hour % 12 and p.m == a.start.minute for a in ctx.appointments):
                m.ref = True


_FILLER = frozenset("""
a an the at on in for to of by or and is it its be maybe perhaps how about what then instead please pls ok okay
so well um uh hmm just any anytime time works work would can could we i you me do is there like around about
que el la las los de del a en por para o y mejor si puede ser se porfa favor hey hi hola also too
como eso tipo sobre around about approximately maybe quizas tal vez lo
ese esa day dia that same mismo misma
""".split())
_WORDS = fastre.compile(r"[a-z]+")
_REASON_WORDS = fastre.compile(r"\b(?:because|cause|cuz|bc|since|porque|pq|ya que|que tengo|q tengo|i have|ive got|i ve got)\b")


def _little_else(norm: str, mentions, ctx: Context | None = None) -> bool:
    """True when, once the time expressions are removed, at most a few words remain
    (the words of the client's own services and staff do not count: "lo del corte, a las 13:30")."""
    # each mention's span blanked by slicing (the same as blanking it character by character)
    text = norm
    reason = _REASON_WORDS.search(text)
    if reason:                              # "a las 2 porque a las 5 tengo ...": the reason's words do not count
        text = text[:reason.start()]
    for m in mentions:
        e = min(m.e, len(text))
        if m.s < e:
            text = text[:m.s] + " " * (e - m.s) + text[e:]
    rest = [w for w in _WORDS.findall(text) if w not in _FILLER]
    if len(rest) > 1 and ctx is not None and ctx.appointments:
        own = {w for a in ctx.appointments for name in (a.service, a.staff, *a.aliases) for w in reference.name_words(name)}
        rest = [w for w in rest if w not in own]
    return len(rest) <= 1
