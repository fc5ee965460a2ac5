"""REST API for analysts: events, dyad timelines, actors, the network, stories and articles.

:func:`create_app` builds the FastAPI app over one database; ``dyadwatch serve`` runs it with
uvicorn. Every route is a thin wrapper over a verb of :mod:`dyadwatch.analytics` (reads) or
:mod:`dyadwatch.surfaces.api.intake` (``POST /api/articles``); the schema is at ``/openapi.json`` and ``/docs``
renders it as one plain page (FastAPI's Swagger UI and ReDoc load from a CDN, so they are off).

Access: reads are open unless ``DYADWATCH_API_READ_TOKEN`` is set or
``DYADWATCH_API_PROTECT_READS=1`` (then ``Authorization: Bearer <token>`` with the read or the
write token). ``POST /api/articles`` needs ``DYADWATCH_API_TOKEN``; without it ingest is off (403).

Errors are JSON ``{code, message, field, hint}``: 422 for a bad parameter (``field`` names it),
404 for an unknown id, 401/403 for a missing/wrong token, 413 for a too large body, 503 when the
database fails. Importing this module loads neither spaCy nor torch: the pipeline is built on the
first ingest.
"""

from __future__ import annotations

import html
import json
import os
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, Literal

from fastapi import APIRouter, Depends, FastAPI, Path, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import TypeAdapter, ValidationError
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException

from dyadwatch import __version__, analytics
from dyadwatch.errors import DyadwatchError
from dyadwatch.ingest.readers import json_int, safe_text
from dyadwatch.records import Document, Skip
from dyadwatch.settings import Settings
from dyadwatch.store import database as store
from dyadwatch.surfaces.api import intake
from dyadwatch.surfaces.api.limits import BodyLimit
from dyadwatch.surfaces.api.schemas import (
    ActorDetailOut,
    ActorListOut,
    ArticleIn,
    ArticleOut,
    ErrorOut,
    EventDetailOut,
    EventPage,
    EventQuery,
    IngestOut,
    NetworkOut,
    StoryListOut,
    SubmittedOut,
    TimelineOut,
)
from dyadwatch.surfaces.web import dashboard as web

if TYPE_CHECKING:
    from dyadwatch.pipeline import Pipeline

_STATUS = {
    "E201": 422,
    "E202": 422,
    "E203": 503,
    "E206": 404,
    "E301": 422,
    "E302": 422,
    "E303": 404,
    "E304": 404,
    "E306": 403,
    "E307": 401,
    "E308": 403,
    "E310": 413,
}
_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorOut, "description": text}
    for status, text in (
        (400, "a request the server cannot use"),
        (401, "a token is needed (header 'Authorization: Bearer <token>'); see WWW-Authenticate"),
        (403, "wrong token, or ingest disabled on this server"),
        (404, "unknown id"),
        (405, "method not allowed on this path; the Allow header lists the allowed ones"),
        (422, "bad parameter (field names it)"),
        (503, "the database failed"),
    )
}
_ERRORS[405]["headers"] = {
    "Allow": {"description": "the methods this path accepts", "schema": {"type": "string"}}
}
_ERRORS[401]["headers"] = {"WWW-Authenticate": {"description": "Bearer", "schema": {"type": "string"}}}
_RECORDS = TypeAdapter(list[ArticleIn])
_TRUE = ("1", "true", "yes", "on")


@dataclass(frozen=True, slots=True)
class ApiSettings:
    """Who may do what; read from the environment by :meth:`from_env`."""

    token: str | None = None  # DYADWATCH_API_TOKEN: bearer token for POST /api/articles
    read_token: str | None = None  # DYADWATCH_API_READ_TOKEN: when set, reads need it (or `token`)
    protect_reads: bool = False  # DYADWATCH_API_PROTECT_READS=1: reads need a token even without read_token

    @classmethod
    def from_env(cls) -> ApiSettings:
        return cls(
            token=os.environ.get("DYADWATCH_API_TOKEN") or None,
            read_token=os.environ.get("DYADWATCH_API_READ_TOKEN") or None,
            protect_reads=os.environ.get("DYADWATCH_API_PROTECT_READS", "").lower() in _TRUE,
        )

    @property
    def reads_need_token(self) -> bool:
        return self.protect_reads or self.read_token is not None


