"""Server-sent events for pages that watch something: one loop shared by the run page, the
live lists and plugins' pages (the robot's), each giving only what to look at.

`change` goes out at the first look (the page may have been drawn before the stream began)
and whenever the look differs from the last; `end` when the watched thing is over; a comment
line keeps proxies from closing a quiet stream. The look runs in a worker thread (it reads a
database or a serial line), never on the event loop.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

from fastapi import Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import StreamingResponse

KEEPALIVE = 15.0  # seconds of quiet before a comment line keeps proxies from closing the stream


@dataclass(frozen=True)
class Watch:
    look: Callable[[], Any]  # what the page shows, coarsely: a change is worth a redraw
    poll: float = 1.0  # seconds between looks
    limit: float | None = None  # seconds before the stream ends (EventSource then reconnects)
    retry_ms: int | None = None  # how soon the browser reconnects
    over: Callable[[Any], bool] = lambda _: False  # the watched thing has ended: say `end`
    label: Callable[[Any], str] = lambda _: ""  # the `data:` of a change
    stop: Callable[[], bool] = lambda: False  # the server is going away


def stream(request: Request, watch: Watch) -> StreamingResponse:
    return StreamingResponse(_changes(request, watch), media_type="text/event-stream",
                             headers={"Cache-Control": "no-store"})


async def _changes(request: Request, watch: Watch) -> AsyncIterator[str]:
    last, quiet = None, 0.0
    ends = time.monotonic() + watch.limit if watch.limit is not None else float("inf")
    if watch.retry_ms is not None:
        yield f"retry: {watch.retry_ms}\n\n"
    while time.monotonic() < ends and not watch.stop() and not await request.is_disconnected():
        now = await run_in_threadpool(watch.look)
        if now != last:
            last, quiet = now, 0.0
            yield f"event: change\ndata: {watch.label(now)}\n\n"
        if watch.over(now):
            yield "event: end\ndata: \n\n"
            return
        quiet += watch.poll
        if quiet >= KEEPALIVE:
            quiet = 0.0
            yield ": keep-alive\n\n"
        await asyncio.sleep(watch.poll)
