"""The dashboard (charts in dashboard.py) and the flows: list with validation, graph with a run's path, start form."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from rpa.errors import InputError, SmartLabError
from rpa.flow import CompiledFlow
from rpa.flow.graph import path_of, svg
from rpa.flow.model import InputSpec
from rpa.store import QueueStore
from rpa.store.views import recent_failures, runs_by_status
from rpa.web.console.dashboard import context as charts_of
from rpa.web.console.guard import Missing, Viewer, needs, posting
from rpa.web.console.render import clock, page
from rpa.web.console.runs import find_run, run_store

router = APIRouter(prefix="/console")

# input type -> (HTML control, its attributes): the start form is built from the flow's inputs
WIDGETS: dict[str, tuple[str, dict[str, str]]] = {
    "str": ("input", {"type": "text"}),
    "path": ("input", {"type": "text"}),
    "int": ("input", {"type": "number", "step": "1"}),
    "float": ("input", {"type": "number", "step": "any"}),
    "bool": ("select", {}),
    "list": ("textarea", {}),
    "dict": ("textarea", {}),
}


@router.get("/")
def dashboard(request: Request, partial: bool = False, tables: bool = False,
              seen: Viewer = Depends(needs("runs.read"))) -> Response:
    """`tables=1` shows every chart's figures as a table too (kept across live reloads)."""
    engine = request.app.state.store.engine
    context = dict(by_status=runs_by_status(engine), queues=QueueStore(engine).summary(), tables=tables,
                   failures=recent_failures(engine), **charts_of(engine, clock(request), seen.lang))
    return page(request, "dashboard_body.html" if partial else "dashboard.html", seen, **context)


@router.get("/flows")
def flows_page(request: Request, seen: Viewer = Depends(needs("runs.read"))) -> Response:
    catalog = request.app.state.catalog
    flows = sorted(catalog.flows.values(), key=lambda f: f.name)
    return page(request, "flows.html", seen, flows=flows, problems=sorted(catalog.problems.items()))


def _flow(request: Request, name: str) -> CompiledFlow:
    found = request.app.state.catalog.by_name(name)
    if found is None:
        raise Missing(f"no flow named '{name}'")
    return found


def _graph(request: Request, compiled: CompiledFlow, run_id: str) -> tuple[str, str]:
    """The SVG, with the path of `run_id` highlighted; an error text instead when Graphviz fails."""
    taken = None
    if run_id:
        with run_store(request) as store:
            taken = path_of(store.events(find_run(request, run_id).id))
    try:
        return svg(compiled.flow, taken), ""
    except SmartLabError as exc:
        return "", str(exc)


def _field(name: str, spec: InputSpec) -> dict[str, Any]:
    tag, attrs = WIDGETS[spec.type]
    default = spec.default
    shown = json.dumps(default) if spec.type in ("list", "dict") and default is not None else default
    return {"name": name, "spec": spec, "tag": tag, "attrs": attrs, "value": "" if shown is None else shown}


@router.get("/flows/{name}")
def flow_page(name: str, request: Request, run: str = "", message: str = "",
              seen: Viewer = Depends(needs("runs.read"))) -> Response:
    compiled = _flow(request, name)
    graph, graph_error = _graph(request, compiled, run)
    fields = [_field(n, s) for n, s in compiled.flow.inputs.items()]
    return page(request, "flow.html", seen, flow=compiled, graph=graph, graph_error=graph_error,
                fields=fields, run_id=run, message=message)


@router.post("/flows/{name}/start")
async def start_flow(name: str, request: Request, seen: Viewer = Depends(posting("runs.start"))) -> Response:
    compiled = _flow(request, name)
    form = await request.form()
    given = {k: v for k, v in form.items() if k in compiled.flow.inputs and v != ""}
    try:
        run = request.app.state.runs.submit(compiled, given, actor=seen.user.name, detail={"via": "console"})
    except InputError as exc:
        fields = [_field(n, s) for n, s in compiled.flow.inputs.items()]
        return page(request, "flow.html", seen, 422, flow=compiled, graph=_graph(request, compiled, "")[0],
                    graph_error="", fields=fields, run_id="", message=str(exc))
    return RedirectResponse(f"/console/runs/{run.id}", status_code=303)


