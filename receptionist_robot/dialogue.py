"""The bridge between visitors, Rasa and the tour controller.

Visitor text goes to Rasa's REST channel under one sender id per visitor session; the replies
become messages to show (and speak) and, from their custom payloads, robot actions for the
`Guide` and check-ins for the store. Controller events go back to Rasa as external intents on
the visitor's conversation, so the robot's words about them come in the visitor's language.
Only `rasa_channel` knows Rasa's HTTP shapes.

The visitor's conversation holds only the visitor's words: tour events are triggered on a
second conversation of the same session (`<id>-tour`), so a presentation arriving in the
middle of a check-in can never fill a form slot. Robot actions are carried out before the
reply is shown, and when the controller refuses, the bridge says so (`notices`) instead of
Rasa's "let's start". When Rasa cannot be reached the session is kept, staff are told once
(`Notifier.alert`), every kiosk shows the assistant as unavailable, and `check_assistant`
(polled by the kiosk) brings it back.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from receptionist_robot.checkin import FIELDS, CheckIns, Notifier, NotifyError, check_in_of
from receptionist_robot.controller import TourEvent
from receptionist_robot.errors import RobotError
from receptionist_robot.guide import Guide
from receptionist_robot.language import LANGUAGES, detect
from receptionist_robot.notices import notice
from receptionist_robot.rasa_channel import Button, RasaChannel, RasaUnavailable, Reply
from receptionist_robot.speech import Speaker
from receptionist_robot.tours import Stop

log = logging.getLogger(__name__)

# controller event -> (external intent, entities from the event)
EXTERNAL: dict[str, str] = {
    "presentation": "EXTERNAL_arrived", "finished": "EXTERNAL_tour_finished",
    "obstacle": "EXTERNAL_obstacle", "low_battery": "EXTERNAL_low_battery",
}
ROBOT_COMMANDS = {"pause": "pause", "resume": "resume", "skip": "skip", "repeat": "repeat",
                  "stop": "stop"}


@dataclass(frozen=True)
class Message:
    role: str  # visitor | robot
    text: str
    lang: str
    buttons: tuple[Button, ...] = ()
    at: float = field(default_factory=time.time)

    def as_dict(self) -> dict[str, Any]:
        return {"role": self.role, "text": self.text, "lang": self.lang, "at": self.at,
                "buttons": [{"title": b.title, "payload": b.payload} for b in self.buttons]}


@dataclass
class Session:
    id: str
    lang: str = "en"
    messages: list[Message] = field(default_factory=list)
    actions: list[dict[str, Any]] = field(default_factory=list)
    synced: dict[str, str] = field(default_factory=dict)  # conversation -> lang Rasa has for it

    @property
    def tour_conversation(self) -> str:
        """Where tour events go, apart from the visitor's words and forms."""
        return f"{self.id}-tour"


Listener = Callable[[str, str, dict[str, Any]], None]  # session id, kind, data


