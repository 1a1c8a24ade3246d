"""The search page's controls as links: facet values that add a filter, chips that remove one, page numbers.

Every control is a plain URL built from the current parameters (no scripts): choosing a value keeps
the other filters, removing a chip keeps the rest, and any change of filters starts at the first page.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import url_for
from markupsafe import Markup
from werkzeug.datastructures import MultiDict

from web import charts
from web.catalogue import Catalogue

FILTERS = ("event", "year", "kind", "lang", "session", "speaker")
FACET_PARAMS = {"event": "event", "kind": "kind", "lang": "lang", "session": "session"}


def _url(args: dict[str, list[str]]) -> str:
    return url_for("pages.search_page", **{k: v for k, v in args.items() if v})


def _copy(args: MultiDict) -> dict[str, list[str]]:
    out = args.to_dict(flat=False)
    out.pop("offset", None)
    return out


def with_value(args: MultiDict, name: str, value: str) -> str:
    """This search with one more filter value (a session facet value 'event:code' sets both)."""
    out = _copy(args)
    pairs = [(name, value)]
    if name == "session" and ":" in value:
        event, code = value.split(":", 1)
        pairs = [("event", event), ("session", code)]
    for key, v in pairs:
        if v not in out.setdefault(key, []):
            out[key].append(v)
    return _url(out)


def without_value(args: MultiDict, name: str, value: str) -> str:
    out = _copy(args)
    out[name] = [v for v in out.get(name, []) if v != value]
    return _url(out)


def with_offset(args: MultiDict, offset: int) -> str:
    out = args.to_dict(flat=False)
    out["offset"] = [str(offset)] if offset else []
    return _url(out)


@dataclass
class Chip:
    name: str
    value: str
    label: str
    remove: str


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    url: str
    active: bool


@dataclass
class PageLink:
    number: int | None  # None: a gap ("…")
    url: str = ""
    current: bool = False


class Controls:
    """Labels in the page's language for filter values, and the URLs of every control."""

    def __init__(self, args: MultiDict, catalogue: Catalogue, helpers: dict) -> None:
        self.args = args
        self.cat = catalogue
        self.h = helpers

    def label(self, name: str, value: str, with_event: bool = True) -> str:
        if name == "event":
            return self.h["short_event_name"](value)
        if name in ("kind", "lang"):
            return self.h["word"](value)
        if name == "session":
            event, _, code = value.rpartition(":")
            events = [event] if event else self.args.getlist("event") or list(self.cat.events)
            s = next((s for e in events if (s := self.cat.session(e, code))), None)
            text = f"{code} {s.title}" if s else code
            return f"{self.h['short_event_name'](s.event)} · {text}" if s and with_event and not event else text
        return value

    def chips(self) -> list[Chip]:
        return [
            Chip(name, v, self.label(name, v), without_value(self.args, name, v))
            for name in FILTERS
            for v in self.args.getlist(name)
            if v
        ]

    def facet(self, name: str, counts: dict[str, int]) -> list[FacetValue]:
        param = FACET_PARAMS[name]
        active = set(self.args.getlist(param))
        many_events = len(counts) and len({v.split(":")[0] for v in counts}) > 1 if name == "session" else False
        out = []
        for value, count in counts.items():
            code = value.split(":", 1)[1] if name == "session" else value
            label = self.label(name, value, with_event=False)
            if many_events:
                label = f"{self.h['short_event_name'](value.split(':')[0])} · {label}"
            out.append(FacetValue(value, label, count, with_value(self.args, name, value), code in active))
        return out

    def pages(self, offset: int, k: int, total: int) -> list[PageLink]:
        """Page numbers: the first, the last, and two either side of the current one."""
        if total <= k:
            return []
        count = (total + k - 1) // k
        current = offset // k + 1
        shown = sorted({1, count, *range(max(1, current - 2), min(count, current + 2) + 1)})
        out: list[PageLink] = []
        for i, n in enumerate(shown):
            if i and n - shown[i - 1] > 1:
                out.append(PageLink(None))
            out.append(PageLink(n, with_offset(self.args, (n - 1) * k), n == current))
        return out

    def trend(self, year_counts: dict[str, int], label: str) -> Markup:
        """Matches per year as bars, each a link adding that year to the filters."""
        years = self.cat.years()
        if len(years) < 2:
            return Markup("")
        items = [charts.Bar(y, year_counts.get(y, 0), with_value(self.args, "year", y)) for y in years]
        return charts.bars(items, width=60 + 44 * len(years), height=100, css_id="trend", label=label)

    def unknown_years(self) -> list[str]:
        known = set(self.cat.years())
        return [y for y in self.args.getlist("year") if y and y not in known]

    def event_years(self) -> str:
        """'2020-2021, 2022, 2024, 2025': when the events took place."""
        spans = sorted({e.years for e in self.cat.events.values() if e.first})
        return ", ".join(spans)
