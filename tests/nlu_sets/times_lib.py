"""Helpers that compute the expected windows of tests/nlu_sets/times-1.jsonl.

Every window follows the numbered conventions of /work/shared/nlu-eval/README.md;
nothing here knows how the language layer works. Each case names its scene
(now, tz, opening hours, appointments) and an expression built from the
functions below; build_times.py turns them into JSON lines.
"""
from datetime import date, datetime, time, timedelta

WD = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

# Opening-hour profiles: weekday -> [open, close] or None (closed).
HOURS = {
    # US salon closed Sunday and Monday, later on Thu/Fri
    "US1": {"mon": None, "tue": ["09:00", "19:00"], "wed": ["09:00", "19:00"], "thu": ["09:00", "20:00"],
            "fri": ["09:00", "20:00"], "sat": ["08:00", "17:00"], "sun": None},
    # open every day, Monday from noon
    "US2": {"mon": ["12:00", "20:00"], "tue": ["09:00", "19:00"], "wed": ["09:00", "19:00"], "thu": ["09:00", "19:00"],
            "fri": ["09:00", "19:00"], "sat": ["09:00", "17:00"], "sun": ["10:00", "16:00"]},
    # early opener, closed Sunday
    "US3": {"mon": ["07:00", "20:00"], "tue": ["07:00", "20:00"], "wed": ["07:00", "20:00"], "thu": ["07:00", "20:00"],
            "fri": ["07:00", "20:00"], "sat": ["08:00", "16:00"], "sun": None},
    # short days, closed Sunday
    "US4": {"mon": ["10:00", "18:00"], "tue": ["10:00", "18:00"], "wed": ["10:00", "18:00"], "thu": ["10:00", "18:00"],
            "fri": ["10:00", "18:00"], "sat": ["10:00", "18:00"], "sun": None},
    # long days, closed Monday
    "US5": {"mon": None, "tue": ["08:00", "21:00"], "wed": ["08:00", "21:00"], "thu": ["08:00", "21:00"],
            "fri": ["08:00", "21:00"], "sat": ["08:00", "18:00"], "sun": ["10:00", "16:00"]},
    # Spain: closed Sunday and Monday, Saturday mornings
    "ES1": {"mon": None, "tue": ["10:00", "20:30"], "wed": ["10:00", "20:30"], "thu": ["10:00", "20:30"],
            "fri": ["10:00", "20:30"], "sat": ["09:30", "14:00"], "sun": None},
    # Latin America: Monday to Saturday 9 to 7
    "ES2": {"mon": ["09:00", "19:00"], "tue": ["09:00", "19:00"], "wed": ["09:00", "19:00"], "thu": ["09:00", "19:00"],
            "fri": ["09:00", "19:00"], "sat": ["09:00", "19:00"], "sun": None},
    # Latin America: weekdays to 9 pm, short Saturday
    "ES3": {"mon": ["10:00", "21:00"], "tue": ["10:00", "21:00"], "wed": ["10:00", "21:00"], "thu": ["10:00", "21:00"],
            "fri": ["10:00", "21:00"], "sat": ["10:00", "15:00"], "sun": None},
    # Buenos Aires: closed Monday, opens at 11
    "ES4": {"mon": None, "tue": ["11:00", "20:00"], "wed": ["11:00", "20:00"], "thu": ["11:00", "20:00"],
            "fri": ["11:00", "20:00"], "sat": ["11:00", "20:00"], "sun": ["11:00", "16:00"]},
}


def dt(s):
    return datetime.fromisoformat(s)


class Scene:
    def __init__(self, name, now, tz, hours, appts, awaiting="none"):
        self.name = name
        self.now = dt(now)
        self.tz = tz
        self.hours_key = hours
        self.hours = HOURS[hours]
        self.appts = []
        for i, (start, minutes, service, staff) in enumerate(appts, 1):
            self.appts.append({"ref": f"a{i}", "start": start, "minutes": minutes,
                               "service": service, "staff": staff})
        starts = [dt(a["start"]) for a in self.appts]
        assert starts == sorted(starts), name
        assert all(s > self.now for s in starts), name
        self.awaiting = awaiting

    def appt(self, ref):
        for a in self.appts:
            if a["ref"] == ref:
                return a
        raise KeyError((self.name, ref))

    def today(self):
        return self.now.date()