class Dialogue:
    def __init__(self, rasa: RasaChannel, guide: Guide | None, checkins: CheckIns,
                 notifier: Notifier, speaker: Speaker | None = None) -> None:
        self.rasa, self.guide, self.checkins, self.notifier = rasa, guide, checkins, notifier
        self.speaker = speaker or Speaker(enabled=False)
        self.sessions: dict[str, Session] = {}
        self.listeners: list[Listener] = []
        self._lock = threading.RLock()  # one turn at a time: visitor turns and robot events
        self._events = ThreadPoolExecutor(max_workers=1, thread_name_prefix="dialogue-events")
        self._closed = False
        self.assistant_up = True

    # -- sessions and turns ------------------------------------------------------------------
    def open_session(self, lang: str = "en") -> Session:
        """Opens even while Rasa is down: its language reaches Rasa with the first turn."""
        session = Session(f"visitor-{uuid.uuid4().hex[:12]}", _language(lang))
        self.sessions[session.id] = session
        return session

    def say(self, session_id: str, text: str, shown: str | None = None) -> list[Message]:
        """One visitor turn; returns the robot's messages (after any robot action is sent).

        `shown` is what the visitor sees of their turn, e.g. a quick reply's title for its payload.
        """
        with self._lock:
            session = self.sessions[session_id]
            self._follow_language(session, detect(text, session.lang))
            replies = self._ask(session, session.id, lambda: self.rasa.send(session.id, text))
            self._record(session, Message("visitor", shown or text, session.lang))
            return self._handle(session, replies)

    def end_session(self, session_id: str) -> None:
        """The visitor has gone (the kiosk sat idle): forget what they said; their check-in stays stored."""
        with self._lock:
            self.sessions.pop(session_id, None)

    def check_assistant(self) -> bool:
        """Is Rasa answering again? Polled by the kiosk while the assistant shows unavailable."""
        try:
            self.rasa.alive()
        except RasaUnavailable:
            return False
        self._came_back()
        return True

    def set_language(self, session_id: str, lang: str) -> None:
        with self._lock:
            self._follow_language(self.sessions[session_id], _language(lang))

    def close(self) -> None:
        self._closed = True
        self._events.shutdown(wait=True)
        if self.guide is not None:
            self.guide.close()
        self.rasa.close()

    def _follow_language(self, session: Session, lang: str) -> None:
        if lang != session.lang:
            session.lang = lang
            self._publish(session, "language", {"lang": lang})

    def _ask(self, session: Session, conversation: str, call: Callable[[], list[Reply]]) -> list[Reply]:
        """One exchange with Rasa on a conversation whose `lang` slot is brought up to date first."""
        try:
            if session.synced.get(conversation) != session.lang:
                self.rasa.set_slots(conversation, {"lang": session.lang})
                session.synced[conversation] = session.lang
            replies = call()
        except RasaUnavailable as exc:
            self._went_down(exc)
            raise
        self._came_back()
        return replies

    def _went_down(self, exc: RasaUnavailable) -> None:
        if not self.assistant_up:
            return
        self.assistant_up = False
        log.error("assistant unavailable: %s", exc)
        try:
            self.notifier.alert(f"The kiosk's assistant (Rasa) is unavailable: {exc}")
        except NotifyError as failed:
            log.error("%s", failed)
        for session in list(self.sessions.values()):
            self._publish(session, "assistant", {"up": False, "text": notice("unavailable", session.lang)})

    def _came_back(self) -> None:
        if not self.assistant_up:
            self.assistant_up = True
            log.info("assistant available again")
            for session in list(self.sessions.values()):
                self._publish(session, "assistant", {"up": True})

    def _handle(self, session: Session, replies: list[Reply]) -> list[Message]:
        """The robot acts first, so what is said matches what it did (or why it did not)."""
        said: list[Message] = []
        for reply in replies:
            instead = self._robot(session, reply.custom.get("robot"))
            text, buttons = (instead, ()) if instead else (reply.text, reply.buttons)
            if text or buttons:
                said.append(self._robot_says(session, text, buttons))
            said.extend(self._act(session, reply.custom))
        return said

    def _robot_says(self, session: Session, text: str, buttons: tuple[Button, ...] = ()) -> Message:
        message = Message("robot", text, session.lang, buttons)
        self._record(session, message)
        self.speaker.say(text, session.lang)
        return message

    def _record(self, session: Session, message: Message) -> None:
        session.messages.append(message)
        self._publish(session, "message", message.as_dict())

    def _publish(self, session: Session, kind: str, data: dict[str, Any]) -> None:
        for listener in list(self.listeners):
            try:
                listener(session.id, kind, data)
            except Exception:  # a broken kiosk connection must not break the conversation
                log.exception("dialogue listener failed")

    # -- custom payloads -------------------------------------------------------------------
    def _act(self, session: Session, custom: dict[str, Any]) -> list[Message]:
        said: list[Message] = []
        for key, payload in custom.items():
            handler = self._PAYLOADS.get(key)
            if handler is not None and isinstance(payload, dict):
                said.extend(handler(self, session, payload) or [])
        return said

    def _robot(self, session: Session, payload: Any) -> str | None:
        """Carry out a robot action; the notice to say instead of Rasa's reply when it was refused.
        Without a guide (no base connected) actions are shown, not driven."""
        if not isinstance(payload, dict):
            return None
        action = str(payload.get("action"))
        session.actions.append(dict(payload))
        self._publish(session, "action", dict(payload))
        if self.guide is None:
            return None
        if action == "start_tour" or (action == "goto" and not self.guide.running):
            return self._start_tour(session, _slot(payload.get("tour")) or "showroom")
        if action == "goto" and _slot(payload.get("location")):
            return None if self.guide.post("goto", location=payload["location"]) else notice("no_tour", session.lang)
        if action in ROBOT_COMMANDS and not self.guide.post(ROBOT_COMMANDS[action]):
            return notice("no_tour", session.lang)
        return None

    def _start_tour(self, session: Session, tour: str) -> str | None:
        guide = self.guide
        assert guide is not None
        if guide.running:
            return notice("tour_running", session.lang)
        if tour not in guide.map.tours:
            tour = next(iter(guide.map.tours))
        try:
            guide.start(tour, session.lang, lambda e: self._tour_event(session.id, e))
        except RobotError as exc:  # the base cannot be reached, or the controller refused
            log.warning("tour not started: %s", exc)
            return notice("cannot_start", session.lang)
        return None

    def _on_exhibit(self, session: Session, payload: dict[str, Any]) -> list[Message]:
        """'What is this exhibit?': the stop the robot is at (or last presented), from the tour file."""
        stop = current_stop(self.guide)
        if stop is None:
            return [self._robot_says(session, notice("no_exhibit", session.lang))]
        name = self.guide.map.locations[stop.location].names.get(session.lang)  # type: ignore[union-attr]
        return [self._robot_says(session, f"{name}: {stop.script.get(session.lang)}")]

    def _on_checkin(self, session: Session, payload: dict[str, Any]) -> list[Message]:
        if payload.get("action") == "clear" and payload.get("field") in FIELDS:
            self.rasa.set_slots(session.id, {str(payload["field"]): None})
            return self._handle(session, self.rasa.trigger(session.id, "check_in"))
        if payload.get("action") == "confirm":
            visit = check_in_of(payload, session.lang)
            self.checkins.add(visit)
            self._publish(session, "checkin", {"name": visit.name, "host": visit.host})
            try:
                self.notifier.notify(visit)
            except NotifyError as exc:  # stored already; reception sees it on the console
                log.error("%s", exc)
        return []

    def _on_lang(self, session: Session, payload: dict[str, Any]) -> list[Message]:
        """`switch_language` set the slot in Rasa already; the bridge follows it."""
        lang = _slot(payload.get("to"))
        if lang in LANGUAGES and lang != session.lang:
            session.lang = session.synced[session.id] = lang
            self._publish(session, "language", {"lang": lang})
        return []

    # -- controller events -------------------------------------------------------------------
    def _tour_event(self, session_id: str, event: TourEvent) -> None:
        """Called on the tour's thread: hand over at once, so the tour loop never waits on HTTP."""
        if self._closed:
            return
        with contextlib.suppress(RuntimeError):  # closed in between: the visitor has gone
            self._events.submit(self._relay, session_id, event)

    def _relay(self, session_id: str, event: TourEvent) -> None:
        session = self.sessions.get(session_id)
        if session is None:
            return
        with self._lock:
            self._publish(session, "robot", {"kind": event.kind, "state": event.state})
            intent = EXTERNAL.get(event.kind)
            if intent is None:
                return
            try:
                self._trigger(session, intent, event)
            except RasaUnavailable:
                log.warning("controller event %s not relayed: the assistant is unavailable", event.kind)
            except Exception:
                log.exception("controller event %s not relayed", event.kind)
            if event.kind == "presentation":  # the tour file's script, with or without Rasa
                text = (event.data.get("texts") or {}).get(session.lang) or event.data.get("text") or ""
                self._handle(session, [Reply(text)])

    def _trigger(self, session: Session, intent: str, event: TourEvent) -> None:
        """On the session's tour conversation: the visitor's own (its form, its slots) is untouched."""
        entities: dict[str, Any] = {}
        if event.kind == "presentation" and self.guide is not None:
            location = self.guide.map.locations[event.data["location"]]
            entities["exhibit_name"] = location.names.get(session.lang)
        conversation = session.tour_conversation
        self._handle(session, self._ask(session, conversation,
                                        lambda: self.rasa.trigger(conversation, intent, entities)))

    _PAYLOADS: dict[str, Callable[..., list[Message]]] = {
        "checkin": _on_checkin, "lang": _on_lang, "exhibit": _on_exhibit,
    }


def current_stop(guide: Guide | None) -> Stop | None:
    """The stop being presented, else the one presented last; None before the first."""
    controller = guide.controller if guide is not None and guide.running else None
    if controller is None:
        return None
    stops, index = controller.tour.stops, controller.progress.index
    if controller.state == "presenting" and 0 <= index < len(stops):
        return stops[index]
    done = [s["location"] for s in controller.progress.stops if s.get("status") != "skipped"]
    return next((s for s in stops if done and s.location == done[-1]), None)


def _language(lang: str) -> str:
    return lang if lang in LANGUAGES else "en"


def _slot(value: Any) -> str | None:
    """An unset slot reaches a custom payload as the text 'None'."""
    text = str(value or "").strip()
    return None if text in ("", "None", "null") else text
