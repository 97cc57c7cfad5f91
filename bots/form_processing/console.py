"""The review page's "Save as template" (a `smartlab.console` entry point): a reviewed form
that no template matched becomes a template the bot reads from then on.

The page (rpa/web/console/templates/task.html) posts the pairs the reviewer keeps, with their
labels as corrected and a kind of value; boxes come from the task's own data, never the request.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from bots.form_processing.errors import TemplateError
from bots.form_processing.template import NAME, save_template, template_from_pairs, templates
from rpa.audit import record
from rpa.web.console.guard import Viewer, posting
from rpa.web.console.i18n import translate
from rpa.web.console.review import bot_fields
from rpa.web.console.tasks import find_task, task_page_with

router = APIRouter(prefix="/console")


def _kept(submitted: dict[str, str], fields: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows the reviewer kept, in page order: label, type and the bot's boxes."""
    rows = sorted(int(k.split(".", 1)[1]) for k in submitted if k.startswith("keep.") and k[5:].isdigit())
    found = []
    for n in rows:
        field = fields.get(submitted[f"keep.{n}"], {})
        found.append({"label": submitted.get(f"label.{n}", ""), "type": submitted.get(f"type.{n}", "text"),
                      "key_box": field.get("key_box"), "value_box": field.get("value_box")})
    return found


def _refusal(name: str, kept: list[dict[str, Any]], lang: str) -> str:
    """The reviewer's mistake in their language, or '' when the name and labels will do."""
    if not NAME.match(name):
        return translate("template_bad_name", lang, name=name)
    if name in templates():
        return translate("template_exists", lang, name=name)
    if not any(str(p["label"]).strip() for p in kept):
        return translate("template_no_fields", lang)
    return ""


@router.post("/tasks/{task_id}/template")
async def save_as_template(task_id: int, request: Request,
                           seen: Viewer = Depends(posting("tasks.complete"))) -> Response:
    task = find_task(request, task_id)
    submitted = {k: str(v) for k, v in (await request.form()).items()}
    name = submitted.get("name", "").strip()
    kept = _kept(submitted, bot_fields(task.data))
    problem = _refusal(name, kept, seen.lang)
    if not problem:
        try:
            path = save_template(template_from_pairs(name, kept))
        except TemplateError as exc:
            problem = translate("template_failed", seen.lang, reason=str(exc))
    if problem:
        return task_page_with(request, seen, task_id, 422, message=problem, template_name=name)
    record(request.app.state.store.engine, seen.user.name, "template.save", name, {"task": task_id, "path": str(path)})
    return task_page_with(request, seen, task_id, notice=translate("template_saved", seen.lang, name=name))
