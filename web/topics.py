"""Pictures of the corpus: the research directions with their talks per event, and the topic map."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, Flask, url_for

from corpus.models import Topic
from search.engine import Hit
from web import charts
from web.context import catalogue, engine, event_name, page, short_event_name, ui

bp = Blueprint("topics", __name__)

TOPIC_TALKS = 100  # matches counted per direction (the search's own cutoff decides how many count)


@dataclass
class TopicSummary:
    topic: Topic
    total: int
    per_event: dict[str, int]
    talks: list[Hit]
    speakers: list[tuple[str, str]]  # (person id, name)


def summaries() -> list[TopicSummary]:
    """Each direction searched as the expert search does (title and description), computed once."""
    cat = catalogue()
    found = cat.memo.get("topics")
    if found is None:
        found = []
        for topic in engine().topics():
            r = engine().search(f"{topic.title}。{topic.description}", k=TOPIC_TALKS)
            experts = engine().experts(topic.id, k=5)
            found.append(
                TopicSummary(
                    topic, r.total, r.facets.get("event", {}), r.hits[:5], [(e.id, e.name) for e in experts.experts]
                )
            )
        cat.memo["topics"] = found
    return found


def warm(app: Flask) -> None:
    """Compute the summaries (13 searches, ~1.5 s) before the first visitor of /topics: at start,
    before a server forks its workers, and after a rebuilt index is swapped in."""
    with app.app_context():
        summaries()


def _events_in_order() -> list[str]:
    return list(reversed(catalogue().events))  # oldest first: a chart reads left to right in time


@bp.get("/topics")
def topics_page() -> str:
    events = _events_in_order()
    items = []
    for s in summaries():
        chart = charts.bars(
            [
                charts.Bar(
                    short_event_name(e), s.per_event.get(e, 0), title=f"{event_name(e)}: {s.per_event.get(e, 0)}"
                )
                for e in events
            ],
            width=360,
            height=110,
            label=s.topic.id,
        )
        items.append((s, chart))
    sessions = {e: catalogue().programmes[e].sessions for e in catalogue().events}
    return page("topics.html", items=items, sessions=sessions)


@bp.get("/topics/map")
def map_page() -> str:
    coords = engine().layout()
    talks = engine().talks()
    events = _events_in_order()
    group = {e: n for n, e in enumerate(events)}
    dots = []
    if coords is not None and len(coords) == len(talks):
        dots = [
            charts.Dot(
                float(x),
                float(y),
                group[t.event],
                url_for("pages.talk_page", talk_id=t.id, ui=ui()),
                f"{t.title} — {t.speaker} ({short_event_name(t.event)})",
                t.id,
            )
            for t, (x, y) in zip(talks, coords, strict=True)
        ]
    svg = charts.scatter(dots, css_id="topic-map", label="topic map")
    legend = [(charts.swatch(group[e]), e) for e in events]
    return page("topic_map.html", svg=svg, legend=legend, count=len(dots))