class Ctx:
    def __init__(self, scene, ref):
        self.scene = scene
        self.ref = ref

    @property
    def appt(self):
        if self.ref is None:
            raise ValueError(f"{self.scene.name}: rule needs an appointment but none is determinable")
        return self.scene.appt(self.ref)

    @property
    def appt_start(self):
        return dt(self.appt["start"])

    @property
    def appt_end(self):
        return self.appt_start + timedelta(minutes=self.appt["minutes"])


def hm(s):
    h, m = s.split(":")
    return time(int(h), int(m))


def day_hours(ctx, d):
    h = ctx.scene.hours[WD[d.weekday()]]
    return None if h is None else (hm(h[0]), hm(h[1]))


def read_hour(ctx, d, h, m=0):
    """README rule 1: a bare hour (1-12, optional minutes) on day d."""
    if h == 0 or h > 12:
        return time(h, m)
    if h == 12:
        return time(12, m)
    am, pm = time(h, m), time(h + 12, m)
    oh = day_hours(ctx, d)
    if oh is not None:
        inside = lambda t: oh[0] <= t < oh[1]
        if inside(am):
            return am
        if inside(pm):
            return pm
    return pm if 1 <= h <= 7 else am


def comb(d, t):
    return datetime.combine(d, t)


# ---- dates: each returns a list of dates (more than one only for rule 3's ambiguity)

def APPT(ctx):
    return [ctx.appt_start.date()]


def TODAY(ctx):
    return [ctx.scene.today()]


def TOMORROW(ctx):
    return [ctx.scene.today() + timedelta(days=1)]


def DAT(ctx):  # the day after tomorrow / pasado mañana
    return [ctx.scene.today() + timedelta(days=2)]


def wd(name):
    """Rule 3: a bare weekday (or 'this D') is the next such day after today."""
    def f(ctx):
        t = ctx.scene.today()
        k = (WD.index(name) - t.weekday()) % 7 or 7
        return [t + timedelta(days=k)]
    f.__name__ = f"wd_{name}"
    return f


def nxt(name):
    """Rule 3: 'next D'."""
    def f(ctx):
        t = ctx.scene.today()
        k = (WD.index(name) - t.weekday()) % 7
        if k == 0:
            return [t + timedelta(days=7)]
        coming = t + timedelta(days=k)
        if k >= 4:
            return [coming]
        return [coming, coming + timedelta(days=7)]
    return f


def dom(n, weekday=None):
    """Rule 9: 'the 14th' — next such date on or after today. weekday checks 'tuesday the 15th'."""
    def f(ctx):
        t = ctx.scene.today()
        y, m = t.year, t.month
        while True:
            try:
                d = date(y, m, n)
            except ValueError:
                d = None
            if d is not None and d >= t:
                break
            m += 1
            if m == 13:
                y, m = y + 1, 1
        if weekday is not None:
            assert WD[d.weekday()] == weekday, (ctx.scene.name, n, weekday, d)
        return [d]
    return f


def md(month, day, weekday=None):
    """Rule 9: 'Dec 3' — next such date on or after today."""
    def f(ctx):
        t = ctx.scene.today()
        d = date(t.year, month, day)
        if d < t:
            d = date(t.year + 1, month, day)
        if weekday is not None:
            assert WD[d.weekday()] == weekday, (ctx.scene.name, month, day, weekday, d)
        return [d]
    return f


def plus_days(n):
    def f(ctx):
        return [ctx.scene.today() + timedelta(days=n)]
    return f


# ---- times on a day: each maps (ctx, d) to a window

def bare(h, m=0):
    def f(ctx, d):
        t = comb(d, read_hour(ctx, d, h, m))
        return (t, t)
    return f


