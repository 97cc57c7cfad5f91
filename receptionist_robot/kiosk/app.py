"""The kiosk's FastAPI router: the page, visitor sessions, turns, and a server-sent event stream.

`kiosk_router(dialogue)` mounts on any FastAPI app (the main console included) under
`/kiosk`; `create_app(dialogue)` serves it alone (`smartlab robot kiosk`). Bridge events come
from the dialogue's threads and reach each page's stream through its event loop. The page's
script and style are files under `static/` (no inline script, for a strict CSP). A turn
Rasa cannot answer gets 503 with the visitor's-language notice; the page keeps the turn and
polls `api/assistant` until Rasa is back, then sends it again.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from fastapi import APIRouter, FastAPI, HTTPException
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, StreamingResponse
from pydantic import BaseModel

from receptionist_robot.dialogue import Dialogue
from receptionist_robot.language import LANGUAGES
from receptionist_robot.notices import notice
from receptionist_robot.rasa_channel import DialogueError
from receptionist_robot.settings import KIOSK_IDLE_ENV, number

STATIC = Path(__file__).parent / "static"
PAGE = STATIC / "index.html"
ASSETS = {"kiosk.js": "text/javascript", "kiosk.css": "text/css"}
KEEPALIVE = 15.0


class NewSession(BaseModel):
    lang: str = "zh-HK"


class Turn(BaseModel):
    text: str
    shown: str | None = None


class Language(BaseModel):
    lang: str


def kiosk_router(dialogue: Dialogue) -> APIRouter:
    router = APIRouter(prefix="/kiosk", tags=["kiosk"])

    @router.get("/", response_class=HTMLResponse)
    def page() -> str:
        return PAGE.read_text(encoding="utf-8")

    @router.get("/static/{name}", include_in_schema=False)
    def asset(name: str) -> FileResponse:
        if name not in ASSETS:
            raise HTTPException(404, f"no kiosk file '{name}'")
        return FileResponse(STATIC / name, media_type=ASSETS[name], headers={"Cache-Control": "no-cache"})

    @router.post("/api/sessions")
    async def open_session(body: NewSession) -> dict[str, Any]:
        session = await _bridge(dialogue.open_session, body.lang)
        return {"id": session.id, "lang": session.lang, "assistant": dialogue.assistant_up,
                "unavailable": notice("unavailable", session.lang)}

    @router.get("/api/config")
    def config() -> dict[str, float]:
        """What the page needs to know: how long it may sit idle before greeting the next visitor."""
        return {"idle_seconds": number(KIOSK_IDLE_ENV)}

    @router.delete("/api/sessions/{sid}", status_code=204)
    def end_session(sid: str) -> None:
        _known(dialogue, sid)
        dialogue.end_session(sid)

    @router.post("/api/sessions/{sid}/say", response_model=None)
    async def say(sid: str, body: Turn) -> dict[str, Any] | JSONResponse:
        _known(dialogue, sid)
        try:
            said = await _bridge(dialogue.say, sid, body.text.strip()[:500], body.shown)
        except HTTPException as exc:  # the turn is not lost: the page keeps it and sends it again
            lang = dialogue.sessions[sid].lang
            return JSONResponse({"detail": {"text": notice("unavailable", lang), "reason": exc.detail}},
                                status_code=exc.status_code)
        return {"messages": [m.as_dict() for m in said], "lang": dialogue.sessions[sid].lang}

    @router.get("/api/assistant")
    async def assistant() -> dict[str, bool]:
        """Polled by a page showing 'unavailable': is Rasa answering again?"""
        return {"up": await run_in_threadpool(dialogue.check_assistant)}

    @router.post("/api/sessions/{sid}/lang")
    async def language(sid: str, body: Language) -> dict[str, str]:
        _known(dialogue, sid)
        if body.lang not in LANGUAGES:
            raise HTTPException(422, f"lang must be one of {', '.join(LANGUAGES)}")
        await _bridge(dialogue.set_language, sid, body.lang)
        return {"lang": body.lang}

    @router.get("/api/sessions/{sid}/events")
    async def events(sid: str) -> StreamingResponse:
        _known(dialogue, sid)
        return StreamingResponse(_stream(dialogue, sid), media_type="text/event-stream",
                                 headers={"Cache-Control": "no-store"})

    @router.get("/api/robot")
    def robot(lang: str = "en") -> dict[str, Any]:
        if dialogue.guide is None:
            return {"running": False, "state": "offline", "stops": [], "locations": {}}
        return dialogue.guide.status(lang if lang in LANGUAGES else "en")

    @router.post("/api/robot/stop")
    def stop() -> dict[str, bool]:
        """The screen's stop button: halt now (the visitor can say 'continue')."""
        return {"sent": bool(dialogue.guide and dialogue.guide.post("pause"))}

    return router


def create_app(dialogue: Dialogue) -> FastAPI:
    app = FastAPI(title="SmartLab kiosk", docs_url=None, redoc_url=None, openapi_url=None)  # no API map for strangers
    app.include_router(kiosk_router(dialogue))

    @app.get("/", include_in_schema=False)
    def root() -> RedirectResponse:
        return RedirectResponse("/kiosk/")

    return app


async def _bridge(fn: Any, *args: Any) -> Any:
    try:
        return await run_in_threadpool(fn, *args)
    except DialogueError as exc:
        raise HTTPException(503, str(exc)) from exc


def _known(dialogue: Dialogue, sid: str) -> None:
    if sid not in dialogue.sessions:
        raise HTTPException(404, f"no visitor session '{sid}'")


async def _stream(dialogue: Dialogue, sid: str) -> AsyncIterator[str]:
    loop, inbox = asyncio.get_running_loop(), asyncio.Queue()

    def listener(session_id: str, kind: str, data: dict[str, Any]) -> None:
        if session_id == sid:
            loop.call_soon_threadsafe(inbox.put_nowait, (kind, data))

    dialogue.listeners.append(listener)
    try:
        yield ": open\n\n"
        while True:
            try:
                kind, data = await asyncio.wait_for(inbox.get(), KEEPALIVE)
            except TimeoutError:
                yield ": keepalive\n\n"
                continue
            yield f"event: {kind}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"
    finally:
        dialogue.listeners.remove(listener)
