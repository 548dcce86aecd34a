#!/usr/bin/env python3
"""Golden figures: compares what a built site says with the oracle.

    python3 tests/golden/check.py --site SITE_DIR --out BUILT_DIR

Reads the content of SITE_DIR with `oracle.py` (the documented formulas, nothing shared
with the render code), parses the built pages (html.parser) and the downloads
(`data/initiatives.csv`, `data/portfolio.json`) of BUILT_DIR, and compares every
headline figure, roll-up and table cell with the oracle, written the way
docs/methods.md says numbers are written. Prints every mismatch (page, cell, expected,
found) and how many figures were compared per page type; exits 1 on any mismatch, 2 when
a page or table it needs is missing.

Python 3.11 standard library only.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import re
import sys
from decimal import ROUND_HALF_UP, Decimal
from html.parser import HTMLParser
from pathlib import Path

if sys.version_info < (3, 11):
    sys.exit(f"the golden check needs Python 3.11 or later (tomllib), not {sys.version.split()[0]}")
sys.path.insert(0, str(Path(__file__).resolve().parent))
import tomllib  # noqa: E402

import oracle  # noqa: E402

# --------------------------------------------------------------------------------------
# Numbers as docs/methods.md writes them
# --------------------------------------------------------------------------------------

# Mismatches pinned as known (a site's own list, beside its content/).
KNOWN = "golden-known-mismatches.txt"

SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£", "JPY": "¥", "INR": "₹"}
MINUS = "−"


def round_half_away(x: float, decimals: int) -> Decimal:
    """`x` rounded half away from zero, as spreadsheets do (€20.25M reads €20.3M)."""
    return Decimal(repr(x)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def _trimmed(d: Decimal) -> str:
    s = f"{d:f}"
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return s


def _grouped(digits: str) -> str:
    whole, _, frac = digits.partition(".")
    whole = f"{int(whole):,}"
    return f"{whole}.{frac}" if frac else whole


def _money(code: str, digits: str, negative: bool) -> str:
    sign = MINUS if negative else ""
    sym = SYMBOLS.get(code)
    return f"{sign}{sym}{digits}" if sym else f"{sign}{code}\u00a0{digits}"


def money(x: float, code: str) -> str:
    """A full amount, to the unit: €45,518,364."""
    r = round_half_away(abs(x), 0)
    return _money(code, f"{int(r):,}", x < 0 and r > 0)


def money_short(x: float, code: str) -> str:
    """A short amount (tiles, charts, lists): €45.5M, €155M, €350k, €950, €1.25B."""
    a = abs(x)
    if a >= 1e9:
        digits = _trimmed(round_half_away(a / 1e9, 2)) + "B"
    elif a >= 1e8:
        digits = _trimmed(round_half_away(a / 1e6, 0)) + "M"
    elif a >= 1e6:
        digits = _trimmed(round_half_away(a / 1e6, 1)) + "M"
    elif a >= 1e3:
        digits = _trimmed(round_half_away(a / 1e3, 0)) + "k"
    else:
        digits = _trimmed(round_half_away(a, 0))
    return _money(code, digits, x < 0 and digits.strip("0.kMB") != "")


def pct(x: float | None, decimals: int = 0) -> str:
    if x is None or not math.isfinite(x):
        return "n/a"
    r = round_half_away(x * 100, decimals)
    s = f"{abs(r):f}%"
    return (MINUS + s) if r < 0 else s


def num(x: float | None, decimals: int) -> str:
    """A plain number, up to `decimals` decimals, trailing zeros dropped, grouped."""
    if x is None or not math.isfinite(x):
        return "n/a"
    r = round_half_away(abs(x), decimals)
    body = _grouped(_trimmed(r))
    return (MINUS + body) if x < 0 and r != 0 else body


# --------------------------------------------------------------------------------------
# HTML as a tree
# --------------------------------------------------------------------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# Elements whose text reads apart from what surrounds it.
BLOCK = {"div", "p", "li", "ul", "ol", "br", "tr", "td", "th", "dt", "dd", "h1", "h2", "h3", "section", "table", "details", "summary"}


class Node:
    def __init__(self, tag: str, attrs: dict, parent: Node | None):
        self.tag, self.attrs, self.parent, self.children = tag, attrs, parent, []

    @property
    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())

    def text(self) -> str:
        out: list[str] = []

        def walk(n: Node) -> None:
            for c in n.children:
                if isinstance(c, str):
                    out.append(c)
                elif c.tag not in ("svg", "script", "style"):
                    if c.tag in BLOCK:
                        out.append(" ")
                    walk(c)
                    if c.tag in BLOCK:
                        out.append(" ")

        walk(self)
        # ASCII white space only: a no-break space (CHF\u00a01,200) is part of the text.
        return re.sub(r"[ \t\n\r\f]+", " ", "".join(out)).strip()

    def iter(self):
        yield self
        for c in self.children:
            if isinstance(c, Node) and c.tag != "svg":
                yield from c.iter()

    def find_all(self, tag: str | None = None, cls: str | None = None) -> list[Node]:
        return [n for n in self.iter() if (tag is None or n.tag == tag) and (cls is None or cls in n.classes)]

    def find(self, tag: str | None = None, cls: str | None = None) -> Node | None:
        found = self.find_all(tag, cls)
        return found[0] if found else None

    def ancestor(self, tag: str) -> Node | None:
        n = self.parent
        while n is not None and n.tag != tag:
            n = n.parent
        return n


class TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {}, None)
        self.cur = self.root

    def handle_starttag(self, tag, attrs):
        n = Node(tag, dict(attrs), self.cur)
        self.cur.children.append(n)
        if tag not in VOID:
            self.cur = n

    def handle_startendtag(self, tag, attrs):
        self.cur.children.append(Node(tag, dict(attrs), self.cur))

    def handle_endtag(self, tag):
        n = self.cur
        while n is not None and n.tag != tag:
            n = n.parent
        if n is not None and n.parent is not None:
            self.cur = n.parent

    def handle_data(self, data):
        self.cur.children.append(data)


class Table:
    def __init__(self, name: str, node: Node):
        self.name, self.node = name, node
        self.head = [c.text() for tr in self._rows("thead") for c in self._cells(tr)]
        self.body = [[c for c in self._cells(tr)] for tr in self._rows("tbody")]
        self.foot = [[c for c in self._cells(tr)] for tr in self._rows("tfoot")]

    def _rows(self, part: str) -> list[Node]:
        return [tr for sec in self.node.children if isinstance(sec, Node) and sec.tag == part for tr in sec.find_all("tr")]

    @staticmethod
    def _cells(tr: Node) -> list[Node]:
        return [c for c in tr.children if isinstance(c, Node) and c.tag in ("th", "td")]

    def rows(self) -> list[list[str]]:
        return [[c.text() for c in r] for r in self.body]


class Page:
    def __init__(self, path: Path, rel: str):
        b = TreeBuilder()
        b.feed(path.read_text(encoding="utf-8"))
        self.rel = rel
        self.root = b.root
        main = self.root.find("main")
        self.main = main if main is not None else self.root
        self.tables: list[Table] = []
        heading = ""
        for n in self.main.iter():
            if n.tag in ("h1", "h2", "h3"):
                heading = n.text()
            if n.tag == "table":
                details = n.ancestor("details")
                summary = details.find("summary") if details is not None else None
                caption = next((c for c in n.children if isinstance(c, Node) and c.tag == "caption"), None)
                name = caption.text() if caption is not None else summary.text() if summary is not None else heading
                self.tables.append(Table(name, n))

    def tiles(self, within: Node | None = None) -> dict[str, tuple[str, str]]:
        out = {}
        for t in (within or self.main).find_all("div", "tile"):
            label = t.find("div", "tile-label")
            value = t.find("div", "tile-value")
            note = t.find("div", "tile-note")
            out[label.text() if label else ""] = (value.text() if value else "", note.text() if note else "")
        return out

    def table(self, name: str) -> Table | None:
        for t in self.tables:
            if t.name == name:
                return t
        return None

    def meta(self, cls: str | None = None) -> dict[str, str]:
        out = {}
        for dl in self.main.find_all("dl", cls):
            dts = [c for c in dl.children if isinstance(c, Node) and c.tag in ("dt", "dd")]
            for a, b in zip(dts, dts[1:]):
                if a.tag == "dt" and b.tag == "dd":
                    out[a.text()] = b.text()
        return out


# --------------------------------------------------------------------------------------
# The comparison
# --------------------------------------------------------------------------------------


class Checker:
    def __init__(self, out: Path):
        self.out = out
        self.counts: dict[str, int] = {}
        self.mismatches: list[str] = []
        self.missing: list[str] = []

    def eq(self, kind: str, where: str, cell: str, expected, found) -> None:
        self.counts[kind] = self.counts.get(kind, 0) + 1
        if expected != found:
            self.mismatches.append(f"{where}: {cell}: expected {expected!r}, found {found!r}")

    def close(self, kind: str, where: str, cell: str, expected: float | None, found: str) -> None:
        """A raw number of a download: equal to within a relative 1e-9 (blank for none)."""
        self.counts[kind] = self.counts.get(kind, 0) + 1
        if expected is None or (isinstance(expected, float) and not math.isfinite(expected)):
            if found != "":
                self.mismatches.append(f"{where}: {cell}: expected blank, found {found!r}")
            return
        try:
            v = float(found)
        except ValueError:
            self.mismatches.append(f"{where}: {cell}: expected {expected!r}, found {found!r}")
            return
        if not math.isclose(v, expected, rel_tol=1e-9, abs_tol=1e-6):
            self.mismatches.append(f"{where}: {cell}: expected {expected!r}, found {found!r}")

    def page(self, rel: str) -> Page | None:
        path = self.out / rel
        if not path.is_file():
            self.missing.append(f"{rel}: page missing")
            return None
        return Page(path, rel)

    def need(self, where: str, what: str, thing):
        if thing is None:
            self.missing.append(f"{where}: {what} missing")
        return thing

    def rows_of(self, kind: str, where: str, table: Table | None, expected: list[list[str]], key_columns: int = 1) -> None:
        """Compares a table's body, row by row and cell by cell, with `expected`."""
        if table is None:
            self.missing.append(f"{where}: table missing")
            return
        found = table.rows()
        self.eq(kind, where, f"{table.name}: number of rows", len(expected), len(found))
        for e, f in zip(expected, found):
            label = " / ".join(e[:key_columns])
            for k, (ec, fc) in enumerate(zip(e, f)):
                head = table.head[k] if k < len(table.head) else f"column {k + 1}"
                if ec is None:  # not compared
                    continue
                self.eq(kind, where, f"{table.name}: row {label!r}: {head}", ec, fc)
            if len(e) != len(f):
                self.eq(kind, where, f"{table.name}: row {label!r}: number of cells", len(e), len(f))


