"""The Flask app: attendees' pages, organizers' pages and the JSON API as Blueprints over one engine.

Views only read parameters, call the engine's facade and render; they never parse sources or rank.
"""

from __future__ import annotations

from flask import Flask, Response, jsonify, make_response, request
from markupsafe import Markup, escape
from werkzeug.exceptions import HTTPException

from index.store import Store
from search.engine import Engine, Hit, NotFound, TalksearchError
from web import api, apidocs, assign_views, browse, experts_views, pages, params, topics
from web.calendar import NoScheduleError
from web.context import ENGINE_KEY, HELPERS, PASTED_KEY, page, ui
from web.i18n import labels
from web.pasted import PastedQueries

CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)


def mark(text: str, spans: list[tuple[int, int]] | list[list[int]]) -> Markup:
    """Escape first, then mark: user text never becomes markup."""
    out, last = [], 0
    for a, b in sorted(tuple(s) for s in spans):
        if a < last:
            continue
        out += [escape(text[last:a]), Markup("<mark>"), escape(text[a:b]), Markup("</mark>")]
        last = b
    out.append(escape(text[last:]))
    return Markup("").join(out)


def found_words(hit: Hit) -> list[str]:
    """The marked words of a hit's title and snippet (the query's words, or their translations, as
    the text spells them), each once whatever its case and none inside a longer one ('模型' with
    '大模型'), title first: what "why this result" lists."""
    seen: dict[str, str] = {}
    for text, spans in ((hit.title, hit.title_highlights), (hit.snippet, hit.highlights)):
        for a, b in sorted(tuple(s) for s in spans):
            seen.setdefault(text[a:b].casefold(), text[a:b])
    return [word for key, word in seen.items() if not any(key != other and key in other for other in seen)]


def create_app(engine: Engine, store: Store | None = None, reload_seconds: float = 0) -> Flask:
    """The app over ``engine``; with a ``store`` and ``reload_seconds`` it also serves rebuilt indexes."""
    app = Flask(__name__)
    app.json.ensure_ascii = False
    app.config["SEND_FILE_MAX_AGE_DEFAULT"] = 3600  # static files: an hour
    app.config["MAX_CONTENT_LENGTH"] = params.MAX_BODY_BYTES  # a larger body is a JSON 413
    app.jinja_env.filters["mark"] = mark
    app.jinja_env.filters["found_words"] = found_words
    app.jinja_env.globals.update(HELPERS)
    app.extensions[ENGINE_KEY] = engine
    app.extensions[PASTED_KEY] = PastedQueries(store.root / "queries" if store is not None else None)
    for blueprint in (pages.bp, browse.bp, topics.bp, experts_views.bp, assign_views.bp, apidocs.bp, api.bp):
        app.register_blueprint(blueprint)
    app.before_request(request_limits)
    if store is not None and reload_seconds > 0:
        from web.reload import watch

        watch(app, store, reload_seconds)
    app.after_request(security_headers)
    app.register_error_handler(NotFound, lambda exc: error(404, str(exc)))
    app.register_error_handler(NoScheduleError, lambda exc: error(404, str(exc)))
    app.register_error_handler(api.UnsupportedBody, lambda exc: error(415, str(exc)))
    app.register_error_handler(TalksearchError, lambda exc: error(400, str(exc)))
    app.register_error_handler(HTTPException, http_error)
    app.register_error_handler(Exception, unexpected)
    return app


def request_line_bytes(environ: dict) -> int:
    """The length of the request line as the client sent it ("GET /path?query HTTP/1.1")."""
    from urllib.parse import quote

    uri = environ.get("RAW_URI") or environ.get("REQUEST_URI")
    if not uri:
        query = environ.get("QUERY_STRING", "")
        uri = quote(environ.get("PATH_INFO", ""), safe="/;=,:@!$&'()*+") + ("?" + query if query else "")
    return len(environ.get("REQUEST_METHOD", "")) + len(uri) + len(environ.get("SERVER_PROTOCOL", "")) + 2


def request_limits():
    """The URL and header limits gunicorn enforces, enforced by the app for every other server (waitress)."""
    size = request_line_bytes(request.environ)
    if size > params.MAX_URL_BYTES:
        return error(414, url_too_long(size))
    for name, value in request.headers.items():
        if len(name) + len(value) + 2 > params.MAX_HEADER_BYTES:
            return error(431, header_too_large(name))
    return None


def header_too_large(name: str | None = None) -> str:
    which = f"header {name}" if name else "a request header"
    return f"{which} is over the limit of {params.MAX_HEADER_BYTES:,} bytes (or the headers together are too large)"


def url_too_long(size: int | None = None) -> str:
    got = f"is {size:,} bytes, over" if size else "is over"
    return (f"the request line {got} the limit of {params.MAX_URL_BYTES:,} bytes: send long text "
            "with POST (a JSON body on /api/search and /api/experts, the search form on pages)")  # fmt: skip


def security_headers(response: Response) -> Response:
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers.setdefault("Cache-Control", cache_control(request.path, response))
    return response


def cache_control(path: str, response: Response) -> str:
    """API answers, CSV downloads and errors are never cached; pages briefly (static files: Flask's max age)."""
    if path.startswith("/api/") or response.mimetype == "text/csv" or response.status_code >= 400:
        return "no-store"
    return "public, max-age=60"


def http_error(exc: HTTPException):
    message = exc.description or exc.name
    if exc.code == 404 and not request.path.startswith("/api/"):  # a page: in the UI's language, not werkzeug's
        message = labels(ui())["no_page"]
    response = make_response(error(exc.code or 500, message))
    for name, value in exc.get_headers():  # keeps Allow on 405
        if name.lower() not in ("content-type", "content-length"):
            response.headers[name] = value
    return response


def unexpected(exc: Exception):
    from flask import current_app

    current_app.logger.exception("unexpected error")
    return error(500, "internal error; the server log has the details")


def error(status: int, message: str):
    if request.path.startswith("/api/"):
        return jsonify({"status": status, "error": message}), status
    try:
        return page("error.html", status=status, message=message), status
    except Exception:
        return Response(f"{status}: {message}", status=status, mimetype="text/plain"), status