def ex(h, m=0):
    """An hour whose part of the day is said (pm, in the afternoon, de la noche...)."""
    def f(ctx, d):
        t = comb(d, time(h, m))
        return (t, t)
    return f


def span(h1, m1, h2, m2):
    def f(ctx, d):
        return (comb(d, time(h1, m1)), comb(d, time(h2, m2)))
    return f


MORNING = span(9, 0, 12, 0)
AFTERNOON = span(12, 0, 17, 0)
EVENING = span(17, 0, 21, 0)
LUNCH = span(12, 0, 14, 0)
BEFORE_NOON = span(9, 0, 12, 0)


def WHOLE(ctx, d):
    return (comb(d, time(0)), comb(d, time(0)) + timedelta(days=1))


def FIRST(ctx, d):
    oh = day_hours(ctx, d)
    assert oh is not None, (ctx.scene.name, d, "first thing on a closed day")
    t = comb(d, oh[0])
    return (t, t)


def after(h, m=0, explicit=False):
    def f(ctx, d):
        t = time(h, m) if explicit else read_hour(ctx, d, h, m)
        return (comb(d, t), comb(d, time(21)))
    return f


def before(h, m=0, explicit=False):
    def f(ctx, d):
        t = time(h, m) if explicit else read_hour(ctx, d, h, m)
        return (comb(d, time(9)), comb(d, t))
    return f


def between(h1, h2, m1=0, m2=0, explicit=False):
    def f(ctx, d):
        if explicit:
            t1, t2 = time(h1, m1), time(h2, m2)
        else:
            t1, t2 = read_hour(ctx, d, h1, m1), read_hour(ctx, d, h2, m2)
        return (comb(d, t1), comb(d, t2))
    return f


# ---- whole expectations: each maps ctx to a list of windows

def at(dates, tm=WHOLE):
    def f(ctx):
        return [tm(ctx, d) for d in dates(ctx)]
    return f


def on(dates):
    return at(dates, WHOLE)


def anyof(*parts):
    def f(ctx):
        out = []
        for p in parts:
            out.extend(p(ctx))
        return out
    return f


def _monday_after(d):
    return d + timedelta(days=7 - d.weekday())


def NEXT_WEEK(ctx):
    m = _monday_after(ctx.scene.today())
    return [(comb(m, time(0)), comb(m + timedelta(days=7), time(0)))]


def THIS_WEEK(ctx):
    t = ctx.scene.today()
    return [(comb(t, time(0)), comb(_monday_after(t), time(0)))]


def LATER_THIS_WEEK(ctx):
    t = ctx.scene.today()
    assert t.weekday() < 6, "later this week said on Sunday"
    return [(comb(t + timedelta(days=1), time(0)), comb(_monday_after(t), time(0)))]


def WEEKEND(ctx):
    t = ctx.scene.today()
    assert t.weekday() < 5, "the weekend said at the weekend is left out"
    sat = t + timedelta(days=5 - t.weekday())
    return [(comb(sat, time(0)), comb(sat + timedelta(days=2), time(0)))]


def in_weeks(n):
    def f(ctx):
        d = ctx.scene.today() + timedelta(days=7 * n)
        return [(comb(d, time(0)), comb(d + timedelta(days=1), time(0)))]
    return f


TONIGHT = at(TODAY, EVENING)


def shift(minutes):
    def f(ctx):
        t = ctx.appt_start + timedelta(minutes=minutes)
        return [(t, t)]
    return f


def SAME_NEXT_WEEK(ctx):
    t = ctx.appt_start + timedelta(days=7)
    return [(t, t)]


def EARLIER_DAY(ctx):
    s = ctx.appt_start
    return [(comb(s.date(), time(0)), s)]


def LATER_DAY(ctx):
    e = ctx.appt_end
    return [(e, comb(ctx.appt_start.date() + timedelta(days=1), time(0)))]


def same_time_on(dates):
    def f(ctx):
        return [(comb(d, ctx.appt_start.time()), comb(d, ctx.appt_start.time())) for d in dates(ctx)]
    return f