# --------------------------------------------------------------------------------------
# Page by page
# --------------------------------------------------------------------------------------


def discounting_label(site: oracle.Site) -> str:
    return {"end-of-period": "end-of-period flows", "mid-period": "mid-period flows", "start-of-period": "start-of-period flows"}[site.discounting]


def realised_text(x: float | None) -> str:
    return "—" if x is None else pct(x, 0)


def period_label(p: oracle.Portfolio, n: int) -> str:
    now = p.site.cal.period_of(p.site.as_of)
    return p.site.cal.label(n) + (" to date" if n == now else "")


def stage_name(p: oracle.Portfolio, f: oracle.Figures) -> str:
    return p.site.stage(f.i["stage"])["name"]


def vs_name(p: oracle.Portfolio, f: oracle.Figures) -> str:
    return next(v["name"] for v in p.site.value_streams if v["id"] == f.i["value_stream"])


def by_npv(figures: list[oracle.Figures]) -> list[oracle.Figures]:
    return sorted(figures, key=lambda f: (-f.case.npv, f.i.id))


def value_vs_effort_rows(p: oracle.Portfolio, figures: list[oracle.Figures]) -> list[list[str]]:
    cur = p.site.currency
    return [[f.i["title"], vs_name(p, f), money(f.case.total_cost, cur), money(f.case.npv, cur), pct(f.alignment, 0)] for f in by_npv(figures)]


def share_rows(names_values: list[tuple[str, float]], cur: str) -> list[list[str]]:
    total = sum(v for _, v in names_values)
    return [[n, money(v, cur), pct(v / total, 0) if total else "n/a"] for n, v in names_values]


def benefits_rows(p: oracle.Portfolio, periods: list[tuple[int, float, float | None]]) -> list[list[str]]:
    cur = p.site.currency
    return [[period_label(p, n), money(pl, cur), "—" if a is None else money(a, cur)] for n, pl, a in periods]


def check_dashboard(c: Checker, p: oracle.Portfolio) -> None:
    kind, where = "dashboard", "index.html"
    page = c.page(where)
    if page is None:
        return
    s, cur, t = p.site, p.site.currency, p.totals
    tiles = page.tiles()
    classes = [s.stage_class(f.i) for f in p.figures]
    expected = {
        "Initiatives": (str(t.count), f"{classes.count('proposed')} proposed · {classes.count('committed')} in delivery · {classes.count('operating')} live"),
        "Planned investment": (money_short(t.investment, cur), "lifetime cost, all stages"),
        "Planned benefits": (money_short(t.planned_benefit, cur), "lifetime, undiscounted"),
        "Portfolio NPV": (money_short(t.npv, cur), f"at {pct(s.rate, 1)}, {discounting_label(s)}"),
        "Portfolio ROI": (pct((t.planned_benefit - t.investment) / t.investment, 0) if t.investment > 0 else "—", "(benefit − cost) ÷ cost"),
        "Spent to date": (money_short(p.actual_cost, cur), f"vs {money_short(p.planned_cost_to_date, cur)} planned"),
        "Benefits realised": (realised_text(t.realised), f"{money_short(t.actual_benefit, cur)} of {money_short(t.planned_benefit_to_date, cur)} planned to date"),
    }
    for label, (value, note) in expected.items():
        got = tiles.get(label)
        if c.need(where, f"tile {label!r}", got) is None:
            continue
        c.eq(kind, where, f"tile {label!r}", value, got[0])
        c.eq(kind, where, f"tile {label!r} note", note, got[1])

    # Status by stage
    table = page.table("Status by stage")
    if c.need(where, "table 'Status by stage'", table):
        exp = []
        for st in s.stages:
            g = p.by_stage[st["id"]]
            exp.append([st["name"], str(g.count), money_short(g.investment, cur), money_short(g.npv, cur), None])
        c.rows_of(kind, where, table, exp)
        for st, row in zip(s.stages, table.body):
            health = {h: 0 for h in ("green", "amber", "red")}
            for f, _ in p.by_stage[st["id"]].members:
                health[f.i.get("health", "green")] += 1
            spans = {h: "" for h in health}
            for sp in row[-1].find_all("span", "health"):
                for h in health:
                    if f"health-{h}" in sp.classes:
                        spans[h] = sp.text()
            for h, n in health.items():
                c.eq(kind, where, f"Status by stage: row {st['name']!r}: {h}", str(n) if n else "", spans[h])

    c.rows_of(kind, where, page.table("Data table: Portfolio: value vs effort"), value_vs_effort_rows(p, p.figures))
    c.rows_of(kind, where, page.table("Data table: Investment by value stream"), share_rows([(v["name"], p.by_value_stream[v["id"]].investment) for v in s.value_streams], cur))
    c.rows_of(kind, where, page.table("Data table: Investment by strategic objective"), share_rows([(o["name"], p.by_objective[o["id"]].investment) for o in s.objectives], cur))
    c.rows_of(kind, where, page.table("Data table: Benefits: planned vs realised"), benefits_rows(p, p.benefits_by_period))
    if p.budget:
        c.rows_of(kind, where, page.table("Data table: Budget envelope vs committed cost"), [[s.cal.label(n), money(b, cur), money(cm, cur)] for n, b, cm, _ in p.budget])

    # Top risks: the first six open and mitigating risks of the register.
    top = [r for r in p.risks if r.status != "closed"][:6]
    table = page.table("Top risks")
    if c.need(where, "table 'Top risks'", table):
        found = table.rows()
        c.eq(kind, where, "Top risks: number of rows", len(top), len(found))
        c.eq(kind, where, "Top risks: order (score, exposure)", [(r.score, round(r.exposure, 9)) for r in top], [risk_key(p, row) for row in found])
        for row in found:
            check_risk_row(c, kind, where, p, row, {"P": 2, "Impact": 3, "Score": 4, "Zone": 5})

    # Top priorities: the first model's ranking, open initiatives, best first.
    model = s.models[0]
    ranked = sorted((f for f in p.figures if f.ranks[model["id"]] is not None), key=lambda f: f.ranks[model["id"]])[:8]
    sec = next((h.parent for h in page.main.find_all("h2") if h.text().startswith("Top priorities")), None)
    if c.need(where, "section 'Top priorities'", sec):
        c.eq(kind, where, "Top priorities: heading", f"Top priorities ({model['name']})", sec.find("h2").text())
        items = sec.find("ol").find_all("li")
        health = lambda f: "" if f.i.get("health", "green") == "green" else f" {f.i['health'].capitalize()}"  # noqa: E731
        exp = [f"{f.i['title']} score {num(f.scores[model['id']], 1)} · {stage_name(p, f)}{health(f)}" for f in ranked]
        c.eq(kind, where, "Top priorities: number of items", len(exp), len(items))
        for k, (e, li) in enumerate(zip(exp, items)):
            c.eq(kind, where, f"Top priorities: item {k + 1}", e, li.text())

    # Work in flight against its plan to date (methods.md#variance).
    order = ["green", "amber", "red"]
    rated = [f for f in p.figures if f.plan is not None]
    tiles = page.tiles()
    for rag in order:
        c.eq(kind, where, f"Against plan: {rag}", num(sum(f.plan.overall == rag for f in rated), 0), tiles.get(rag.capitalize(), ("", ""))[0])
    off = sorted((f for f in rated if f.plan.overall != "green"), key=lambda f: (-order.index(f.plan.overall), -f.td.planned_cost))[:10]

    def cost_text(r: oracle.PlanRating) -> str:
        if r.cost_over is None:
            return "spending, none planned yet" if r.cost == "red" else "none planned yet"
        if abs(r.cost_over) < 0.005:
            return "on plan"
        return f"{pct(r.cost_over)} over plan" if r.cost_over > 0 else f"{pct(-r.cost_over)} under plan"

    def dates_text(r: oracle.PlanRating) -> str:
        if r.overdue is None:
            return "on time"
        name, days = r.overdue
        return f"{name} {num(days, 0)} day{'' if days == 1 else 's'} overdue"

    table = page.table("Red and amber against plan")
    if off and c.need(where, "table 'Red and amber against plan'", table):
        exp = [
            [
                f.i["title"] + (" (stale figures)" if f.stale else ""),
                f.plan.overall.capitalize(),
                cost_text(f.plan),
                money_short(f.td.actual_cost, cur),
                "none planned yet" if f.plan.realised is None else f"{pct(f.plan.realised)} of plan",
                dates_text(f.plan),
            ]
            for f in off
        ]
        c.rows_of(kind, where, table, exp)
        # Each count's own rating, marked on its cell.
        for f, row in zip(off, table.body):
            for col, rag in ((2, f.plan.cost), (4, f.plan.benefits), (5, f.plan.dates)):
                found = next((x[4:] for x in row[col].classes if x.startswith("rag-")), "")
                c.eq(kind, where, f"Against plan: {f.i.id} column {col} rating", rag, found)


