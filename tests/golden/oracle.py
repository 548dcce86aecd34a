"""The golden oracle: every figure the site shows, computed again from the content files.

Written from docs/content-format.md and docs/methods.md, sharing nothing with the Rust
render path: it reads `content/portfolio.toml` and `content/initiatives/*.md` with
tomllib and applies the documented formulas. `check.py` compares what the built pages
and downloads say with what this module computes.

Python 3.11 standard library only.
"""

from __future__ import annotations

import datetime as dt
import math
import tomllib
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

# --------------------------------------------------------------------------------------
# Calendar: periods, their dates, the base date and "to date" (methods.md#periods)
# --------------------------------------------------------------------------------------


def add_months(d: dt.date, months: int) -> dt.date:
    y, m = divmod(d.month - 1 + months, 12)
    return dt.date(d.year + y, m + 1, 1)


@dataclass(frozen=True)
class Calendar:
    """Fiscal years (`"2025"`) or their quarters (`"2025-Q3"`), numbered consecutively."""

    cadence: str  # "year" | "quarter"
    fy_month: int  # first month of the fiscal year

    @property
    def per_year(self) -> int:
        return 1 if self.cadence == "year" else 4

    def parse(self, label: str) -> int:
        if self.cadence == "year":
            return int(label)
        year, q = label.split("-Q")
        return int(year) * 4 + int(q) - 1

    def label(self, n: int) -> str:
        if self.cadence == "year":
            return str(n)
        year, q = divmod(n, 4)
        return f"{year}-Q{q + 1}"

    def start(self, n: int) -> dt.date:
        """First day of period `n`: fiscal year Y starts on the 1st of `fy_month` of Y."""
        if self.cadence == "year":
            return dt.date(n, self.fy_month, 1)
        year, q = divmod(n, 4)
        return add_months(dt.date(year, self.fy_month, 1), 3 * q)

    def days(self, n: int) -> int:
        return (self.start(n + 1) - self.start(n)).days

    def period_of(self, d: dt.date) -> int:
        n = (d.year - 1) * self.per_year
        while self.start(n + 1) <= d:
            n += 1
        while self.start(n) > d:
            n -= 1
        return n

    def elapsed_share(self, n: int, as_of: dt.date) -> float:
        """How much of period `n` is "to date": its first day to `as_of`, both included,
        over its length; 1 for earlier periods, 0 for later ones."""
        elapsed = (as_of - self.start(n)).days + 1
        return min(max(elapsed / self.days(n), 0.0), 1.0)


# --------------------------------------------------------------------------------------
# Content
# --------------------------------------------------------------------------------------


@dataclass
class Flows:
    start: int
    cost: list[float]
    benefit: list[float]

    def periods(self) -> list[int]:
        return [self.start + k for k in range(len(self.cost))]


@dataclass
class Initiative:
    id: str
    fm: dict
    plan: Flows
    actuals: Flows | None

    def __getitem__(self, key):
        return self.fm[key]

    def get(self, key, default=None):
        return self.fm.get(key, default)


@dataclass
class Site:
    settings: dict
    cal: Calendar
    rate: float
    discounting: str
    base: int
    as_of: dt.date
    currency: str
    objectives: list[dict]
    value_streams: list[dict]
    stages: list[dict]
    criteria: list[dict]
    models: list[dict]
    initiatives: list[Initiative]
    budget: Flows | None = None

    def stage(self, sid: str) -> dict:
        return next(s for s in self.stages if s["id"] == sid)

    def stage_class(self, i: Initiative) -> str:
        return self.stage(i["stage"])["class"]


def front_matter(text: str) -> dict:
    lines = text.replace("\r\n", "\n").split("\n")
    assert lines[0].strip() == "+++", "front matter starts with +++"
    end = next(k for k in range(1, len(lines)) if lines[k].strip() == "+++")
    return tomllib.loads("\n".join(lines[1:end]))