def create_app(
    db_url: str | None = None,
    api: ApiSettings | None = None,
    settings: Settings | None = None,
    pipeline: Pipeline | None = None,
) -> FastAPI:
    """The API over ``db_url`` (default: DYADWATCH_DB); the database is opened (and migrated) now.

    ``api`` defaults to the environment; ``settings`` configure the ingest pipeline; a loaded
    ``pipeline`` may be passed in (tests), otherwise one is built on the first POST.
    """
    settings = Settings.from_env(db_url=db_url) if settings is None else settings
    db_url = db_url or settings.db_url
    api = api or ApiSettings.from_env()
    if api.protect_reads and not (api.read_token or api.token):
        raise DyadwatchError("E311")
    app = FastAPI(
        title="dyadwatch",
        version=__version__,
        description="Political events (CAMEO) coded from news: who did what to whom, where and when.",
        docs_url=None,
        redoc_url=None,
    )
    app.state.engine = store.connect(db_url)
    app.state.api = api
    app.state.settings = settings
    app.state.intake = intake.Intake(settings, app.state.engine, db_url, pipeline)
    _add_error_handlers(app)
    app.add_middleware(BodyLimit, limit=settings.max_bytes)  # counted as it streams, chunked included
    app.include_router(reads)
    app.include_router(writes)
    app.add_api_route(
        "/docs", lambda: HTMLResponse(reference(app.openapi()), headers=_PLAIN), include_in_schema=False
    )
    app.include_router(web.router)  # --- dashboard hook: web.py (pages, /static/*, HTML 404) ---
    if not api.reads_need_token:
        _open_reads(app)
    return app


def _open_reads(app: FastAPI) -> None:
    """Reads are open on this server: their token becomes optional in the schema (``security: [{}, …]``)."""
    base = app.openapi

    def openapi() -> dict[str, Any]:
        spec = base()
        for operations in spec.get("paths", {}).values():
            op = operations.get("get")
            if op and op.get("security") and {} not in op["security"]:
                op["security"] = [{}, *op["security"]]
        return spec

    app.openapi = openapi  # type: ignore[method-assign]


# --- access ---------------------------------------------------------------------------------------

bearer = HTTPBearer(auto_error=False, description="Authorization: Bearer <token>")
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]


def _check(credentials: HTTPAuthorizationCredentials | None, accepted: list[str]) -> None:
    if credentials is None:
        raise DyadwatchError("E307")
    given = credentials.credentials.encode()
    if not any(secrets.compare_digest(given, token.encode()) for token in accepted):
        raise DyadwatchError("E308")


def require_read(request: Request, credentials: Credentials) -> None:
    api: ApiSettings = request.app.state.api
    if api.reads_need_token:
        _check(credentials, [t for t in (api.read_token, api.token) if t])


def require_write(request: Request, credentials: Credentials) -> None:
    api: ApiSettings = request.app.state.api
    if not api.token:
        raise DyadwatchError("E306")
    _check(credentials, [api.token])