def risk_by_row(p: oracle.Portfolio, title: str, initiative: str) -> oracle.Risk | None:
    return next((r for r in p.risks if r.title == title and r.initiative["title"] == initiative), None)


def risk_key(p: oracle.Portfolio, row: list[str]):
    r = risk_by_row(p, row[0], row[1])
    return None if r is None else (r.score, round(r.exposure, 9))


def check_risk_row(c: Checker, kind: str, where: str, p: oracle.Portfolio, row: list[str], cols: dict[str, int]) -> None:
    r = risk_by_row(p, row[0], row[1])
    if r is None:
        c.eq(kind, where, "risk", "a risk of the content", f"{row[0]} ({row[1]})")
        return
    exp = {
        "P": pct(r.probability, 0),
        "Probability": pct(r.probability, 0),
        "Impact": str(r.impact),
        "Score": str(r.score),
        "Zone": r.zone if r.status != "closed" else "—",
        "Exposure": num(r.exposure, 2),
        "Owner": r.owner,
        "Status": r.status,
    }
    for name, k in cols.items():
        c.eq(kind, where, f"risk {r.title!r}: {name}", exp[name], row[k])


def check_initiatives_index(c: Checker, p: oracle.Portfolio) -> None:
    kind, where = "initiatives list", "initiatives/index.html"
    page = c.page(where)
    if page is None:
        return
    figures = sorted(p.figures, key=lambda f: (f.i["title"].lower(), f.i.id))
    c.rows_of(kind, where, page.table("Initiatives") or (page.tables[0] if page.tables else None), initiative_rows(p, figures))


def initiative_rows(p: oracle.Portfolio, figures: list[oracle.Figures]) -> list[list[str]]:
    cur = p.site.currency
    return [
        [
            f.i["title"],
            f.i["kind"],
            stage_name(p, f),
            vs_name(p, f),
            f.i["owner"],
            f.i.get("health", "green").capitalize(),
            money_short(f.case.total_cost, cur),
            money_short(f.case.npv, cur),
            pct(f.case.roi, 0),
            realised_text(f.td.realised),
        ]
        for f in figures
    ]


def check_groups(c: Checker, p: oracle.Portfolio, kind_name: str) -> None:
    s, cur = p.site, p.site.currency
    if kind_name == "value-streams":
        kind, groups, rollups, chart = "value streams", s.value_streams, p.by_value_stream, "Data table: Investment by value stream"
    else:
        kind, groups, rollups, chart = "objectives", s.objectives, p.by_objective, "Data table: Investment by strategic objective"
    where = f"{kind_name}/index.html"
    page = c.page(where)
    if page is not None:
        c.rows_of(kind, where, page.table(chart), share_rows([(g["name"], rollups[g["id"]].investment) for g in groups], cur))
        total_weight = sum(o["weight"] for o in s.objectives)
        exp = []
        for g in groups:
            r = rollups[g["id"]]
            name = g["name"] + (" " + " ".join(g.get("description", "").split()) if g.get("description") else "")
            row = [name] + ([pct(g["weight"] / total_weight, 0)] if kind_name == "objectives" else [])
            row += [g.get("owner", ""), str(r.count), money_short(r.investment, cur), money_short(r.npv, cur), realised_text(r.realised)]
            exp.append(row)
        table = next((t for t in page.tables if not t.name.startswith("Data table")), None)
        c.rows_of(kind, where, table, exp)
    for g in groups:
        where = f"{kind_name}/{g['id']}/index.html"
        page = c.page(where)
        if page is None:
            continue
        r = rollups[g["id"]]
        tiles = page.tiles()
        note = "lifetime cost" if kind_name == "value-streams" else "equal share of multi-objective initiatives"
        for label, value, n in [
            ("Initiatives", str(r.count), ""),
            ("Investment", money_short(r.investment, cur), note),
            ("NPV", money_short(r.npv, cur), ""),
            ("Benefits realised", realised_text(r.realised), "to date vs plan"),
        ]:
            got = tiles.get(label)
            if c.need(where, f"tile {label!r}", got) is None:
                continue
            c.eq(kind, where, f"tile {label!r}", value, got[0])
            c.eq(kind, where, f"tile {label!r} note", n, got[1])
        by_stage = [(st["name"], sum(f.case.total_cost * share for f, share in r.members if f.i["stage"] == st["id"])) for st in s.stages]
        c.rows_of(kind, where, page.table(f"Data table: {g['name']}: investment by stage"), share_rows(by_stage, cur))
        members = [f for f, _ in r.members]
        c.rows_of(kind, where, page.table(f"Data table: {g['name']}: value vs effort"), value_vs_effort_rows(p, members))
        c.rows_of(kind, where, page.table("Initiatives"), initiative_rows(p, by_npv(members)))


