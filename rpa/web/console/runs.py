"""Runs: the filterable list, one run's timeline, variables and artifacts, and resume / retry / cancel."""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from rpa.audit import record
from rpa.errors import RunError
from rpa.store import FINAL, RunRecord, RunStore
from rpa.store.runs import ACTIVE
from rpa.store.views import PAGE_SIZE, RunFilter, flow_names, list_runs
from rpa.web.console.artifacts import artifact_response, artifacts_of
from rpa.web.console.blocked import blocked_reason, shown
from rpa.web.console.guard import Missing, Viewer, needs, posting
from rpa.web.console.render import page
from rpa.web.console.streams import Watch, stream

router = APIRouter(prefix="/console")
STATUSES = ACTIVE + FINAL
STREAM_POLL = 0.5  # seconds between looks at the run while a page watches it


@contextmanager
def run_store(request: Request) -> Iterator[RunStore]:
    """The app's RunStore: each of its operations takes a pooled connection of its own, so it
    is safe to share between request threads."""
    yield request.app.state.store


def find_run(request: Request, run_id: str) -> RunRecord:
    with run_store(request) as store:
        try:
            return store.get(run_id)
        except RunError as exc:
            raise Missing(str(exc)) from exc


@router.get("/runs")
def runs_page(request: Request, status: str = "", flow: str = "", q: str = "", page_no: int = 1,
              partial: bool = False, seen: Viewer = Depends(needs("runs.read"))) -> Response:
    engine = request.app.state.store.engine
    where = RunFilter(status if status in STATUSES else "", flow, q.strip())
    rows, total = list_runs(engine, where, max(1, page_no))
    pages = max(1, math.ceil(total / PAGE_SIZE))
    context = dict(rows=rows, total=total, page_no=min(max(1, page_no), pages), pages=pages, where=where,
                   statuses=STATUSES, flows=flow_names(engine))
    return page(request, "runs_table.html" if partial else "runs.html", seen, **context)


@router.get("/runs/{run_id}")
def run_page(run_id: str, request: Request, partial: bool = False,
             seen: Viewer = Depends(needs("runs.read"))) -> Response:
    run = find_run(request, run_id)
    with run_store(request) as store:
        timeline, effects = store.events(run.id), store.effects_of(run.id)
    reason = blocked_reason(run)
    context = dict(run=run, status=shown(run.shown_status, reason), blocked=reason, timeline=timeline,
                   effects=effects, finished=run.finished, artifacts=artifacts_of(run.id))
    return page(request, "run_detail.html" if partial else "run.html", seen, **context)


@router.get("/runs/{run_id}/artifacts/{name}")
def run_artifact(run_id: str, name: str, request: Request,
                 _: Viewer = Depends(needs("runs.read"))) -> Response:
    """One file of the run's artifact folder; anything else (`..`, a symlink out) is a 404."""
    return artifact_response(find_run(request, run_id).id, name)


@router.post("/runs/{run_id}/cancel")
def cancel_run(run_id: str, request: Request, seen: Viewer = Depends(posting("runs.cancel"))) -> Response:
    run = find_run(request, run_id)
    with run_store(request) as store:
        status = store.request_cancel(run.id)
    record(request.app.state.store.engine, seen.user.name, "run.cancel", run.id, {"status": status})
    return RedirectResponse(f"/console/runs/{run.id}", status_code=303)


@router.post("/runs/{run_id}/retry")
def retry_run(run_id: str, request: Request, seen: Viewer = Depends(posting("runs.start"))) -> Response:
    """A new run of the same flow with the same inputs (the old one keeps its history)."""
    run = find_run(request, run_id)
    compiled = request.app.state.catalog.served(run.flow_path)  # never a file outside the catalog
    new = request.app.state.runs.submit(compiled, run.inputs, actor=seen.user.name,
                                        detail={"via": "console", "retry_of": run.id})
    return RedirectResponse(f"/console/runs/{new.id}", status_code=303)


@router.post("/runs/{run_id}/resume")
def resume_run(run_id: str, request: Request, seen: Viewer = Depends(posting("runs.start"))) -> Response:
    """Hand an interrupted run to the workers; they continue it where it stopped."""
    run = find_run(request, run_id)
    if run.shown_status != "interrupted":
        raise RunError(f"run {run.id} is {run.shown_status}: only an interrupted run can be resumed")
    with run_store(request) as store:
        store.mark_ready(run.id, run.status, run.owner)
    record(request.app.state.store.engine, seen.user.name, "run.resume", run.id, {})
    return RedirectResponse(f"/console/runs/{run.id}", status_code=303)


@router.get("/runs/{run_id}/stream")
def run_stream(run_id: str, request: Request, _: Viewer = Depends(needs("runs.read"))) -> Response:
    """Server-sent events: `change` whenever the run moves, `end` once it has finished."""
    run, store = find_run(request, run_id), request.app.state.store
    return stream(request, Watch(lambda: store.position(run.id), poll=STREAM_POLL,
                                 over=lambda now: now is None or now[0] in FINAL,
                                 label=lambda now: now[0] if now else "gone"))