def engine_of(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


Db = Annotated[Engine, Depends(engine_of)]
reads = APIRouter(prefix="/api", dependencies=[Depends(require_read)], responses=_ERRORS)
writes = APIRouter(prefix="/api", dependencies=[Depends(require_write)], responses=_ERRORS)
Interval = Literal["day", "week", "month", "year"]
IncludeNegated = Annotated[bool, Query(description="also negated and hypothetical events")]
Limit = Annotated[int, Query(ge=1, le=analytics.MAX_LIMIT)]
Count = Annotated[
    int, Query(ge=1, le=analytics.MAX_COUNT, description="keep edges with at least this many events")
]
Id = Annotated[str, Path(max_length=analytics.MAX_TEXT)]
Day = Annotated[str | None, Query(max_length=analytics.MAX_TEXT, description="YYYY-MM-DD")]


# --- reads ----------------------------------------------------------------------------------------


@reads.get("/events", response_model=EventPage, tags=["events"])
def list_events(db: Db, params: Annotated[EventQuery, Query()]) -> dict[str, Any]:
    """Events newest first (undated last), one page at a time; each with its first report."""
    fields = params.model_dump(exclude={"cursor", "limit"})
    filters = analytics.event_filters(**fields)
    return analytics.events_page(db, filters, params.cursor, params.limit)


@reads.get("/events/{event_id}", response_model=EventDetailOut, tags=["events"])
def get_event(db: Db, event_id: Id) -> dict[str, Any]:
    """One event with every report of it and the highlighted source, target and trigger."""
    return analytics.event_detail(db, event_id)


@reads.get("/dyads/{a}/{b}/timeline", response_model=TimelineOut, tags=["dyads"])
def get_timeline(
    db: Db,
    a: Annotated[str, Path(max_length=analytics.MAX_TEXT, description="actor: ISO3, code or code prefix")],
    b: Annotated[str, Path(max_length=analytics.MAX_TEXT, description="the other actor")],
    interval: Interval = "month",
    since: Day = None,
    until: Day = None,
    include_negated: IncludeNegated = False,
) -> dict[str, Any]:
    """Per period: events a → b, b → a and both by QuadClass, Goldstein sum and mean, and the CCI."""
    return analytics.dyad_timeline(db, a, b, interval, since, until, include_negated)


@reads.get("/actors", response_model=ActorListOut, tags=["actors"])
def list_actors(
    db: Db,
    q: Annotated[
        str | None, Query(max_length=analytics.MAX_TEXT, description="part of a code or name")
    ] = None,
    limit: Limit = 100,
    include_negated: IncludeNegated = False,
) -> dict[str, Any]:
    """Actor codes seen in events, most active first."""
    return {"items": analytics.actors(db, q, limit, include_negated)}


@reads.get("/actors/{code}", response_model=ActorDetailOut, tags=["actors"])
def get_actor(
    db: Db,
    code: Annotated[str, Path(max_length=analytics.MAX_TEXT, description="ISO3, full code or code prefix")],
    top: Annotated[int, Query(ge=1, le=100, description="partners to list")] = 10,
    include_negated: IncludeNegated = False,
) -> dict[str, Any]:
    """An actor's event mix by CAMEO root and QuadClass, and its top partners."""
    return analytics.actor_detail(db, code, top, include_negated)


@reads.get("/network", response_model=NetworkOut, tags=["actors"])
def get_network(
    db: Db,
    min_weight: Count = 1,
    since: Day = None,
    until: Day = None,
    include_negated: IncludeNegated = False,
) -> dict[str, Any]:
    """Directed edges between dyad ends (countries, organisations) weighted by events."""
    return analytics.network(db, min_weight, since, until, include_negated)


@reads.get("/stories", response_model=StoryListOut, tags=["articles"])
def list_stories(db: Db, limit: Limit = 100) -> dict[str, Any]:
    """Stories (articles about one development), most articles first."""
    return {"items": analytics.stories(db, limit)}


@reads.get("/articles/{article_id}", response_model=ArticleOut, tags=["articles"])
def get_article(db: Db, article_id: Id) -> dict[str, Any]:
    """A stored article (by id or the id it was submitted with) and the events read in it."""
    return analytics.article(db, article_id)


# --- ingest ---------------------------------------------------------------------------------------

_BODY = {
    "required": True,
    "content": {
        "application/json": {
            "schema": {
                "oneOf": [
                    ArticleIn.model_json_schema(),
                    {"type": "array", "items": ArticleIn.model_json_schema()},
                ]
            }
        },
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "properties": {"file": {"type": "array", "items": {"type": "string", "format": "binary"}}},
                "required": ["file"],
            }
        },
    },
}


@writes.post(
    "/articles",
    response_model=IngestOut,
    tags=["articles"],
    status_code=201,
    openapi_extra={"requestBody": _BODY},
    responses={200: {"model": IngestOut, "description": "nothing new: every article was known or skipped"}},
)
async def post_articles(request: Request, response: Response) -> IngestOut:
    """Ingest articles (JSON record(s) or uploaded files) through the full pipeline.

    201 if something was stored, 200 if every article was already known or skipped. Files are
    read like ``dyadwatch ingest`` reads them (text, HTML, JSON Lines, JSON, CSV, feeds).
    """
    settings: Settings = request.app.state.settings
    if request.headers.get("content-type", "").startswith("multipart/form-data"):
        docs = await _uploaded(request, settings)
    else:
        docs = _posted(await request.body())
    results = await run_in_threadpool(request.app.state.intake.submit, docs)
    out = IngestOut(
        articles_new=sum(r.status == "new" for r in results),
        articles_known=sum(r.status == "known" for r in results),
        duplicates=sum(r.duplicate not in (None, "original") for r in results),
        skipped=sum(r.status == "skipped" for r in results),
        mentions_new=sum(r.mentions_new for r in results),
        items=[SubmittedOut.model_validate(r, from_attributes=True) for r in results],
    )
    response.status_code = 201 if out.articles_new else 200
    return out