def check_benefits(c: Checker, p: oracle.Portfolio) -> None:
    kind, where = "benefits", "benefits/index.html"
    page = c.page(where)
    if page is None:
        return
    cur, t = p.site.currency, p.totals
    tiles = page.tiles()
    for label, value, note in [
        ("Planned to date", money_short(t.planned_benefit_to_date, cur), ""),
        ("Realised to date", money_short(t.actual_benefit, cur), ""),
        ("Realised", realised_text(t.realised), "of planned to date"),
        ("Lifetime plan", money_short(t.planned_benefit, cur), ""),
    ]:
        got = tiles.get(label)
        if c.need(where, f"tile {label!r}", got) is None:
            continue
        c.eq(kind, where, f"tile {label!r}", value, got[0])
        c.eq(kind, where, f"tile {label!r} note", note, got[1])
    c.rows_of(kind, where, page.table("Data table: Benefits: planned vs realised"), benefits_rows(p, p.benefits_by_period))
    shown = [(k, f) for k, f in enumerate(p.figures) if f.td.planned_benefit > 0 or f.td.actual_benefit > 0]
    shown.sort(key=lambda kf: (kf[1].td.realised if kf[1].td.realised is not None else math.inf, kf[0]))
    exp = [
        [
            f.i["title"],
            stage_name(p, f),
            money_short(f.td.planned_benefit, cur),
            money_short(f.td.actual_benefit, cur),
            realised_text(f.td.realised),
            realised_text(f.td.realised) if f.td.realised is not None else "",
            money_short(f.td.actual_cost, cur),
            money_short(f.td.planned_cost, cur),
        ]
        for _, f in shown
    ]
    c.rows_of(kind, where, page.table("By initiative"), exp)


def heat_map_rows(p: oracle.Portfolio) -> list[list[str]]:
    """Open and mitigating risks by probability band (highest first) and impact 1 to 5."""
    live = [r for r in p.risks if r.status != "closed"]
    labels = ["80% to 100%", "60% to under 80%", "40% to under 60%", "20% to under 40%", "under 20%"]
    return [[label] + [str(sum(1 for r in live if oracle.risk_band(r.probability) == band and r.impact == i)) for i in range(1, 6)] for band, label in zip(range(5, 0, -1), labels)]


def check_risks(c: Checker, p: oracle.Portfolio) -> None:
    kind, where = "risks", "risks/index.html"
    page = c.page(where)
    if page is None:
        return
    live = [r for r in p.risks if r.status != "closed"]
    tiles = page.tiles()
    for label, value in [
        ("Open risks", str(len(live))),
        ("High zone", str(sum(1 for r in live if r.zone == "High"))),
        ("Initiatives at risk", str(len({r.initiative.id for r in live}))),
    ]:
        got = tiles.get(label)
        if c.need(where, f"tile {label!r}", got):
            c.eq(kind, where, f"tile {label!r}", value, got[0])
    c.rows_of(kind, where, page.table("Data table: Risk heat map"), heat_map_rows(p))
    table = page.table("Register")
    if c.need(where, "table 'Register'", table):
        found = table.rows()
        c.eq(kind, where, "Register: number of rows", len(p.risks), len(found))
        c.eq(
            kind,
            where,
            "Register: order (closed last, score, exposure)",
            [(r.status == "closed", r.score, round(r.exposure, 9)) for r in p.risks],
            [(row[9] == "closed",) + (risk_key(p, row) or (None, None)) for row in found],
        )
        for row in found:
            check_risk_row(c, kind, where, p, row, {"Probability": 2, "Impact": 3, "Score": 4, "Zone": 5, "Exposure": 6, "Owner": 7, "Status": 9})


def check_roadmap(c: Checker, p: oracle.Portfolio) -> None:
    kind, where = "roadmap", "roadmap/index.html"
    page = c.page(where)
    if page is None:
        return
    s = p.site
    ms = []
    for f in p.figures:
        for m in f.i.get("milestones", []):
            ms.append((m["due"], m["name"], f.i["title"], m))
    exp = {(str(d), n, t): [str(d), n, t, str(m["done"]) if m.get("done") else "—", oracle.milestone_status(m, s.as_of)] for d, n, t, m in ms}
    table = page.table("Milestones")
    if c.need(where, "table 'Milestones'", table):
        found = table.rows()
        c.eq(kind, where, "Milestones: number of rows", len(exp), len(found))
        c.eq(kind, where, "Milestones: in due-date order", sorted(str(d) for d, *_ in ms), [r[0] for r in found])
        for row in found:
            e = exp.get((row[0], row[1], row[2]))
            if e is None:
                c.eq(kind, where, "milestone", "a milestone of the content", " / ".join(row))
                continue
            for k, head in enumerate(table.head):
                c.eq(kind, where, f"milestone {row[1]!r}: {head}", e[k], row[k])
    check_roadmap_table(c, kind, where, p, c.need(where, "table 'Data table: Portfolio roadmap'", page.table("Data table: Portfolio roadmap")))


def check_roadmap_table(c: Checker, kind: str, where: str, p: oracle.Portfolio, table: Table | None) -> None:
    """Every initiative, grouped by value stream (in their order), by start date."""
    s = p.site
    if table is not None:
        found = table.rows()
        vs_order = {v["id"]: k for k, v in enumerate(s.value_streams)}
        figures = sorted(p.figures, key=lambda f: (vs_order[f.i["value_stream"]], f.i["start"]))
        c.eq(kind, where, "Roadmap: number of rows", len(figures), len(found))
        c.eq(kind, where, "Roadmap: grouped by value stream, by start", [(vs_name(p, f), str(f.i["start"])) for f in figures], [(r[1], r[2]) for r in found])
        byt = {f.i["title"]: f for f in p.figures}
        for row in found:
            f = byt.get(row[0])
            if f is None:
                c.eq(kind, where, "roadmap row", "an initiative", row[0])
                continue
            c.eq(kind, where, f"roadmap {row[0]!r}: row", [f.i["title"], vs_name(p, f), str(f.i["start"]), str(f.i["end"])], row)


def check_prioritisation(c: Checker, p: oracle.Portfolio) -> None:
    kind, where = "prioritisation", "prioritisation/index.html"
    page = c.page(where)
    if page is None:
        return
    s, cur = p.site, p.site.currency
    for m in s.models:
        ranked = sorted((f for f in p.figures if f.ranks[m["id"]] is not None), key=lambda f: f.ranks[m["id"]])
        exp = []
        for f in ranked:
            if m["kind"] == "wsjf":
                w = f.i["wsjf"]
                inputs = [w["business_value"], w["time_criticality"], w["risk_reduction"], w["job_size"]]
            elif m["kind"] == "rice":
                r = f.i["rice"]
                inputs = [r["reach"], r["impact"], r["confidence"], r["effort"]]
            else:
                inputs = [f.i["criteria"][cid] for cid in sorted(m["weights"])]
            exp.append([str(f.ranks[m["id"]]), f.i["title"], stage_name(p, f)] + [num(x, 2) for x in inputs] + [num(f.scores[m["id"]], 2), money_short(f.case.total_cost, cur)])
        c.rows_of(kind, where, page.table(m["name"]), exp, key_columns=2)
    if p.budget:
        # Envelope by period: the envelope and the cost of funded (committed and live) work.
        table = page.table("Envelope by year" if s.cal.cadence == "year" else "Envelope by quarter")
        if c.need(where, "table 'Envelope by period'", table):
            for (n, budget, committed, _), row in zip(p.budget, table.rows()):
                c.eq(kind, where, f"envelope {s.cal.label(n)}", [s.cal.label(n), money_short(budget, cur), money_short(committed, cur)], row[:3])
            c.eq(kind, where, "envelope: number of rows", len(p.budget), len(table.rows()))
        check_selection(c, p, page, table)