def load(site_dir: Path) -> Site:
    content = Path(site_dir) / "content"
    s = tomllib.loads((content / "portfolio.toml").read_text(encoding="utf-8"))
    calendar = s.get("calendar", {})
    cal = Calendar(calendar.get("cadence", "year"), calendar.get("fiscal_year_start_month", 1))
    fin = s["finance"]
    initiatives = []
    for f in sorted((content / "initiatives").glob("*.md")):
        fm = front_matter(f.read_text(encoding="utf-8"))
        plan = fm["plan"]
        acts = fm.get("actuals")
        initiatives.append(
            Initiative(
                id=f.stem,
                fm=fm,
                plan=Flows(cal.parse(plan["start"]), [float(x) for x in plan["cost"]], [float(x) for x in plan["benefit"]]),
                actuals=None
                if acts is None
                else Flows(cal.parse(acts["start"]), [float(x) for x in acts.get("cost", [])], [float(x) for x in acts.get("benefit", [])]),
            )
        )
    budget = s.get("budget")
    return Site(
        settings=s,
        cal=cal,
        rate=float(fin["discount_rate"]),
        discounting=fin.get("discounting", "end-of-period"),
        base=cal.parse(fin["base_period"]),
        as_of=s["as_of"],
        currency=s["currency"],
        objectives=s["objectives"],
        value_streams=s["value_streams"],
        stages=s["stages"],
        criteria=s.get("criteria", []),
        models=s["models"],
        initiatives=initiatives,
        budget=None if budget is None else Flows(cal.parse(budget["start"]), [float(x) for x in budget["amounts"]], []),
    )


# --------------------------------------------------------------------------------------
# Discounting (methods.md#npv)
# --------------------------------------------------------------------------------------


def flow_time(site: Site, n: int) -> float:
    """Years from the base date to the moment period `n`'s flow is counted."""
    k = n - site.base
    offset = {"end-of-period": 1.0, "mid-period": 0.5, "start-of-period": 0.0}[site.discounting]
    return (k + offset) / site.cal.per_year


def factor(site: Site, n: int) -> float:
    return (1.0 + site.rate) ** -flow_time(site, n)


# --------------------------------------------------------------------------------------
# IRR: every root r > -100% (methods.md#irr), by Sturm sequences in exact arithmetic
# --------------------------------------------------------------------------------------


def _trim(p: list[Fraction]) -> list[Fraction]:
    while p and p[-1] == 0:
        p = p[:-1]
    return p


def _divmod(a: list[Fraction], b: list[Fraction]) -> tuple[list[Fraction], list[Fraction]]:
    """Polynomials as coefficient lists, lowest degree first."""
    a, b = _trim(list(a)), _trim(list(b))
    q = [Fraction(0)] * max(len(a) - len(b) + 1, 1)
    while len(a) >= len(b) and a:
        shift = len(a) - len(b)
        c = a[-1] / b[-1]
        q[shift] = c
        for k, bk in enumerate(b):
            a[k + shift] -= c * bk
        a = _trim(a)
    return q, a


def _derivative(p: list[Fraction]) -> list[Fraction]:
    return [k * c for k, c in enumerate(p)][1:]


def _gcd(a: list[Fraction], b: list[Fraction]) -> list[Fraction]:
    a, b = _trim(a), _trim(b)
    while b:
        a, b = b, _divmod(a, b)[1]
    return [c / a[-1] for c in a]


def _eval(p: list[Fraction], x: Fraction) -> Fraction:
    acc = Fraction(0)
    for c in reversed(p):
        acc = acc * x + c
    return acc


def _sign_changes(values: list[Fraction]) -> int:
    signs = [v > 0 for v in values if v != 0]
    return sum(1 for a, b in zip(signs, signs[1:]) if a != b)


