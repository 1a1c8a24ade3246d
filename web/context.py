"""What every view shares: the engine the app serves, the UI language, rendering a page."""

from __future__ import annotations

from typing import Any

from flask import current_app, render_template, request, url_for

from search.engine import Engine
from web.i18n import labels

ENGINE_KEY = "talksearch.engine"


def engine() -> Engine:
    """The engine of this app (one per process, shared by its threads)."""
    return current_app.extensions[ENGINE_KEY]


def ui() -> str:
    return "zh" if request.args.get("ui") == "zh" else "en"


def switch_url() -> str:
    """This page in the other UI language; unknown pages switch on the search page."""
    args = request.args.to_dict(flat=False)
    args["ui"] = ["en" if ui() == "zh" else "zh"]
    endpoint = request.endpoint if request.endpoint not in (None, "static") else "pages.search_page"
    view_args = request.view_args if endpoint == request.endpoint else {}
    return url_for(endpoint, **(view_args or {}), **args)


def page(template: str, **context: Any) -> str:
    return render_template(template, t=labels(ui()), ui=ui(), args=request.args, switch_url=switch_url(), **context)
