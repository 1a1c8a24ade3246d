"""What every view shares: the engine the app serves, the UI language, rendering a page."""

from __future__ import annotations

from typing import Any

from flask import current_app, g, render_template, request, url_for

from search.engine import Engine
from web import i18n
from web.catalogue import Catalogue
from web.i18n import labels
from web.pasted import PastedQueries

ENGINE_KEY = "talksearch.engine"
CATALOGUE_KEY = "talksearch.catalogue"
PASTED_KEY = "talksearch.pasted"


def engine() -> Engine:
    """The engine of this app (one per process, shared by its threads); a request keeps the one it
    started with even if a rebuilt index is swapped in meanwhile (web.reload)."""
    if "engine" not in g:
        g.engine = current_app.extensions[ENGINE_KEY]
    return g.engine


def pasted() -> PastedQueries:
    """Long pasted queries by id (web.pasted); set up by create_app."""
    return current_app.extensions[PASTED_KEY]


def catalogue() -> Catalogue:
    """Events, programmes and name links of this request's engine's talks: built on first use, and
    again once a rebuilt index is swapped in (web.reload), so new talks reach the programme too."""
    current = engine()
    found = current_app.extensions.get(CATALOGUE_KEY)
    if found is None or found.engine is not current:
        found = current_app.extensions[CATALOGUE_KEY] = Catalogue(current)
    return found


def ui() -> str:
    return "zh" if request.args.get("ui") == "zh" else "en"


def switch_url() -> str:
    """This page in the other UI language; unknown pages switch on the search page."""
    args = request.args.to_dict(flat=False)
    args["ui"] = ["en" if ui() == "zh" else "zh"]
    endpoint = request.endpoint if request.endpoint not in (None, "static") else "pages.search_page"
    view_args = request.view_args if endpoint == request.endpoint else {}
    return url_for(endpoint, **(view_args or {}), **args)


def event_name(event: str) -> str:
    """The event's full name in the page's language (an added event keeps its own name)."""
    info = catalogue().events.get(event)
    return i18n.event_name(event, info.name if info else event, ui())


def short_event_name(event: str) -> str:
    return i18n.short_event_name(event, ui())


def word(value: str) -> str:
    return i18n.word(value, ui())


def topic_title(title: str) -> str:
    return i18n.topic_title(title, ui())


def note(message: str) -> str:
    """A warning or reason from the search layer in the UI language."""
    return i18n.note(message, ui())


def person_name(person_id: str) -> str:
    return catalogue().person_names.get(person_id, person_id)


HELPERS = {
    "event_name": event_name,
    "person_name": person_name,
    "short_event_name": short_event_name,
    "word": word,
    "topic_title": topic_title,
    "note": note,
}


def page(template: str, **context: Any) -> str:
    return render_template(template, t=labels(ui()), ui=ui(), args=request.args, switch_url=switch_url(), **context)