def positive_roots(coeffs: list[float]) -> list[float]:
    """The distinct real roots x > 0 of sum(coeffs[k] x^k)."""
    p = _trim([Fraction(c) for c in coeffs])
    while p and p[0] == 0:  # x = 0 is no root we want (r = infinity)
        p = p[1:]
    if len(p) < 2:
        return []
    g = _gcd(p, _derivative(p))
    square_free = _divmod(p, g)[0] if len(g) > 1 else p
    chain = [square_free, _derivative(square_free)]
    while True:
        r = _divmod(chain[-2], chain[-1])[1]
        if not r:
            break
        chain.append([-c for c in r])

    def count(x: Fraction) -> int:
        return _sign_changes([_eval(q, x) for q in chain])

    bound = 1 + max(abs(c / square_free[-1]) for c in square_free[:-1])
    roots: list[float] = []

    def isolate(lo: Fraction, hi: Fraction, n_lo: int, n_hi: int) -> None:
        n = n_lo - n_hi  # roots in (lo, hi]
        if n == 0:
            return
        if n == 1:
            for _ in range(200):
                if hi - lo < Fraction(1, 10**18) * max(hi, 1):
                    break
                mid = (lo + hi) / 2
                if count(mid) == n_lo:
                    lo = mid
                else:
                    hi = mid
            roots.append(float((lo + hi) / 2))
            return
        mid = (lo + hi) / 2
        n_mid = count(mid)
        isolate(lo, mid, n_lo, n_mid)
        isolate(mid, hi, n_mid, n_hi)

    lo = Fraction(0)
    isolate(lo, bound, count(lo), count(bound))
    return sorted(roots)


# --------------------------------------------------------------------------------------
# The business case of one initiative
# --------------------------------------------------------------------------------------


@dataclass
class Payback:
    """Periods from the start of the first plan period; None: never."""

    final: float | None
    first: float | None


def payback(nets: list[float]) -> Payback:
    """The cumulative of `nets` moves linearly within each period (methods.md#payback)."""
    cum = [0.0]
    for v in nets:
        cum.append(cum[-1] + v)
    below = [k for k, c in enumerate(cum) if c < 0]
    if not below:
        return Payback(0.0, 0.0)

    def recovery(k: int) -> float | None:
        """When the cumulative, below zero at the end of k periods, next reaches zero."""
        for j in range(k + 1, len(cum)):
            if cum[j] >= 0:
                return (j - 1) + (-cum[j - 1]) / nets[j - 1]
        return None

    first = recovery(below[0])
    final = None if cum[-1] < 0 else recovery(below[-1])
    return Payback(final, first)


@dataclass
class Row:
    period: int
    cost: float
    benefit: float
    net: float
    cumulative: float
    factor: float
    pv: float
    cumulative_pv: float


@dataclass
class Case:
    rows: list[Row]
    total_cost: float
    total_benefit: float
    total_net: float
    pv_cost: float
    pv_benefit: float
    npv: float
    roi: float | None
    bcr: float | None
    irr_roots: list[float]
    irr_kind: str  # "roots" | "no-sign-change" | "no-root"
    inflow_first: bool
    mirr: float | None
    payback: Payback
    discounted_payback: Payback


def business_case(site: Site, i: Initiative) -> Case:
    rows = []
    cum = cum_pv = 0.0
    for n, c, b in zip(i.plan.periods(), i.plan.cost, i.plan.benefit):
        f = factor(site, n)
        net = b - c
        cum += net
        cum_pv += net * f
        rows.append(Row(n, c, b, net, cum, f, net * f, cum_pv))
    total_cost = sum(i.plan.cost)
    total_benefit = sum(i.plan.benefit)
    pv_cost = sum(r.cost * r.factor for r in rows)
    pv_benefit = sum(r.benefit * r.factor for r in rows)
    nets = [r.net for r in rows]
    # IRR: with x = 1 / (1 + r_period), NPV ∝ Σ net_k x^k (the convention and the base
    # date only multiply it by a positive power of x, so they move no root).
    nonzero = [v for v in nets if v != 0]
    if not any(v > 0 for v in nets) or not any(v < 0 for v in nets):
        roots, kind = [], "no-sign-change"
    else:
        xs = positive_roots(nets)
        roots = sorted((1 / x) ** site.cal.per_year - 1 for x in xs)
        kind = "roots" if roots else "no-root"
    # MIRR (spreadsheet MIRR on the per-period net flows, both rates the discount rate).
    i_p = (1 + site.rate) ** (1 / site.cal.per_year) - 1
    n = len(nets)
    fv_in = sum(v * (1 + i_p) ** (n - 1 - k) for k, v in enumerate(nets) if v > 0)
    pv_out = sum(v / (1 + i_p) ** k for k, v in enumerate(nets) if v < 0)
    mirr = None
    if n >= 2 and fv_in > 0 and pv_out < 0:
        mirr = (1 + ((fv_in / -pv_out) ** (1 / (n - 1)) - 1)) ** site.cal.per_year - 1
    return Case(
        rows=rows,
        total_cost=total_cost,
        total_benefit=total_benefit,
        total_net=total_benefit - total_cost,
        pv_cost=pv_cost,
        pv_benefit=pv_benefit,
        npv=pv_benefit - pv_cost,
        roi=(total_benefit - total_cost) / total_cost if total_cost != 0 else None,
        bcr=pv_benefit / pv_cost if pv_cost != 0 else None,
        irr_roots=roots,
        irr_kind=kind,
        # Money comes in first: the first non-zero net flow is an inflow, a later one an outflow.
        inflow_first=bool(nonzero) and nonzero[0] > 0 and any(v < 0 for v in nonzero),
        mirr=mirr,
        payback=payback(nets),
        discounted_payback=payback([r.pv for r in rows]),
    )