def check_selection(c: Checker, p: oracle.Portfolio, page: Page, envelope: Table | None) -> None:
    kind, where = "prioritisation", "prioritisation/index.html"
    s, cur = p.site, p.site.currency
    sel, cut = oracle.select(p), oracle.select(p, scale=0.8)
    if sel is None or cut is None:
        print(f"note: {where}: more than {oracle.MAX_PROPOSED} proposed initiatives, budget selection not checked")
        return
    sec = next((h.parent for h in page.main.find_all("h2") if h.text() == "Budget selection"), None)
    if c.need(where, "section 'Budget selection'", sec) is None:
        return
    tiles = page.tiles(sec)
    n_proposed = sum(1 for f in p.figures if s.stage_class(f.i) == "proposed")
    dropped = sel.chosen - cut.chosen
    for label, value, note in [
        ("NPV of the portfolio selected", money_short(sel.funded_npv + sel.value, cur), "funded and selected work"),
        ("Proposed funded", str(len(sel.chosen)), f"of {n_proposed}"),
        ("With the budget cut 20%", money_short(cut.funded_npv + cut.value, cur), f"{len(dropped)} initiatives drop out" if sel.unique and cut.unique else None),
    ]:
        got = tiles.get(label)
        if c.need(where, f"tile {label!r}", got) is None:
            continue
        c.eq(kind, where, f"budget selection tile {label!r}", value, got[0])
        if note is not None:
            c.eq(kind, where, f"budget selection tile {label!r} note", note, got[1])

    def listed(title: str) -> list[str] | None:
        h = next((h for h in sec.find_all("h3") if h.text() == title), None)
        if h is None:
            return None
        siblings = [x for x in h.parent.children if isinstance(x, Node)]
        ul = next((x for x in siblings[siblings.index(h) + 1 :] if x.tag == "ul"), None)
        return [li.text() for li in ul.find_all("li")] if ul is not None else []

    by_id = {f.i.id: f for f in p.figures}
    in_envelope = lambda f: sum(oracle.cost_in(f.i, n) for n in s.budget.periods())  # noqa: E731
    if sel.unique:
        exp = sorted(f"{by_id[i].i['title']} NPV {money_short(by_id[i].case.npv, cur)} · cost in the envelope {money_short(in_envelope(by_id[i]), cur)}" for i in sel.chosen)
        c.eq(kind, where, "Funded within the envelope", exp, sorted(listed("Funded within the envelope") or []))
        not_funded = [f for f in p.figures if s.stage_class(f.i) == "proposed" and f.i.id not in sel.chosen]
        got = sorted(x.split(" · ")[0] for x in listed("Not funded") or [])
        c.eq(kind, where, "Not funded", sorted(f"{f.i['title']} NPV {money_short(f.case.npv, cur)}" for f in not_funded), got)
        if envelope is not None:
            for (n, budget, committed, _), row in zip(p.budget, envelope.rows()):
                with_sel = committed + sum(oracle.cost_in(by_id[i].i, n) for i in sel.chosen)
                over = " (funded work alone is over the envelope)" if committed > budget else ""
                c.eq(kind, where, f"envelope {s.cal.label(n)}: with the selection, headroom", [money_short(with_sel, cur), money_short(budget - with_sel, cur) + over], row[3:5])
    if sel.unique and cut.unique and dropped:
        exp = sorted(f"{by_id[i].i['title']} NPV {money_short(by_id[i].case.npv, cur)}" for i in dropped)
        c.eq(kind, where, "Dropped if the budget is cut by 20%", exp, sorted(listed("Dropped if the budget is cut by 20%") or []))
    # The efficient frontier: one total budget from 40% to 160% of the envelope.
    table = page.table("Data table: Efficient frontier")
    if c.need(where, "table 'Data table: Efficient frontier'", table):
        total = sum(s.budget.cost)
        exp = []
        for level in range(4, 17):
            budget = total * level / 10
            f = oracle.select(p, total=budget)
            head = f"{money_short(budget, cur)} ({level * 10}%)"
            if f is None:
                exp.append([head, "below the cost of funded work", "—", "—"])
            else:
                exp.append([head, money(f.funded_npv + f.value, cur), str(f.funded_count + len(f.chosen)) if f.unique else None, "yes"])
        c.rows_of(kind, where, table, exp)


def check_reports(c: Checker, p: oracle.Portfolio, site_dir: Path) -> None:
    """The charts and tables embedded in reports (```vmo blocks), in the order written."""
    kind = "reports"
    s, cur = p.site, p.site.currency
    for md in sorted((site_dir / "content" / "reports").glob("*.md")):
        where = f"reports/{md.stem}/index.html"
        page = c.page(where)
        if page is None:
            continue
        body = md.read_text(encoding="utf-8")
        used: set[int] = set()

        def take(name: str) -> Table | None:
            for k, t in enumerate(page.tables):
                if k not in used and t.name == name:
                    used.add(k)
                    return t
            c.missing.append(f"{where}: table {name!r} missing")
            return None

        for block in re.findall(r"^```vmo[ \t]*\n(.*?)^```", body, flags=re.S | re.M):
            e = tomllib.loads(block)
            limit = e.get("limit")
            cut = (lambda rows: rows[:limit]) if limit is not None else (lambda rows: rows)  # noqa: E731
            chart, table = e.get("chart"), e.get("table")
            if chart == "investment-by-value-stream":
                rows = share_rows([(v["name"], p.by_value_stream[v["id"]].investment) for v in s.value_streams], cur)
                c.rows_of(kind, where, take("Data table: Investment by value stream"), rows)
            elif chart == "investment-by-objective":
                rows = share_rows([(o["name"], p.by_objective[o["id"]].investment) for o in s.objectives], cur)
                c.rows_of(kind, where, take("Data table: Investment by strategic objective"), rows)
            elif chart == "investment-by-stage":
                rows = share_rows([(st["name"], p.by_stage[st["id"]].investment) for st in s.stages], cur)
                c.rows_of(kind, where, take("Data table: Portfolio: investment by stage"), rows)
            elif chart == "value-vs-effort":
                c.rows_of(kind, where, take("Data table: Portfolio: value vs effort"), value_vs_effort_rows(p, p.figures))
            elif chart == "benefits-realisation":
                c.rows_of(kind, where, take("Data table: Benefits: planned vs realised"), benefits_rows(p, p.benefits_by_period))
            elif chart == "risk-heatmap":
                c.rows_of(kind, where, take("Data table: Risk heat map"), heat_map_rows(p))
            elif chart == "roadmap":
                check_roadmap_table(c, kind, where, p, take("Data table: Portfolio roadmap"))
            elif chart == "cash-flow":
                f = p.by_id(e["initiative"])
                rows = [[s.cal.label(r.period), money(r.net, cur), money(r.cumulative, cur), money(r.cumulative_pv, cur)] for r in f.case.rows]
                c.rows_of(kind, where, take(f"Data table: Cumulative cash flow: {f.i['title']}"), rows)
            elif table == "ranking":
                m = next(m for m in s.models if m["id"] == e["model"])
                ranked = sorted((f for f in p.figures if f.ranks[m["id"]] is not None), key=lambda f: f.ranks[m["id"]])
                rows = [[f.i["title"], str(f.ranks[m["id"]]), num(f.scores[m["id"]], 2), stage_name(p, f), money_short(f.case.total_cost, cur)] for f in ranked]
                c.rows_of(kind, where, take(f"Ranking by {m['name']}"), cut(rows))
            elif table == "top-risks":
                # Open and mitigating risks by exposure alone (docs/content-format.md), ties in
                # the order of the content; not the register's order (score, then exposure).
                live = [
                    (r["probability"] * r["impact"], k, n, f, r)
                    for k, f in enumerate(p.figures)
                    for n, r in enumerate(f.i.get("risks", []))
                    if r.get("status", "open") != "closed"
                ]
                live.sort(key=lambda t: (-t[0], t[1], t[2]))
                rows = [[f.i["title"], r["title"], pct(r["probability"], 0), str(r["impact"]), num(e, 2)] for e, _, _, f, r in live]
                c.rows_of(kind, where, take("Top risks by exposure (probability × impact)"), cut(rows), key_columns=2)
            elif table == "benefits":
                shown = [(k, f) for k, f in enumerate(p.figures) if f.td.planned_benefit > 0]
                shown.sort(key=lambda kf: (kf[1].td.realised, kf[0]))
                rows = [[f.i["title"], money_short(f.td.planned_benefit, cur), money_short(f.td.actual_benefit, cur), realised_text(f.td.realised)] for _, f in shown]
                c.rows_of(kind, where, take(f"Benefits realised to {s.as_of}"), cut(rows))
            elif table == "value-streams":
                rows = [[v["name"], str(p.by_value_stream[v["id"]].count), money_short(p.by_value_stream[v["id"]].investment, cur), money_short(p.by_value_stream[v["id"]].npv, cur)] for v in s.value_streams]
                c.rows_of(kind, where, take("Value streams"), cut(rows))
            elif table == "initiatives":
                keep = [
                    f
                    for f in p.figures
                    if e.get("stage", f.i["stage"]) == f.i["stage"]
                    and e.get("value_stream", f.i["value_stream"]) == f.i["value_stream"]
                    and ("objective" not in e or e["objective"] in f.i["objectives"])
                ]
                rows = [[f.i["title"], stage_name(p, f), money_short(f.case.total_cost, cur), money_short(f.case.npv, cur), pct(f.case.roi, 0)] for f in by_npv(keep)]
                c.rows_of(kind, where, take("Initiatives by NPV"), cut(rows))


