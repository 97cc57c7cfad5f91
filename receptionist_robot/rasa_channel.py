"""The one module that knows Rasa's HTTP shapes: the REST webhook, trigger_intent, tracker events.

    DialogueError                  (a RobotError)
    └── RasaUnavailable            Rasa cannot be reached or answered something unreadable

Everything Rasa sends back becomes a `Reply` (text, buttons, custom payload). The HTTP goes
through `rpa.nlu.RasaHttp`; its ServerError becomes `RasaUnavailable` here and nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from receptionist_robot.errors import RobotError
from rpa.nlu.client import RasaHttp
from rpa.nlu.errors import ServerError


class DialogueError(RobotError):
    """Root of the dialogue bridge's errors."""


class RasaUnavailable(DialogueError):
    """Rasa did not answer, or answered something that is not a list of messages."""


@dataclass(frozen=True)
class Button:
    title: str
    payload: str


@dataclass(frozen=True)
class Reply:
    text: str = ""
    buttons: tuple[Button, ...] = ()
    custom: dict[str, Any] = field(default_factory=dict)


def replies_of(messages: list[dict[str, Any]]) -> list[Reply]:
    """Rasa's bot messages -> `Reply`s; keys Rasa adds that we do not use are ignored."""
    out = []
    for m in messages:
        buttons = tuple(Button(str(b.get("title", "")), str(b.get("payload", "")))
                        for b in m.get("buttons") or [])
        custom = m.get("custom") if isinstance(m.get("custom"), dict) else {}
        out.append(Reply(str(m.get("text") or ""), buttons, custom))
    return out


class RasaChannel:
    """A Rasa server's REST channel and conversation API (`rasa run --enable-api`)."""

    def __init__(self, url: str, timeout: float = 30.0) -> None:
        self._rasa = RasaHttp(url, timeout)
        self.url = self._rasa.url

    def send(self, sender: str, text: str) -> list[Reply]:
        body = {"sender": sender, "message": text}
        return replies_of(self._call("/webhooks/rest/webhook", body))

    def trigger(self, sender: str, intent: str, entities: dict[str, Any] | None = None) -> list[Reply]:
        body = {"name": intent, "entities": entities or {}}
        answer = self._call(f"/conversations/{quote(sender)}/trigger_intent?output_channel=latest", body)
        return replies_of(answer.get("messages") or [])

    def set_slots(self, sender: str, slots: dict[str, Any]) -> None:
        events = [{"event": "slot", "name": k, "value": v} for k, v in slots.items()]
        self._call(f"/conversations/{quote(sender)}/tracker/events", events)

    def alive(self) -> None:
        """Raises RasaUnavailable unless the server answers its status with a model loaded."""
        try:
            status = self._rasa.status()
        except ServerError as exc:
            raise RasaUnavailable(str(exc)) from exc
        if not isinstance(status, dict) or not status.get("model_file"):
            raise RasaUnavailable(f"Rasa at {self.url} has no model loaded")

    def close(self) -> None:
        self._rasa.close()

    def _call(self, path: str, body: Any) -> Any:
        try:
            return self._rasa.call("POST", path, body)
        except ServerError as exc:
            raise RasaUnavailable(str(exc)) from exc