# --------------------------------------------------------------------------------------
# To date (methods.md#periods), remaining value (#remaining), earned value (#earned-value)
# --------------------------------------------------------------------------------------


@dataclass
class ToDate:
    planned_cost: float
    planned_benefit: float
    actual_cost: float
    actual_benefit: float
    realised: float | None
    forecast_cost: float
    forecast_benefit: float


def to_date(site: Site, i: Initiative) -> ToDate:
    shares = [site.cal.elapsed_share(n, site.as_of) for n in i.plan.periods()]
    now = site.cal.period_of(site.as_of)
    planned = lambda xs, elapsed=True: sum(x * (w if elapsed else 1 - w) for x, w in zip(xs, shares))  # noqa: E731
    a = i.actuals

    def actual(xs: list[float]) -> float:
        # Actuals are what was recorded up to as_of: every period to the current one counts
        # as written (the current period's actual is already "to date").
        return sum(x for k, x in enumerate(xs) if a.start + k <= now) if a else 0.0

    ac, ab = actual(a.cost if a else []), actual(a.benefit if a else [])
    pb = planned(i.plan.benefit)
    return ToDate(
        planned_cost=planned(i.plan.cost),
        planned_benefit=pb,
        actual_cost=ac,
        actual_benefit=ab,
        realised=ab / pb if pb != 0 else None,
        forecast_cost=ac + planned(i.plan.cost, False),
        forecast_benefit=ab + planned(i.plan.benefit, False),
    )


def remaining_value(site: Site, i: Initiative) -> float | None:
    """The NPV at as_of of the flows still to come, for committed and live work."""
    if site.stage_class(i) not in ("committed", "operating"):
        return None
    now = site.cal.period_of(site.as_of)
    t_now = (now - site.base + site.cal.elapsed_share(now, site.as_of)) / site.cal.per_year
    total = 0.0
    for n, c, b in zip(i.plan.periods(), i.plan.cost, i.plan.benefit):
        left = 1 - site.cal.elapsed_share(n, site.as_of)
        if left <= 0:
            continue
        t = flow_time(site, n)
        if n == now:
            # The part after as_of, counted like a period of its own that starts at as_of.
            k_from = site.cal.elapsed_share(now, site.as_of)
            offset = {"end-of-period": 1.0, "mid-period": (1 + k_from) / 2, "start-of-period": k_from}[site.discounting]
            t = (now - site.base + offset) / site.cal.per_year
        total += (b - c) * left * (1 + site.rate) ** -(t - t_now)
    return total


@dataclass
class Earned:
    bac: float
    pv: float
    ac: float
    ev: float | None
    done: int
    total: int
    cpi: float | None
    spi: float | None
    eac: float | None
    es: float | None  # periods
    at: float  # periods
    spi_t: float | None