def _posted(body: bytes) -> list[Document | Skip]:
    try:
        payload = json.loads(body, parse_int=json_int)
    except RecursionError:
        raise DyadwatchError("E301", field="body", reason="JSON nested too deeply") from None
    except ValueError as exc:  # not JSON, not UTF-8, a number of more than 4,300 digits
        reason = "not JSON (send JSON or multipart files)"
        if not isinstance(exc, json.JSONDecodeError | UnicodeDecodeError):
            reason = str(exc).split(";")[0]
        raise DyadwatchError("E301", field="body", reason=reason) from None
    records = [_valid_text(r) for r in (payload if isinstance(payload, list) else [payload])]
    try:
        items = _RECORDS.validate_python(records)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = first["loc"][1:] if not isinstance(payload, list) else first["loc"]
        name = ".".join(str(p) for p in loc) or "body"
        raise DyadwatchError("E301", field=name, reason=first["msg"]) from None
    if not items:
        raise DyadwatchError("E301", field="body", reason="an empty list: send at least one article")
    return intake.documents_from_records(r.model_dump(exclude_none=True) for r in items)


def _valid_text(record: Any) -> Any:
    """A record with lone surrogates and NULs in its strings as U+FFFD (the text is kept, not refused)."""
    if not isinstance(record, dict):
        return record
    return {k: safe_text(v)[0] if isinstance(v, str) else v for k, v in record.items()}


async def _uploaded(request: Request, settings: Settings) -> list[Document | Skip]:
    form = await request.form(max_files=100)
    files = [v for _, v in form.multi_items() if isinstance(v, UploadFile)]
    if not files:
        raise DyadwatchError("E301", field="file", reason="no file in the multipart form")
    docs: list[Document | Skip] = []
    for upload in files:
        data = await upload.read()
        docs += intake.documents_from_file(upload.filename or "upload.txt", data, settings)
    return docs


# --- the reference page ---------------------------------------------------------------------------

_PLAIN = {"Content-Security-Policy": "default-src 'none'", "X-Content-Type-Options": "nosniff"}


def reference(spec: dict[str, Any]) -> str:
    """``/docs``: every endpoint of the OpenAPI schema with its parameters, as plain HTML."""
    e = html.escape
    sections = []
    for path, operations in spec["paths"].items():
        for method, op in operations.items():
            params = "".join(
                f"<li><code>{e(p['name'])}</code> ({e(p['in'])}{', required' if p.get('required') else ''})"
                f" {e(p.get('description', ''))}</li>"
                for p in op.get("parameters", [])
            )
            text = "".join(f"<p>{e(par)}</p>" for par in op.get("description", "").split("\n\n") if par)
            token = " — needs a token" if op.get("security") and method != "get" else ""
            sections.append(
                f"<section><h2><code>{method.upper()} {e(path)}</code>{token}</h2>"
                f"<p><strong>{e(op.get('summary', ''))}</strong></p>{text}<ul>{params}</ul></section>"
            )
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>dyadwatch API</title></head>'
        f"<body><h1>dyadwatch API {e(spec['info']['version'])}</h1><p>{e(spec['info'].get('description', ''))}"
        ' The full schema is <a href="/openapi.json">/openapi.json</a>.</p>'
        f"{''.join(sections)}</body></html>"
    )


# --- errors ---------------------------------------------------------------------------------------


def _error(status: int, code: str | None, message: str, **extra: Any) -> JSONResponse:
    body = ErrorOut(code=code, message=message, **extra).model_dump(exclude_none=True)
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(body, status_code=status, headers=headers)


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(DyadwatchError)
    async def dyadwatch_error(_request: Request, exc: DyadwatchError) -> JSONResponse:
        name = exc.fields.get("field")
        return _error(
            _STATUS.get(exc.code, 400),
            exc.code,
            exc.message,
            field=str(name) if name else None,
            hint=exc.hint,
        )

    @app.exception_handler(RequestValidationError)
    async def invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {"field": ".".join(str(p) for p in e["loc"][1:]) or str(e["loc"][0]), "message": e["msg"]}
            for e in exc.errors()
        ]
        first = errors[0] if errors else {"field": "request", "message": "invalid"}
        message = DyadwatchError("E301", field=first["field"], reason=first["message"]).message
        return _error(422, "E301", message, field=first["field"], errors=errors)

    @app.exception_handler(HTTPException)
    async def http_error(_request: Request, exc: HTTPException) -> JSONResponse:
        response = _error(exc.status_code, None, str(exc.detail))
        response.headers.update(exc.headers or {})  # 405 keeps its Allow header
        return response

    @app.exception_handler(Exception)
    async def unexpected(_request: Request, exc: Exception) -> JSONResponse:
        return _error(500, None, f"internal error ({type(exc).__name__}); see the server log")

    @app.exception_handler(SQLAlchemyError)
    async def database_error(_request: Request, exc: SQLAlchemyError) -> JSONResponse:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        return _error(503, "E203", DyadwatchError("E203", url="(server database)", reason=reason).message)