def payback_when(p: oracle.Portfolio, periods: float) -> str:
    years = periods / p.site.cal.per_year
    if p.site.cal.cadence == "year":
        return f"{num(years, 1)} years"
    return f"{num(periods, 1)} quarters ({num(years, 1)} years)"


def payback_text(p: oracle.Portfolio, pb: oracle.Payback) -> str:
    """docs/methods.md#payback in words."""
    if pb.final is not None and pb.final <= 0:
        return "immediate (never below zero)"
    if pb.final is not None and pb.first is not None and pb.first < pb.final - 1e-9:
        return f"{payback_when(p, pb.final)} (first reached after {payback_when(p, pb.first)}, then below zero again)"
    if pb.final is not None:
        return payback_when(p, pb.final)
    if pb.first is not None:
        return f"not recovered: reached after {payback_when(p, pb.first)}, but the cumulative ends below zero"
    return "never within the plan"


def irr_texts(case: oracle.Case) -> tuple[str, str, str]:
    """(tile figure, tile note, the business case's sentence) per docs/methods.md#irr."""
    r = case.irr_roots
    if case.irr_kind == "no-sign-change":
        return "none", "flows never change sign", "No IRR: the net cash flows never change sign, so no discount rate makes the NPV zero."
    if case.irr_kind == "no-root":
        return "none", "no root above −100%", "No IRR: the net cash flows change sign, but no rate above −100% makes the NPV zero."
    if len(r) > 1:
        listed = [pct(x, 1) for x in r]
        return (
            f"{len(r)} roots",
            " and ".join(listed),
            f"{len(r)} rates make NPV zero: {', '.join(listed)}. The cash flows change sign more than once, so no single IRR describes this case; use NPV.",
        )
    if case.inflow_first:
        return (
            pct(r[0], 1),
            "a borrowing rate: lower is better",
            f"{pct(r[0], 2)} a year. Money comes in here before it goes out, so this rate is what the plan's money costs, not what it earns: for such a case a lower rate is better. Judge it by its NPV or MIRR.",
        )
    return pct(r[0], 1), "internal rate of return", f"{pct(r[0], 2)} a year"


def check_initiative(c: Checker, p: oracle.Portfolio, f: oracle.Figures) -> None:
    kind, where = "initiative pages", f"initiatives/{f.i.id}/index.html"
    page = c.page(where)
    if page is None:
        return
    s, cur, case, td = p.site, p.site.currency, f.case, f.td
    tiles = page.tiles(page.main.find("div", "tiles"))
    irr_fig, irr_note, irr_long = irr_texts(case)
    exp_tiles = [
        ("NPV", money_short(case.npv, cur), f"at {pct(s.rate, 1)}"),
        ("IRR", irr_fig, irr_note),
        ("ROI", pct(case.roi, 0), "undiscounted"),
        ("Payback", payback_text(p, case.payback), "discounted: " + payback_text(p, case.discounted_payback)),
        ("Benefit-cost ratio", num(case.bcr, 2), "PV benefits ÷ PV costs"),
        ("Benefits realised", realised_text(td.realised), "to date vs plan"),
    ]
    if f.remaining is not None:
        exp_tiles.append(("Remaining value", money_short(f.remaining, cur), f"flows after {s.as_of} at their value then; spent costs are sunk"))
    for label, value, note in exp_tiles:
        got = tiles.get(label)
        if c.need(where, f"tile {label!r}", got) is None:
            continue
        c.eq(kind, where, f"tile {label!r}", value, got[0])
        c.eq(kind, where, f"tile {label!r} note", note, got[1])
    if f.remaining is None:
        c.eq(kind, where, "tile 'Remaining value' (not committed or live: none)", None, tiles.get("Remaining value"))

    about = page.meta("meta")
    c.eq(kind, where, "About: Strategic alignment", f"{pct(f.alignment, 0)} of objective weight", about.get("Strategic alignment"))
    c.eq(kind, where, "About: Dates", f"{f.i['start']} to {f.i['end']}", about.get("Dates"))

    lbl = s.cal.label
    c.rows_of(
        kind,
        where,
        page.table(f"Data table: Cumulative cash flow: {f.i['title']}"),
        [[lbl(r.period), money(r.net, cur), money(r.cumulative, cur), money(r.cumulative_pv, cur)] for r in case.rows],
    )
    table = page.table("Business case")
    c.rows_of(
        kind,
        where,
        table,
        [
            [lbl(r.period), money(r.cost, cur), money(r.benefit, cur), money(r.net, cur), money(r.cumulative, cur), num(r.factor, 4), money(r.pv, cur), money(r.cumulative_pv, cur)]
            for r in case.rows
        ],
    )
    if table is not None and c.need(where, "business case total row", table.foot):
        foot = [x.text() for x in table.foot[0]]
        c.eq(kind, where, "Business case: Total row", ["Total", money(case.total_cost, cur), money(case.total_benefit, cur), money(case.total_net, cur), "", "", money(case.npv, cur), ""], foot)
    m = page.meta("case-metrics")
    c.eq(kind, where, "Business case: NPV", f"{money(case.npv, cur)} (PV benefits {money(case.pv_benefit, cur)} − PV costs {money(case.pv_cost, cur)})", m.get("NPV"))
    c.eq(kind, where, "Business case: IRR", irr_long, m.get("IRR"))
    c.eq(kind, where, "Business case: MIRR", None if case.mirr is None else f"{pct(case.mirr, 2)} a year (finance and reinvestment at the discount rate)", m.get("MIRR"))
    c.eq(kind, where, "Business case: ROI", f"{pct(case.roi, 0)} (lifetime benefit − cost) ÷ cost, undiscounted", m.get("ROI"))
    c.eq(kind, where, "Business case: Benefit-cost ratio", num(case.bcr, 2), m.get("Benefit-cost ratio"))
    c.eq(
        kind,
        where,
        "Business case: Payback",
        f"Simple: {payback_text(p, case.payback)}. Discounted: {payback_text(p, case.discounted_payback)}. Counted from the start of {lbl(f.i.plan.start)}.",
        m.get("Payback"),
    )

    # Benefits realisation: every period of the plan and the actuals; the current one to date.
    rows = benefits_rows(p, oracle.benefits_by_period(s, [f.i]))
    sec = next((h.parent for h in page.main.find_all("h2") if h.text() == "Benefits realisation"), None)
    if f.i.actuals is not None:
        c.rows_of(kind, where, page.table("Data table: Benefits: planned vs actual"), rows)
        para = next((x for x in sec.find_all("p") if x.text().startswith("To date")), None) if sec is not None else None
        c.eq(
            kind,
            where,
            "Benefits realisation: to date",
            f"To date (as of {s.as_of}): cost {money(td.actual_cost, cur)} of {money(td.planned_cost, cur)} planned; benefits {money(td.actual_benefit, cur)} of {money(td.planned_benefit, cur)} planned ({realised_text(td.realised)}). Forecast at completion: cost {money(td.forecast_cost, cur)}, benefits {money(td.forecast_benefit, cur)}.",
            para.text() if para is not None else None,
        )
    else:
        c.eq(kind, where, "Benefits realisation: no actuals", "No actuals yet: this initiative has not started spending.", sec.find("p").text() if sec is not None and sec.find("p") else None)

    # Scores and ranks
    sec = next((h.parent for h in page.main.find_all("h2") if h.text() == "Scores and rank"), None)
    if c.need(where, "section 'Scores and rank'", sec):
        h3s = {h.text().split(":")[0]: h.text() for h in sec.find_all("h3")}
        n_open = sum(1 for x in p.figures if s.stage_class(x.i) != "closed")
        for model in s.models:
            v, rank = f.scores[model["id"]], f.ranks[model["id"]]
            if s.stage_class(f.i) == "closed":
                e = f"{model['name']}: closed: not ranked"
            else:
                e = f"{model['name']}: {num(v, 2)} (rank {rank} of {n_open} open initiatives)"
            c.eq(kind, where, f"score {model['name']!r}", e, h3s.get(model["name"]))
            if v is not None:
                check_breakdown(c, kind, where, s, model, f, sec)

    # Uncertainty: the plan as written is the business case's NPV.
    sec = next((h.parent for h in page.main.find_all("h2") if h.text() == "Uncertainty"), None)
    if c.need(where, "section 'Uncertainty'", sec) is not None:
        plan_row = next((r for t in page.tables if t.node.ancestor("section") is sec for r in t.rows() if r and r[0] == "Plan as written"), None)
        c.eq(kind, where, "Uncertainty: Plan as written", ["Plan as written", money(case.npv, cur)], plan_row)

    # Earned value, for initiatives with actuals.
    sec = next((h.parent for h in page.main.find_all("h2") if h.text() == "Delivery performance (earned value)"), None)
    e = f.evm
    c.eq(kind, where, "earned value section shown (actuals given)", e is not None, sec is not None)
    if e is not None and sec is not None:
        tiles = page.tiles(sec)
        word = "year" if s.cal.cadence == "year" else "quarter"
        spi_t_note = f"the value earned was planned {num(e.es, 1)} {word}s in; {num(e.at, 1)} have passed" if e.es is not None and e.at > 0 else "earned schedule ÷ time elapsed"
        for label, value, note in [
            ("CPI", num(e.cpi, 2), "earned ÷ actual cost"),
            ("SPI", num(e.spi, 2), "earned ÷ planned value"),
            ("SPI(t)", num(e.spi_t, 2), spi_t_note),
            ("Planned value", money_short(e.pv, cur), ""),
            ("Earned value", money_short(e.ev, cur) if e.ev is not None else "n/a", ""),
            ("Actual cost", money_short(e.ac, cur), ""),
            ("Estimate at completion", money_short(e.eac, cur) if e.eac is not None else None, f"budget {money_short(e.bac, cur)}"),
        ]:
            got = tiles.get(label)
            if c.need(where, f"earned value tile {label!r}", got) is None:
                continue
            if value is not None and not (value == "n/a" and got[0].startswith("n/a")):
                c.eq(kind, where, f"earned value tile {label!r}", value, got[0])
            c.eq(kind, where, f"earned value tile {label!r} note", note, got[1])
        p_small = sec.find("p")
        c.eq(kind, where, "earned value: milestones done", f"({e.done} of {e.total})", None if p_small is None else f"({p_small.text().split('(')[1].split(')')[0]})")

    # KPIs: progress from the latest actual on or before as_of.
    sec = next((h.parent for h in page.main.find_all("h2") if h.text() == "KPIs"), None)
    kpis = f.i.get("kpis", [])
    if kpis and c.need(where, "section 'KPIs'", sec):
        cards = sec.find_all("div", "card")
        for k, card in zip(kpis, cards):
            unit = k.get("unit", "")
            suffix = (" " + unit) if unit[:1].isalnum() else unit
            latest = oracle.kpi_latest(k, s.as_of)
            text = f"Baseline {num(k['baseline'], 2)}{suffix} → target {num(k['target'], 2)}{suffix}"
            if k.get("target_date"):
                text += f" by {k['target_date']}"
            text += ". "
            text += f"Latest {num(latest, 2)}{suffix}: {pct(oracle.kpi_progress(k, s.as_of), 0)} of the way." if latest is not None else "No actuals yet."
            para = card.find("p", "small")
            c.eq(kind, where, f"KPI {k['name']!r}", text, para.text() if para else None)

    # Risks and milestones of this initiative, as written.
    sec = next((h.parent for h in page.main.find_all("h2") if h.text() == "Risks"), None)
    risks = f.i.get("risks", [])
    if risks and c.need(where, "section 'Risks'", sec):
        t = Table("Risks", sec.find("table"))
        exp = [[None, pct(r["probability"], 0), str(r["impact"]), r.get("owner", ""), r.get("status", "open")] for r in risks]
        for e_row, r in zip(exp, risks):
            e_row[0] = " ".join((r["title"] + " " + r.get("mitigation", "")).split())
        c.rows_of(kind, where, t, exp)
    sec = next((h.parent for h in page.main.find_all("h2") if h.text() == "Milestones"), None)
    ms = f.i.get("milestones", [])
    if ms and c.need(where, "section 'Milestones'", sec):
        t = Table("Milestones", sec.find("table"))
        c.rows_of(kind, where, t, [[m["name"], str(m["due"]), str(m["done"]) if m.get("done") else "—", oracle.milestone_status(m, s.as_of)] for m in ms])