def earned_value(site: Site, i: Initiative, td: ToDate) -> Earned:
    ms = i.get("milestones", [])
    done = sum(1 for m in ms if m.get("done") is not None and m["done"] <= site.as_of)
    bac = sum(i.plan.cost)
    ev = bac * done / len(ms) if ms else None
    ac, pv = td.actual_cost, td.planned_cost
    cpi = ev / ac if ev is not None and ac > 0 else None
    spi = ev / pv if ev is not None and pv > 0 else None
    eac = bac / cpi if cpi else None
    # Earned schedule: when the planned cost curve (linear within each period) reached EV.
    now = site.cal.period_of(site.as_of)
    at = (now - i.plan.start) + site.cal.elapsed_share(now, site.as_of)
    es = None
    if ev is not None:
        cum = 0.0
        for k, c in enumerate(i.plan.cost):
            if cum + c >= ev and c > 0:
                es = k + (ev - cum) / c
                break
            cum += c
        else:
            es = float(len(i.plan.cost)) if ev <= cum else None
        if ev == 0:
            es = 0.0
    spi_t = es / at if es is not None and at > 0 else None
    return Earned(bac, pv, ac, ev, done, len(ms), cpi, spi, eac, es, at, spi_t)


# --------------------------------------------------------------------------------------
# Scores and ranks (methods.md#scores), risks (#risks), milestones and KPIs (#kpis)
# --------------------------------------------------------------------------------------


def score(site: Site, model: dict, i: Initiative) -> float | None:
    kind = model["kind"]
    if kind == "wsjf":
        w = i.get("wsjf")
        return None if w is None else (w["business_value"] + w["time_criticality"] + w["risk_reduction"]) / w["job_size"]
    if kind == "rice":
        r = i.get("rice")
        return None if r is None else r["reach"] * r["impact"] * r["confidence"] / r["effort"]
    scores = i.get("criteria", {})
    weights = model["weights"]
    total = 0.0
    for cid, w in weights.items():
        c = next(c for c in site.criteria if c["id"] == cid)
        lo, hi = c.get("min", 0), c.get("max", 5)
        x = (scores[cid] - lo) / (hi - lo)
        if c.get("direction", "higher-is-better") == "lower-is-better":
            x = 1 - x
        total += w * x
    return 100 * total / sum(weights.values())


def risk_band(p: float) -> int:
    return 1 if p < 0.2 else 2 if p < 0.4 else 3 if p < 0.6 else 4 if p < 0.8 else 5


def risk_zone(score: int) -> str:
    return "High" if score >= 12 else "Medium" if score >= 6 else "Low"


@dataclass
class Risk:
    initiative: Initiative
    title: str
    probability: float
    impact: int
    score: int
    zone: str
    exposure: float
    status: str
    owner: str


def milestone_status(m: dict, as_of: dt.date) -> str:
    done, due = m.get("done"), m["due"]
    if done is not None:
        return "done" if done <= due else "done late"
    return "overdue" if due < as_of else "upcoming"


@dataclass
class PlanRating:
    cost_over: float | None
    cost: str
    realised: float | None
    benefits: str
    overdue: tuple[str, int] | None
    dates: str
    overall: str


def plan_rating(site: Site, i: Initiative, td: ToDate) -> PlanRating | None:
    """methods.md#variance: work in flight against its plan to date."""
    cls = site.stage_class(i)
    if cls not in ("committed", "operating"):
        return None
    worst = lambda *r: max(r, key=["green", "amber", "red"].index)  # noqa: E731
    if td.planned_cost > 0:
        over = (td.actual_cost - td.planned_cost) / td.planned_cost
        cost = "red" if over > 0.10 else "amber" if over > 0.05 else "green"
    else:
        over, cost = None, "red" if td.actual_cost > 0 else "green"
    if td.planned_benefit > 0:
        r = td.actual_benefit / td.planned_benefit
        benefits = "red" if r < 0.80 else "amber" if r < 0.95 else "green"
    else:
        r, benefits = None, "green"
    late = [(m["name"], (site.as_of - m["due"]).days) for m in i.get("milestones", []) if milestone_status(m, site.as_of) == "overdue"]
    if cls == "committed" and i["end"] < site.as_of:
        late.append(("the planned end", (site.as_of - i["end"]).days))
    overdue = None
    for x in late:
        if overdue is None or x[1] > overdue[1]:
            overdue = x
    dates = "green" if overdue is None else "red" if overdue[1] > 30 else "amber"
    return PlanRating(over, cost, r, benefits, overdue, dates, worst(cost, benefits, dates))


