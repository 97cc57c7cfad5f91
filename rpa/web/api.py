"""The JSON API: runs, queues, items, tasks and health. Its OpenAPI page is at /docs, for
signed-in callers (rpa/web/docs.py); anonymous /api/health answers liveness only.

Runs started here are created `ready`; the workers run them. SmartLab errors become HTTP
errors at one place: unknown things 404, bad data 422, conflicts 409.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from rpa.audit import entries as audit_entries
from rpa.audit import record as audit
from rpa.auth import AuthError, list_users
from rpa.engine import Runs
from rpa.errors import BusinessError, FlowError, InputError, NotServed, RunError, SmartLabError
from rpa.logs import mask_every_logger
from rpa.orchestrator.catalog import Catalog
from rpa.secrets import SecretNotFound, remove_secret, set_secret
from rpa.store import QueueStore, RunStore, TaskStore
from rpa.web.auth import allowed, caller, open_mode
from rpa.web.console import mount_console
from rpa.web.docs import install_api_docs
from rpa.web.errors import install_error_pages
from rpa.web.headers import install_security_headers


class StartRun(BaseModel):
    flow: str = Field(description="the name of a flow of the served catalog (never a file path)")
    inputs: dict[str, Any] = Field(default_factory=dict)


class NewItem(BaseModel):
    reference: str
    payload: Any = None
    priority: int = 0


class Completion(BaseModel):
    data: Any


class SecretValue(BaseModel):
    value: str


_STATUS = [(FlowError, 422), (BusinessError, 422), (InputError, 422), (NotServed, 404), (SecretNotFound, 404),
           (RunError, 409), (AuthError, 400), (SmartLabError, 500)]


def _http_status(exc: SmartLabError) -> int:
    if isinstance(exc, RunError) and str(exc).startswith("no "):
        return 404
    return next(code for kind, code in _STATUS if isinstance(exc, kind))


def create_app(db_url: str | None = None, flows: str | Path = "flows") -> FastAPI:
    mask_every_logger()  # rpa/logs.py: uvicorn's and httpx's records too
    app = FastAPI(title="SmartLab", version="0.1.0", docs_url=None, redoc_url=None, openapi_url=None,
                  description="Runs, work queues and human tasks of the SmartLab RPA engine.")
    app.state.store = RunStore(db_url)
    app.state.catalog = Catalog.load(flows) if Path(flows).exists() else Catalog()
    app.state.runs = Runs(app.state.store)  # every run the web starts goes through it

    @app.exception_handler(SmartLabError)
    async def _smartlab_error(request: Request, exc: SmartLabError) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=_http_status(exc))

    app.include_router(_runs_router())
    app.include_router(_queues_router())
    app.include_router(_tasks_router())
    app.include_router(_admin_router())

    @app.get("/api/health", tags=["health"])
    def health(request: Request, who: str | None = Depends(caller)) -> dict[str, Any]:
        """Liveness for anyone; the counts, flow problems and auth mode for a signed-in caller."""
        if who is None:
            return {"status": "ok"}
        store: RunStore = app.state.store
        auth = "open: no users yet (smartlab users add)" if open_mode(request) else "tokens"
        return {"status": "ok", "runs": store.count(), "flows": len(app.state.catalog.flows),
                "flow_problems": app.state.catalog.problems, "auth": auth}

    install_api_docs(app)  # rpa/web/docs.py: /docs and /openapi.json behind sign-in
    mount_console(app)
    install_security_headers(app)  # rpa/web/headers.py: CSP, no framing, Referrer-Policy
    return install_error_pages(app)  # rpa/web/errors.py: a 500 shows an error id, never a traceback


def _store(request: Request) -> RunStore:
    return request.app.state.store


def _runs_router() -> APIRouter:
    router = APIRouter(prefix="/api/runs", tags=["runs"])

    @router.post("", status_code=201)
    def start_run(body: StartRun, request: Request, actor: str = Depends(allowed("runs.start"))) -> dict[str, Any]:
        compiled = request.app.state.catalog.named(body.flow)
        return _run(request.app.state.runs.submit(compiled, body.inputs, actor=actor, detail={"via": "api"}))

    @router.get("")
    def list_runs(request: Request, status: str | None = None, flow: str | None = None,
                  limit: int = 50, offset: int = 0, _: str = Depends(allowed("runs.read"))) -> list[dict[str, Any]]:
        return [_run(r) for r in _store(request).list(status=status, flow=flow, limit=limit, offset=offset)]

    @router.get("/{run_id}")
    def get_run(run_id: str, request: Request, _: str = Depends(allowed("runs.read"))) -> dict[str, Any]:
        store = _store(request)
        run = store.get(run_id)
        return {**_run(run), "timeline": store.events(run.id), "effects": store.effects_of(run.id)}

    @router.post("/{run_id}/cancel")
    def cancel_run(run_id: str, request: Request, actor: str = Depends(allowed("runs.cancel"))) -> dict[str, Any]:
        store = _store(request)
        status = store.request_cancel(run_id)
        audit(store.engine, actor, "run.cancel", run_id, {"status": status})
        return {"id": run_id, "status": status}

    return router


def _queues_router() -> APIRouter:
    router = APIRouter(prefix="/api/queues", tags=["queues"])

    @router.get("")
    def list_queues(request: Request, _: str = Depends(allowed("queues.read"))) -> list[dict[str, Any]]:
        return QueueStore(_store(request).engine).summary()

    @router.get("/{queue}/items")
    def list_items(queue: str, request: Request, status: str | None = None, limit: int = 100,
                   offset: int = 0, _: str = Depends(allowed("queues.read"))) -> list[dict[str, Any]]:
        found = QueueStore(_store(request).engine).list(queue, status, limit, offset)
        return [i.as_dict() for i in found]

    @router.post("/{queue}/items")
    def add_item(queue: str, body: NewItem, request: Request, _: str = Depends(allowed("queues.add"))) -> JSONResponse:
        item, created = QueueStore(_store(request).engine).add(queue, body.reference, body.payload,
                                                              priority=body.priority)
        return JSONResponse({**item.as_dict(), "created": created}, status_code=201 if created else 200)

    return router


def _tasks_router() -> APIRouter:
    router = APIRouter(prefix="/api/tasks", tags=["tasks"])

    @router.get("")
    def list_tasks(request: Request, status: str | None = "open", role: str | None = None,
                   _: str = Depends(allowed("tasks.read"))) -> list[dict[str, Any]]:
        return [t.as_dict() for t in TaskStore(_store(request).engine).list(status, role)]

    @router.get("/{task_id}")
    def get_task(task_id: int, request: Request, _: str = Depends(allowed("tasks.read"))) -> dict[str, Any]:
        return TaskStore(_store(request).engine).get(task_id).as_dict()

    @router.post("/{task_id}/complete")
    def complete_task(task_id: int, body: Completion, request: Request,
                      actor: str = Depends(allowed("tasks.complete"))) -> dict[str, Any]:
        engine = _store(request).engine
        task = TaskStore(engine).complete(task_id, body.data, by=actor)
        audit(engine, actor, "task.complete", str(task_id), {"run": task.run_id})
        return task.as_dict()

    return router


def _admin_router() -> APIRouter:
    router = APIRouter(prefix="/api", tags=["administration"])

    @router.get("/users")
    def users(request: Request, _: str = Depends(allowed("users.manage"))) -> list[dict[str, Any]]:
        return [{"name": u.name, "role": u.role} for u in list_users(_store(request).engine)]

    @router.put("/secrets/{name}", status_code=204)
    def put_secret(name: str, body: SecretValue, request: Request,
                   actor: str = Depends(allowed("secrets.manage"))) -> None:
        set_secret(_store(request).engine, actor, name, body.value)

    @router.delete("/secrets/{name}", status_code=204)
    def delete_secret(name: str, request: Request, actor: str = Depends(allowed("secrets.manage"))) -> None:
        remove_secret(_store(request).engine, actor, name)

    @router.get("/audit")
    def audit_log(request: Request, limit: int = 100, _: str = Depends(allowed("audit.read"))) -> list[dict[str, Any]]:
        return [{**dataclasses.asdict(e), "detail": e.data} for e in audit_entries(_store(request).engine, limit)]

    return router


def _run(run: Any) -> dict[str, Any]:
    keys = ("id", "flow", "flow_path", "status", "state", "step", "attempt", "inputs", "vars",
            "error", "parent_id", "created_at", "updated_at", "finished_at")
    data = {k: getattr(run, k) for k in keys}
    data["status"] = run.shown_status
    return data