def check_breakdown(c: Checker, kind: str, where: str, s: oracle.Site, model: dict, f: oracle.Figures, sec: Node) -> None:
    """A score's inputs and what each contributes (methods.md#scores)."""
    h3 = next((h for h in sec.find_all("h3") if h.text().startswith(model["name"] + ":")), None)
    siblings = [x for x in sec.children if isinstance(x, Node)]
    table = next((x for x in siblings[siblings.index(h3) + 1 :] if x.tag in ("table", "h3")), None) if h3 is not None else None
    if table is None or table.tag != "table":
        c.eq(kind, where, f"score {model['name']!r}: breakdown", "a table", None)
        return
    if model["kind"] == "wsjf":
        w = f.i["wsjf"]
        exp = [
            ["Business value", num(w["business_value"], 2), num(w["business_value"] / w["job_size"], 2)],
            ["Time criticality", num(w["time_criticality"], 2), num(w["time_criticality"] / w["job_size"], 2)],
            ["Risk reduction / opportunity enablement", num(w["risk_reduction"], 2), num(w["risk_reduction"] / w["job_size"], 2)],
            ["Job size", num(w["job_size"], 2), "n/a"],
        ]
    elif model["kind"] == "rice":
        r = f.i["rice"]
        exp = [[name, num(r[key], 2), "n/a"] for name, key in [("Reach", "reach"), ("Impact", "impact"), ("Confidence", "confidence"), ("Effort", "effort")]]
    else:
        total = sum(model["weights"].values())
        exp = []
        for cid in sorted(model["weights"]):
            crit = next(x for x in s.criteria if x["id"] == cid)
            lo, hi = crit.get("min", 0), crit.get("max", 5)
            x = (f.i["criteria"][cid] - lo) / (hi - lo)
            if crit.get("direction", "higher-is-better") == "lower-is-better":
                x = 1 - x
            exp.append([crit["name"], num(f.i["criteria"][cid], 2), num(100 * model["weights"][cid] * x / total, 2)])
    c.rows_of(kind, where, Table(f"{model['name']} breakdown", table), exp)


def check_csv(c: Checker, p: oracle.Portfolio) -> None:
    kind, where = "CSV", "data/initiatives.csv"
    path = c.out / where
    if not path.is_file():
        c.missing.append(f"{where}: missing")
        return
    with path.open(encoding="utf-8", newline="") as fh:
        rows = {r["id"]: r for r in csv.DictReader(fh)}
    c.eq(kind, where, "number of rows", len(p.figures), len(rows))
    s = p.site
    for f in p.figures:
        r = rows.get(f.i.id)
        if r is None:
            c.eq(kind, where, f"row {f.i.id}", "present", "missing")
            continue
        at = f"{where} row {f.i.id}"
        for col, e in [
            ("title", f.i["title"]),
            ("kind", f.i["kind"]),
            ("stage", f.i["stage"]),
            ("value_stream", f.i["value_stream"]),
            ("objectives", ";".join(f.i["objectives"])),
            ("health", f.i.get("health", "green")),
            ("start", str(f.i["start"])),
            ("end", str(f.i["end"])),
        ]:
            c.eq(kind, at, col, e, r.get(col))
        case, td = f.case, f.td
        single = case.irr_roots[0] if len(case.irr_roots) == 1 else None
        for col, e in [
            ("total_cost", case.total_cost),
            ("total_benefit", case.total_benefit),
            ("npv", case.npv),
            ("irr", single),
            ("roi", case.roi),
            ("benefit_cost_ratio", case.bcr),
            ("payback_periods", case.payback.final),
            ("discounted_payback_periods", case.discounted_payback.final),
            ("planned_cost_to_date", td.planned_cost),
            ("actual_cost_to_date", td.actual_cost),
            ("planned_benefit_to_date", td.planned_benefit),
            ("actual_benefit_to_date", td.actual_benefit),
            ("benefits_realised", td.realised),
            ("strategic_alignment", f.alignment),
            ("risk_exposure", f.exposure),
            ("remaining_npv", f.remaining),
        ]:
            c.close(kind, at, col, e, r.get(col, "<no column>"))
        for m in s.models:
            c.close(kind, at, f"score_{m['id']}", f.scores[m["id"]], r.get(f"score_{m['id']}", "<no column>"))
            rank = f.ranks[m["id"]]
            c.eq(kind, at, f"rank_{m['id']}", "" if rank is None else str(rank), r.get(f"rank_{m['id']}"))