def is_stale(site: Site, i: Initiative) -> bool:
    """methods.md#variance: no actuals for the last closed period (or the plan's last, if
    earlier) once the plan had started, or a KPI read more than 120 days before as_of."""
    if site.stage_class(i) not in ("committed", "operating"):
        return False
    n = max(len(i.plan.cost), len(i.plan.benefit))
    expected = min(site.cal.period_of(site.as_of) - 1, i.plan.start + n - 1)
    a = i.actuals
    last = a.start + max(len(a.cost), len(a.benefit)) - 1 if a and (a.cost or a.benefit) else None
    if n > 0 and i.plan.start <= expected and (last is None or last < expected):
        return True
    for k in i.get("kpis", []):
        past = [x["date"] for x in k.get("actuals", []) if x["date"] <= site.as_of]
        if past and (site.as_of - max(past)).days > 120:
            return True
    return False


def kpi_latest(k: dict, as_of: dt.date) -> float | None:
    past = [a for a in k.get("actuals", []) if a["date"] <= as_of]
    return max(past, key=lambda a: a["date"])["value"] if past else None


def kpi_progress(k: dict, as_of: dt.date) -> float | None:
    latest = kpi_latest(k, as_of)
    if latest is None:
        return None
    if k["target"] == k["baseline"]:
        # Nothing to move: all the way when at least as good as the target, else none.
        better = latest >= k["target"] if k.get("direction", "increase") == "increase" else latest <= k["target"]
        return 1.0 if better else 0.0
    return (latest - k["baseline"]) / (k["target"] - k["baseline"])


# --------------------------------------------------------------------------------------
# Everything, per initiative and for the portfolio
# --------------------------------------------------------------------------------------


@dataclass
class Figures:
    i: Initiative
    case: Case
    td: ToDate
    remaining: float | None
    evm: Earned | None
    alignment: float
    exposure: float
    scores: dict[str, float | None] = field(default_factory=dict)
    ranks: dict[str, int | None] = field(default_factory=dict)
    plan: "PlanRating | None" = None
    stale: bool = False


@dataclass
class Group:
    """A roll-up: each member with its share (1, or 1 / its objectives for objectives)."""

    count: int = 0
    investment: float = 0.0
    npv: float = 0.0
    planned_benefit: float = 0.0
    planned_benefit_to_date: float = 0.0
    actual_benefit: float = 0.0
    members: list = field(default_factory=list)

    def add(self, f: Figures, share: float = 1.0) -> None:
        self.count += 1
        self.investment += f.case.total_cost * share
        self.npv += f.case.npv * share
        self.planned_benefit += f.case.total_benefit * share
        self.planned_benefit_to_date += f.td.planned_benefit * share
        self.actual_benefit += f.td.actual_benefit * share
        self.members.append((f, share))

    @property
    def realised(self) -> float | None:
        return self.actual_benefit / self.planned_benefit_to_date if self.planned_benefit_to_date > 0 else None


@dataclass
class Portfolio:
    site: Site
    figures: list[Figures]
    totals: Group
    pv_cost: float
    pv_benefit: float
    actual_cost: float
    planned_cost_to_date: float
    by_stage: dict[str, Group]
    by_value_stream: dict[str, Group]
    by_objective: dict[str, Group]
    risks: list[Risk]  # register order: open and mitigating by score then exposure, closed last
    benefits_by_period: list[tuple[int, float, float | None]]  # period, planned, actual
    budget: list[tuple[int, float, float, float]]  # period, budget, committed, proposed

    def by_id(self, iid: str) -> Figures:
        return next(f for f in self.figures if f.i.id == iid)


