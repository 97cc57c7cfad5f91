"""The review inbox: open tasks, one task's form (or validation station), accept / reject.

Accepting or rejecting goes straight on to the next open task (soonest due first), so a
reviewer never returns to the inbox between tasks; after the last one, to its run's page.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, RedirectResponse, Response
from PIL import Image

from rpa.audit import record
from rpa.errors import BusinessError, RunError
from rpa.store import Task, TaskStore
from rpa.store.views import open_tasks
from rpa.web.console.guard import Missing, Viewer, needs, posting
from rpa.web.console.render import page
from rpa.web.console.review import parse, review_page

router = APIRouter(prefix="/console")


def find_task(request: Request, task_id: int) -> Task:
    """The task, or the console's 404 page."""
    try:
        return TaskStore(request.app.state.store.engine).get(task_id)
    except RunError as exc:
        raise Missing(str(exc)) from exc


def _images(task: Task) -> list[dict[str, Any]]:
    """The page images the task shows, with their pixel sizes for the box overlay."""
    found = []
    for image in (task.data or {}).get("images", []) if isinstance(task.data, dict) else []:
        path = Path(str(image.get("path", "")))
        if path.is_file():
            with Image.open(path) as opened:
                found.append({**image, "width": opened.width, "height": opened.height})
    return found


@router.get("/inbox")
def inbox(request: Request, seen: Viewer = Depends(needs("tasks.read"))) -> Response:
    return page(request, "inbox.html", seen, tasks=open_tasks(request.app.state.store.engine))


def _task_page(request: Request, seen: Viewer, task: Task, message: str = "", status_code: int = 200,
               submitted: dict[str, str] | None = None, **extra: Any) -> Response:
    review = review_page(task.form, task.data, seen.lang)
    for field in [*review["check"], *review["sure"]] if submitted else []:
        field["value"] = submitted.get(f"field.{field['key']}", field["value"]) if submitted else field["value"]
    return page(request, "task.html", seen, status_code, task=task, review=review, images=_images(task),
                message=message, can_complete=seen.can("tasks.complete"), **extra)


def task_page_with(request: Request, seen: Viewer, task_id: int, status_code: int = 200, **extra: Any) -> Response:
    """The task's page with a message or notice from elsewhere (saving it as a template)."""
    return _task_page(request, seen, find_task(request, task_id), status_code=status_code, **extra)


@router.get("/tasks/{task_id}")
def task_page(task_id: int, request: Request, seen: Viewer = Depends(needs("tasks.read"))) -> Response:
    return _task_page(request, seen, find_task(request, task_id))


@router.get("/tasks/{task_id}/image/{page_no}")
def task_image(task_id: int, page_no: int, request: Request, _: Viewer = Depends(needs("tasks.read"))) -> Response:
    """Only an image the task itself names: never a path taken from the request."""
    task = find_task(request, task_id)
    found = next((i for i in _images(task) if i.get("page") == page_no), None)
    if found is None:
        raise Missing(f"task {task_id} has no image of page {page_no}")
    return FileResponse(found["path"])


DECISIONS = {"accept": {}, "reject": {"rejected": True}}


@router.post("/tasks/{task_id}/complete")
async def complete(task_id: int, request: Request, seen: Viewer = Depends(posting("tasks.complete"))) -> Response:
    task = find_task(request, task_id)
    submitted = {k: str(v) for k, v in (await request.form()).items()}
    decision = submitted.get("decision", "accept")
    try:
        data = {**parse(task.form, submitted), **DECISIONS.get(decision, {})}
        if decision == "reject":
            data["reason"] = submitted.get("reason", "").strip()
            if not data["reason"]:
                raise ValueError("give a reason for rejecting")
        done = TaskStore(request.app.state.store.engine).complete(task.id, data, by=seen.user.name)
    except (ValueError, BusinessError, RunError) as exc:
        return _task_page(request, seen, task, str(exc), 422, submitted)
    record(request.app.state.store.engine, seen.user.name, "task.complete", str(task.id),
           {"run": done.run_id, "decision": decision})
    return RedirectResponse(_after(request, done), status_code=303)


def _after(request: Request, done: Task) -> str:
    """The next open task, soonest due first; after the last, the run of the one just done."""
    following = open_tasks(request.app.state.store.engine, 1)
    return f"/console/tasks/{following[0]['id']}" if following else f"/console/runs/{done.run_id}"