def check_json(c: Checker, p: oracle.Portfolio) -> None:
    kind, where = "JSON", "data/portfolio.json"
    path = c.out / where
    if not path.is_file():
        c.missing.append(f"{where}: missing")
        return
    d = json.loads(path.read_text(encoding="utf-8"))
    t = d.get("totals", {})

    def val(x):
        if isinstance(x, dict) and "status" in x:
            return x.get("value") if x["status"] == "ok" else None
        return x

    def close(at: str, name: str, e, got) -> None:
        got = val(got)
        c.close(kind, at, name, e, "" if got is None else repr(float(got)) if isinstance(got, (int, float)) else str(got))

    tot = p.totals
    for name, e in [
        ("initiatives", tot.count),
        ("investment", tot.investment),
        ("planned_benefit", tot.planned_benefit),
        ("npv", tot.npv),
        ("pv_cost", p.pv_cost),
        ("pv_benefit", p.pv_benefit),
        ("roi", (tot.planned_benefit - tot.investment) / tot.investment if tot.investment else None),
        ("actual_cost_to_date", p.actual_cost),
        ("planned_cost_to_date", p.planned_cost_to_date),
        ("planned_benefit_to_date", tot.planned_benefit_to_date),
        ("actual_benefit_to_date", tot.actual_benefit),
        ("benefits_realised", tot.realised),
    ]:
        close(f"{where} totals", name, e, t.get(name))
    for group, rollups in [("by_stage", p.by_stage), ("by_value_stream", p.by_value_stream), ("by_objective", p.by_objective)]:
        got = {g["key"]: g for g in t.get(group, [])}
        for key, g in rollups.items():
            at = f"{where} totals.{group}[{key}]"
            row = got.get(key, {})
            close(at, "count", g.count, row.get("count"))
            close(at, "investment", g.investment, row.get("investment"))
            close(at, "planned_benefit", g.planned_benefit, row.get("planned_benefit"))
    got = {b["period"]: b for b in t.get("budget") or []}
    for n, budget, committed, proposed in p.budget:
        at = f"{where} totals.budget[{p.site.cal.label(n)}]"
        row = got.get(n, {})
        close(at, "budget", budget, row.get("budget"))
        close(at, "committed_cost", committed, row.get("committed_cost"))
        close(at, "proposed_cost", proposed, row.get("proposed_cost"))
        close(at, "headroom", budget - committed, row.get("headroom"))
    inits = {x["id"]: x for x in d.get("initiatives", [])}
    for f in p.figures:
        x = inits.get(f.i.id)
        if x is None:
            c.eq(kind, where, f"initiative {f.i.id}", "present", "missing")
            continue
        m = x.get("metrics", {})
        bc = m.get("business_case", {})
        at = f"{where} {f.i.id} business_case"
        case = f.case
        for name, e in [
            ("npv", case.npv),
            ("pv_cost", case.pv_cost),
            ("pv_benefit", case.pv_benefit),
            ("roi", case.roi),
            ("bcr", case.bcr),
            ("mirr", case.mirr),
            ("total_cost", case.total_cost),
            ("total_benefit", case.total_benefit),
            ("total_net", case.total_net),
        ]:
            close(at, name, e, bc.get(name))
        irr = val(bc.get("irr"))
        roots = irr.get("roots", []) if isinstance(irr, dict) else []
        c.eq(kind, at, "irr: number of roots", len(case.irr_roots), len(roots))
        for k, (e, g) in enumerate(zip(case.irr_roots, roots)):
            c.close(kind, at, f"irr root {k + 1}", e, repr(g))
        c.eq(kind, at, "inflow_first", case.inflow_first, bc.get("inflow_first"))
        for name, pb, per in [
            ("payback_periods", case.payback.final, 1),
            ("payback_years", case.payback.final, p.site.cal.per_year),
            ("first_payback_periods", case.payback.first, 1),
            ("first_payback_years", case.payback.first, p.site.cal.per_year),
            ("discounted_payback_periods", case.discounted_payback.final, 1),
            ("discounted_payback_years", case.discounted_payback.final, p.site.cal.per_year),
            ("first_discounted_payback_periods", case.discounted_payback.first, 1),
            ("first_discounted_payback_years", case.discounted_payback.first, p.site.cal.per_year),
        ]:
            v = val(bc.get(name))
            got = v.get("periods") if isinstance(v, dict) and v.get("kind") == "after" else None
            c.close(kind, at, name, None if pb is None else pb / per, "" if got is None else repr(got))
        rows = bc.get("rows", [])
        c.eq(kind, at, "rows: number", len(case.rows), len(rows))
        for r, g in zip(case.rows, rows):
            for name, e in [
                ("cost", r.cost),
                ("benefit", r.benefit),
                ("net", r.net),
                ("cumulative_net", r.cumulative),
                ("discount_factor", r.factor),
                ("pv_net", r.pv),
                ("cumulative_pv", r.cumulative_pv),
                ("t_years", oracle.flow_time(p.site, r.period)),
            ]:
                close(f"{at} row {p.site.cal.label(r.period)}", name, e, g.get(name))
        td, got = f.td, m.get("to_date", {})
        at = f"{where} {f.i.id} to_date"
        for name, e in [
            ("planned_cost", td.planned_cost),
            ("planned_benefit", td.planned_benefit),
            ("actual_cost", td.actual_cost),
            ("actual_benefit", td.actual_benefit),
            ("benefits_realised", td.realised),
            ("forecast_cost_at_completion", td.forecast_cost),
            ("forecast_benefit_at_completion", td.forecast_benefit),
        ]:
            close(at, name, e, got.get(name))
        close(f"{where} {f.i.id}", "strategic_alignment", f.alignment, m.get("strategic_alignment"))
        statuses = [ms.get("status") for ms in m.get("milestones", [])]
        c.eq(kind, f"{where} {f.i.id}", "milestone statuses", [oracle.milestone_status(ms, p.site.as_of).replace(" ", "-").replace("overdue", "late") for ms in f.i.get("milestones", [])], statuses)
        for k, kpi in enumerate(f.i.get("kpis", [])):
            got = m.get("kpis", [])
            close(f"{where} {f.i.id} kpi {k + 1}", "progress", oracle.kpi_progress(kpi, p.site.as_of), got[k].get("progress") if k < len(got) else None)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--site", required=True, type=Path, help="the site folder (with content/)")
    ap.add_argument("--out", required=True, type=Path, help="the built site")
    args = ap.parse_args()
    p = oracle.analyse(oracle.load(args.site))
    c = Checker(args.out)
    check_dashboard(c, p)
    check_initiatives_index(c, p)
    check_groups(c, p, "value-streams")
    check_groups(c, p, "objectives")
    check_benefits(c, p)
    check_risks(c, p)
    check_roadmap(c, p)
    check_prioritisation(c, p)
    check_reports(c, p, args.site)
    for f in p.figures:
        check_initiative(c, p, f)
    check_csv(c, p)
    check_json(c, p)
    print(f"golden figures for {args.site} ({args.out}):")
    for kind, n in c.counts.items():
        print(f"  {kind:18} {n:6} compared")
    print(f"  {'total':18} {sum(c.counts.values()):6} compared, {len(c.mismatches)} mismatches")
    # Disagreements already reported and not fixed yet, pinned one a line: each must still
    # be seen (so a fix shows up as a line to remove), and nothing else may differ.
    known_file = args.site / KNOWN
    known = []
    if known_file.is_file():
        known = [ln.strip() for ln in known_file.read_text(encoding="utf-8").splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    for m in c.missing:
        print(f"MISSING {m}")
    new = [m for m in c.mismatches if m not in known]
    gone = [k for k in known if k not in c.mismatches]
    for m in c.mismatches:
        print(f"{'KNOWN' if m in known else 'MISMATCH'} {m}")
    for k in gone:
        print(f"FIXED? {k} (listed in {known_file}, no longer seen: remove the line)")
    if c.missing:
        return 2
    return 1 if new or gone else 0


if __name__ == "__main__":
    sys.exit(main())
