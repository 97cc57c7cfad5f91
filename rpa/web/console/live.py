"""Live lists by server-sent events: `change` whenever runs, tasks or queue items change.

The dashboard, the runs list and the review inbox listen (`data-sse="/console/events"`, see
static/live.js) and reload their part on each `change`, instead of polling. One cheap probe a
second per open page: the newest change time and the row count of each table.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response, StreamingResponse
from sqlalchemy import Engine, func, select

from rpa.store.schema import items, runs, tasks
from rpa.web.console.guard import Viewer, needs

router = APIRouter(prefix="/console")
POLL = 1.0  # seconds between probes of the store while a page listens
KEEPALIVE = 15.0  # seconds of quiet before a comment line keeps proxies from closing the stream
STREAM_LIMIT = 300.0  # seconds before a stream ends; the browser reconnects (EventSource retry)
RETRY_MS = 2000

PROBE = select(
    select(func.count()).select_from(runs).scalar_subquery(),
    select(func.max(runs.c.updated_at)).scalar_subquery(),
    select(func.count()).select_from(tasks).where(tasks.c.status == "open").scalar_subquery(),
    select(func.max(tasks.c.id)).scalar_subquery(),
    select(func.max(tasks.c.completed_at)).scalar_subquery(),
    select(func.max(items.c.updated_at)).scalar_subquery(),
)


def store_signature(engine: Engine) -> tuple[object, ...]:
    """What the live lists show, coarsely: a change here is worth a reload."""
    with engine.connect() as conn:
        return tuple(conn.execute(PROBE).one())


async def _changes(request: Request, engine: Engine) -> AsyncIterator[str]:
    last, quiet, ends = None, 0.0, time.monotonic() + STREAM_LIMIT
    yield f"retry: {RETRY_MS}\n\n"
    while time.monotonic() < ends and not await request.is_disconnected():
        now = await run_in_threadpool(store_signature, engine)
        if now != last:  # the first look too: the page may have been drawn before the stream began
            yield "event: change\ndata: store\n\n"
            last, quiet = now, 0.0
        quiet += POLL
        if quiet >= KEEPALIVE:
            quiet = 0.0
            yield ": keep-alive\n\n"
        await asyncio.sleep(POLL)


@router.get("/events")
def store_events(request: Request, _: Viewer = Depends(needs("runs.read"))) -> Response:
    return StreamingResponse(_changes(request, request.app.state.store.engine), media_type="text/event-stream",
                             headers={"Cache-Control": "no-store"})
