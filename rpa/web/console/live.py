"""Live lists by server-sent events: `change` whenever runs, tasks or queue items change.

The dashboard, the runs list and the review inbox listen (`data-sse="/console/events"`, see
static/live.js) and reload their part on each `change`, instead of polling. One cheap probe a
second per open page: the newest change time and the row count of each table.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from rpa.store.views import store_signature
from rpa.web.console.guard import Viewer, needs
from rpa.web.console.streams import Watch, stream

router = APIRouter(prefix="/console")
POLL = 1.0  # seconds between probes of the store while a page listens
STREAM_LIMIT = 300.0  # seconds before a stream ends; the browser reconnects (EventSource retry)
RETRY_MS = 2000

@router.get("/events")
def store_events(request: Request, _: Viewer = Depends(needs("runs.read"))) -> Response:
    engine = request.app.state.store.engine
    return stream(request, Watch(lambda: store_signature(engine), poll=POLL, limit=STREAM_LIMIT,
                                 retry_ms=RETRY_MS, label=lambda _: "store"))