def realisation_periods(i: Initiative) -> range:
    """The periods an initiative's realisation covers: its plan's and its actuals'."""
    first, end = i.plan.start, i.plan.start + len(i.plan.cost)
    a = i.actuals
    if a and (a.cost or a.benefit):
        first, end = min(first, a.start), max(end, a.start + max(len(a.cost), len(a.benefit)))
    return range(first, end)


def benefits_by_period(site: Site, initiatives: list[Initiative]) -> list[tuple[int, float, float | None]]:
    """Planned and realised benefit per period over `initiatives`: the current period's
    plan pro-rated to as_of, the actuals recorded for periods up to the current one (None
    where none was recorded)."""
    now = site.cal.period_of(site.as_of)
    planned: dict[int, float] = {}
    actual: dict[int, float] = {}
    for i in initiatives:
        for n in realisation_periods(i):
            k = n - i.plan.start
            b = i.plan.benefit[k] if 0 <= k < len(i.plan.benefit) else 0.0
            planned[n] = planned.get(n, 0.0) + (b * site.cal.elapsed_share(n, site.as_of) if n == now else b)
            a = i.actuals
            if a and n <= now and 0 <= n - a.start < len(a.benefit):
                actual[n] = actual.get(n, 0.0) + a.benefit[n - a.start]
    return [(n, planned[n], actual.get(n)) for n in sorted(planned)]


def analyse(site: Site) -> Portfolio:
    total_weight = sum(o["weight"] for o in site.objectives)
    figures = []
    for i in site.initiatives:
        case = business_case(site, i)
        td = to_date(site, i)
        weights = {o["id"]: o["weight"] for o in site.objectives}
        f = Figures(
            i=i,
            case=case,
            td=td,
            remaining=remaining_value(site, i),
            evm=earned_value(site, i, td) if i.actuals is not None else None,
            alignment=sum(weights[o] for o in i["objectives"]) / total_weight,
            exposure=sum(r["probability"] * r["impact"] for r in i.get("risks", []) if r.get("status", "open") != "closed"),
            plan=plan_rating(site, i, td),
            stale=is_stale(site, i),
        )
        for m in site.models:
            # Closed work is neither scored nor ranked (methods.md#scores).
            f.scores[m["id"]] = None if site.stage_class(i) == "closed" else score(site, m, i)
        figures.append(f)
    # Ranks among the open initiatives (not closed), best first, ties by id.
    for m in site.models:
        ranked = sorted(
            (f for f in figures if site.stage_class(f.i) != "closed" and f.scores[m["id"]] is not None),
            key=lambda f: (-f.scores[m["id"]], f.i.id),
        )
        for f in figures:
            f.ranks[m["id"]] = None
        for k, f in enumerate(ranked):
            f.ranks[m["id"]] = k + 1

    totals = Group()
    by_stage = {s["id"]: Group() for s in site.stages}
    by_vs = {v["id"]: Group() for v in site.value_streams}
    by_obj = {o["id"]: Group() for o in site.objectives}
    for f in figures:
        totals.add(f)
        by_stage[f.i["stage"]].add(f)
        by_vs[f.i["value_stream"]].add(f)
        for o in f.i["objectives"]:
            by_obj[o].add(f, 1 / len(f.i["objectives"]))

    risks = []
    for f in figures:
        for r in f.i.get("risks", []):
            band = risk_band(r["probability"])
            s = band * r["impact"]
            risks.append(Risk(f.i, r["title"], r["probability"], r["impact"], s, risk_zone(s), r["probability"] * r["impact"], r.get("status", "open"), r.get("owner", "")))
    risks.sort(key=lambda r: (r.status == "closed", -r.score, -r.exposure))

    benefits = benefits_by_period(site, site.initiatives)
    budget = []
    if site.budget:
        for n, amount in zip(site.budget.periods(), site.budget.cost):
            committed = proposed = 0.0
            for f in figures:
                c = f.i.plan.cost[n - f.i.plan.start] if 0 <= n - f.i.plan.start < len(f.i.plan.cost) else 0.0
                cls = site.stage_class(f.i)
                if cls in ("committed", "operating"):
                    committed += c
                elif cls == "proposed":
                    proposed += c
            budget.append((n, amount, committed, proposed))

    return Portfolio(
        site=site,
        figures=figures,
        totals=totals,
        pv_cost=sum(f.case.pv_cost for f in figures),
        pv_benefit=sum(f.case.pv_benefit for f in figures),
        actual_cost=sum(f.td.actual_cost for f in figures),
        planned_cost_to_date=sum(f.td.planned_cost for f in figures),
        by_stage=by_stage,
        by_value_stream=by_vs,
        by_objective=by_obj,
        risks=risks,
        benefits_by_period=benefits,
        budget=budget,
    )


