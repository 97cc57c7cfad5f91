"""Visitor check-ins: validating what the form collected, storing it, and telling the host.

Validators are pure (strings in, a value or a reason out). Check-ins go to our own table
`robot_checkins` on the store's engine. The host is told by e-mail through a configured SMTP
server, or on the console when none is configured; smtplib errors become `NotifyError` here.
"""

from __future__ import annotations

import re
import smtplib
import sys
import time
import uuid
from dataclasses import asdict, dataclass
from email.message import EmailMessage
from typing import Any, Protocol
from urllib.parse import urlparse

from sqlalchemy import Column, Float, MetaData, String, Table, insert, select
from sqlalchemy.exc import SQLAlchemyError

from receptionist_robot.rasa_channel import DialogueError
from rpa.errors import StoreError
from rpa.store.db import open_engine

FIELDS = ("visitor_name", "organisation", "host", "phone")
_NONE = {"", "none", "null", "skip", "no", "n/a", "-", "跳過", "跳过", "唔使", "不用", "冇", "没有", "唔留"}
_PHONE = re.compile(r"^(?:\+?852)?([2-9]\d{7})$")


class NotifyError(DialogueError):
    """The host could not be told (the SMTP server refused or could not be reached)."""


@dataclass(frozen=True)
class CheckIn:
    name: str
    organisation: str
    host: str
    lang: str
    phone: str | None = None
    at: float = 0.0
    id: str = ""


def optional(value: Any) -> str | None:
    text = str(value or "").strip()
    return None if text.lower() in _NONE else text


def phone_number(value: Any) -> str | None:
    """A Hong Kong number (8 digits, optional +852) or None; anything else is not kept."""
    text = optional(value)
    if text is None:
        return None
    match = _PHONE.match(re.sub(r"[\s\-()]", "", text))
    return match.group(1) if match else None


def check_in_of(payload: dict[str, Any], lang: str) -> CheckIn:
    return CheckIn(name=optional(payload.get("name")) or "?",
                   organisation=optional(payload.get("organisation")) or "-",
                   host=optional(payload.get("host")) or "-", lang=lang,
                   phone=phone_number(payload.get("phone")), at=time.time(), id=uuid.uuid4().hex)


metadata = MetaData()
checkins = Table(
    "robot_checkins", metadata,
    Column("id", String(32), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("organisation", String(200), nullable=False),
    Column("host", String(200), nullable=False),
    Column("phone", String(32)),
    Column("lang", String(8), nullable=False),
    Column("at", Float, nullable=False),
)


class CheckIns:
    def __init__(self, url: str | None = None) -> None:
        self.engine = open_engine(url)

    def add(self, visit: CheckIn) -> None:
        self._run(lambda c: c.execute(insert(checkins).values(**asdict(visit))))

    def all(self) -> list[CheckIn]:
        rows = self._run(lambda c: c.execute(select(checkins).order_by(checkins.c.at)).all())
        return [CheckIn(**row._mapping) for row in rows]

    def _run(self, work: Any) -> Any:
        try:
            with self.engine.begin() as conn:
                return work(conn)
        except SQLAlchemyError as exc:
            raise StoreError(f"check-ins: {exc}") from exc


class Notifier(Protocol):
    def notify(self, visit: CheckIn) -> None: ...

    def alert(self, text: str) -> None:
        """Tell reception staff something went wrong at the kiosk (e.g. the assistant is down)."""


def message_text(visit: CheckIn) -> str:
    """Phone numbers stay out of the message: the host only needs to know who is waiting."""
    when = time.strftime("%H:%M", time.localtime(visit.at))
    return (f"{visit.name} ({visit.organisation}) checked in at the Innovation Lab reception at "
            f"{when} to see {visit.host}.\n{visit.name}（{visit.organisation}）已於 {when} 在創新實驗室"
            f"接待處登記，探訪 {visit.host}。\n")


class ConsoleNotifier:
    def __init__(self, stream: Any = None) -> None:
        self.stream = stream or sys.stderr

    def notify(self, visit: CheckIn) -> None:
        print(f"[check-in] {message_text(visit).splitlines()[0]}", file=self.stream, flush=True)

    def alert(self, text: str) -> None:
        print(f"[reception] {text}", file=self.stream, flush=True)


@dataclass(frozen=True)
class SmtpNotifier:
    """`smtp://host:port`; `to` is the reception's (or the host's) mailbox."""

    url: str
    to: str
    sender: str = "robot@innovation-lab.invalid"
    timeout: float = 10.0

    def notify(self, visit: CheckIn) -> None:
        self._send(f"Visitor for {visit.host}: {visit.name} / 訪客到達", message_text(visit))

    def alert(self, text: str) -> None:
        self._send("Kiosk needs attention / 接待機需要處理", text + "\n")

    def _send(self, subject: str, body: str) -> None:
        target = urlparse(self.url)
        mail = EmailMessage()
        mail["From"], mail["To"] = self.sender, self.to
        mail["Subject"] = subject
        mail.set_content(body)
        try:
            with smtplib.SMTP(target.hostname or "127.0.0.1", target.port or 25,
                              timeout=self.timeout) as smtp:
                smtp.send_message(mail)
        except (OSError, smtplib.SMTPException) as exc:
            raise NotifyError(f"cannot tell {self.to} through {self.url}: {exc}") from exc


def notifier_for(smtp_url: str | None, to: str | None) -> Notifier:
    return SmtpNotifier(smtp_url, to) if smtp_url and to else ConsoleNotifier()
