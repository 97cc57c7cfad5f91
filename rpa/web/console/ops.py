"""Queues (items, retry, abandon, priority), uploads into watched folders, and the audit log."""

from __future__ import annotations

import fnmatch
import math
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from rpa.audit import entries, record, verify
from rpa.errors import RunError
from rpa.store import QueueStore
from rpa.store.queues import STATUSES
from rpa.web.console.guard import Missing, Viewer, needs, posting
from rpa.web.console.render import page

router = APIRouter(prefix="/console")
ITEMS_PAGE = 50
AUDIT_PAGE = 100
RETRYABLE = ("business_exception", "application_exception", "abandoned")


@router.get("/queues")
def queues_page(request: Request, queue: str = "", status: str = "", page_no: int = 1,
                seen: Viewer = Depends(needs("queues.read"))) -> Response:
    store = QueueStore(request.app.state.store.engine)
    page_no = max(1, page_no)
    found = store.list(queue or None, status if status in STATUSES else None, ITEMS_PAGE + 1,
                       (page_no - 1) * ITEMS_PAGE)
    return page(request, "queues.html", seen, summary=store.summary(), items=found[:ITEMS_PAGE],
                more=len(found) > ITEMS_PAGE, page_no=page_no, queue=queue, status=status,
                statuses=STATUSES, retryable=RETRYABLE)


def _back(item: Any) -> RedirectResponse:
    return RedirectResponse(f"/console/queues?queue={item.queue}", status_code=303)


def _item(store: QueueStore, item_id: int) -> Any:
    try:
        return store.get(item_id)
    except RunError as exc:
        raise Missing(str(exc)) from exc


@router.post("/queues/items/{item_id}/abandon")
def abandon(item_id: int, request: Request, seen: Viewer = Depends(posting("queues.manage"))) -> Response:
    store = QueueStore(request.app.state.store.engine)
    item = store.abandon(_item(store, item_id).id)
    record(store.engine, seen.user.name, "item.abandon", str(item.id), {"queue": item.queue})
    return _back(item)


@router.post("/queues/items/{item_id}/retry")
def retry(item_id: int, request: Request, seen: Viewer = Depends(posting("queues.manage"))) -> Response:
    """A new attempt of an ended item, linked to it (QueueStore's own retry, as after a failure)."""
    store = QueueStore(request.app.state.store.engine)
    item = _item(store, item_id)
    new = store.retry(item.id)
    record(store.engine, seen.user.name, "item.retry", str(new.id), {"queue": item.queue, "of": item.id})
    return _back(new)


@router.post("/queues/items/{item_id}/priority")
def reprioritise(item_id: int, request: Request, priority: int = Form(...),
                 seen: Viewer = Depends(posting("queues.manage"))) -> Response:
    store = QueueStore(request.app.state.store.engine)
    item = _item(store, item_id)
    store.set_priority(item.id, priority)
    record(store.engine, seen.user.name, "item.priority", str(item.id), {"priority": priority})
    return _back(item)


def _watches(request: Request) -> list[dict[str, Any]]:
    return [{"flow": flow.name, "folder": watch.folder, "glob": watch.glob}
            for watch, flow in request.app.state.catalog.watches()]


@router.get("/upload")
def upload_page(request: Request, message: str = "", seen: Viewer = Depends(needs("queues.add"))) -> Response:
    return page(request, "upload.html", seen, watches=_watches(request), message=message)


def _save(upload: UploadFile, folder: Path, glob: str) -> str:
    """Write the file beside the folder first, then move it in: the watcher never sees half a file."""
    name = Path(upload.filename or "").name
    if not name or name.startswith(".") or not fnmatch.fnmatch(name, glob):
        raise RunError(f"'{name}' does not match this inbox's pattern {glob}")
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    if target.exists():
        target = folder / f"{target.stem}.{int(time.time())}{target.suffix}"
    handle, temp = tempfile.mkstemp(dir=folder.parent, prefix=".upload-")
    with os.fdopen(handle, "wb") as out:
        out.write(upload.file.read())
    os.replace(temp, target)
    return target.name


@router.post("/upload")
async def upload(request: Request, flow: str = Form(...), files: list[UploadFile] | None = None,
                 seen: Viewer = Depends(posting("queues.add"))) -> Response:
    watch = next((w for w in _watches(request) if w["flow"] == flow), None)
    if watch is None:
        raise Missing(f"flow '{flow}' has no watch trigger")
    saved = [_save(f, Path(watch["folder"]), watch["glob"]) for f in files or [] if f.filename]
    if not saved:
        raise RunError("choose at least one file to upload")
    record(request.app.state.store.engine, seen.user.name, "upload.add", flow, {"files": len(saved)})
    return page(request, "upload.html", seen, watches=_watches(request), message="uploaded", saved=saved)


@router.get("/audit")
def audit_page(request: Request, actor: str = "", action: str = "", target: str = "", page_no: int = 1,
               seen: Viewer = Depends(needs("audit.read"))) -> Response:
    engine = request.app.state.store.engine
    wanted = [(k, v.strip()) for k, v in (("actor", actor), ("action", action), ("target", target)) if v.strip()]
    found = [e for e in entries(engine) if all(value in getattr(e, key) for key, value in wanted)]
    pages = max(1, math.ceil(len(found) / AUDIT_PAGE))
    page_no = min(max(1, page_no), pages)
    shown = found[(page_no - 1) * AUDIT_PAGE: page_no * AUDIT_PAGE]
    return page(request, "audit.html", seen, entries=shown, broken=verify(engine), total=len(found),
                page_no=page_no, pages=pages, actor=actor, action=action, target=target)