# --------------------------------------------------------------------------------------
# Budget selection (methods.md#selection), by trying every set of proposed initiatives
# --------------------------------------------------------------------------------------

MAX_PROPOSED = 16  # 2^16 sets; beyond that the oracle does not check the selection


@dataclass
class Selection:
    funded_npv: float  # committed and live work, funded first
    funded_count: int
    value: float  # NPV of the proposed initiatives selected
    chosen: frozenset[str]
    unique: bool  # no other set is worth as much (to half a cent)


def cost_in(i: Initiative, n: int) -> float:
    k = n - i.plan.start
    return i.plan.cost[k] if 0 <= k < len(i.plan.cost) else 0.0


def select(p: "Portfolio", scale: float = 1.0, total: float | None = None) -> Selection | None:
    """The best set of proposed initiatives within the envelope times `scale` in every
    period or, with `total`, within one total over the envelope's periods; None when
    funded work alone (with what it depends on) is over that total. A set holds what
    its members depend on."""
    site = p.site
    periods = site.budget.periods()
    envelope = [x * scale for x in site.budget.cost]
    funded = [f for f in p.figures if site.stage_class(f.i) in ("committed", "operating")]
    proposed = [f for f in p.figures if site.stage_class(f.i) == "proposed"]
    if len(proposed) > MAX_PROPOSED:
        return None
    base = [sum(cost_in(f.i, n) for f in funded) for n in periods]
    if total is not None and sum(base) > total:
        return None
    ids = {f.i.id for f in proposed}
    # Funded work comes with what it depends on: a proposed initiative that it needs
    # (directly or through other proposed ones) is funded with it.
    by_id = {f.i.id: f for f in p.figures}
    forced: set[str] = set()
    stack = [f.i.id for f in funded]
    while stack:
        for d in by_id[stack.pop()].i.get("depends_on", []):
            if d in ids and d not in forced:
                forced.add(d)
                stack.append(d)
    costs = [[cost_in(f.i, n) for n in periods] for f in proposed]
    best, chosen, ties = -math.inf, frozenset(), 0
    for mask in range(1 << len(proposed)):
        members = [k for k in range(len(proposed)) if mask >> k & 1]
        names = {proposed[k].i.id for k in members}
        if not forced <= names or any(d in ids and d not in names for k in members for d in proposed[k].i.get("depends_on", [])):
            continue
        spend = [base[j] + sum(costs[k][j] for k in members) for j in range(len(periods))]
        if total is not None:
            if sum(spend) > total + 1e-6:
                continue
        elif any(spend[j] > envelope[j] + 1e-6 and any(costs[k][j] > 0 for k in members) for j in range(len(periods))):
            continue
        v = sum(proposed[k].case.npv for k in members)
        if v > best + 0.005:
            best, chosen, ties = v, frozenset(names), 1
        elif abs(v - best) <= 0.005:
            ties += 1
    return Selection(sum(f.case.npv for f in funded), len(funded), best, chosen, ties == 1)


if __name__ == "__main__":
    import sys

    p = analyse(load(Path(sys.argv[1] if len(sys.argv) > 1 else ".")))
    t = p.totals
    print(f"{t.count} initiatives, investment {t.investment:,.0f}, NPV {t.npv:,.2f}, benefits {t.planned_benefit:,.0f}")
    for f in p.figures:
        print(f"{f.i.id:40} npv {f.case.npv:16,.2f} irr {f.case.irr_roots} payback {f.case.payback}")
