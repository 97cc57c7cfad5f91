"""Enquiries in, from a folder of `.eml` files, a CSV or a JSON file; one Enquiry per item.

Nothing is dropped: an item that cannot be read (empty, too large, binary, malformed) still
becomes an Enquiry, with `status` saying why and `body` empty, so a person can look at it.
An e-mail past a bound (bytes, MIME parts, nesting, charsets; each a `SMARTLAB_TRIAGE_MAX_*`
setting) is quarantined with the bound in its reason, before its parts are decoded.
Readers are a table keyed by file suffix.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import parsedate_to_datetime
from pathlib import Path

from bots.enquiry_triage.language import detect
from bots.enquiry_triage.text import clean_body, looks_like_html
from rpa.errors import BusinessError
from rpa.settings import Setting

OK, EMPTY, TOO_LARGE, BINARY, MALFORMED = "ok", "empty", "too_large", "binary", "malformed"
QUARANTINED, REFUSED = "quarantined", "refused"
LIMITS = {  # setting -> (default, meaning)
    "SMARTLAB_TRIAGE_MAX_BYTES": (1_000_000, "largest enquiry file read (e-mail, CSV, JSON), bytes"),
    "SMARTLAB_TRIAGE_MAX_PARTS": (100, "MIME parts an e-mail may have"),
    "SMARTLAB_TRIAGE_MAX_DEPTH": (8, "nesting of multipart parts in an e-mail"),
    "SMARTLAB_TRIAGE_MAX_CHARSETS": (8, "different charsets an e-mail's parts may declare"),
}
SETTINGS = [Setting(name, meaning, str(default)) for name, (default, meaning) in LIMITS.items()]


def limit(name: str) -> int:
    """A bound from its setting; a value that is not a positive whole number is the default."""
    default = LIMITS[name][0]
    try:
        return max(1, int(os.environ.get(name) or default))
    except ValueError:
        return default


@dataclass(frozen=True)
class Enquiry:
    id: str
    source: str
    channel: str
    subject: str = ""
    body: str = ""
    sender: str = ""
    received: str = ""
    language: str = "en"
    attachments: list[str] = field(default_factory=list)
    status: str = OK
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.status == OK

    @property
    def text(self) -> str:
        """What the classifier reads: subject and body together."""
        return f"{self.subject}\n{self.body}".strip()

    def as_dict(self) -> dict:
        return asdict(self)


def _id(source: str, content: bytes | str) -> str:
    raw = content.encode() if isinstance(content, str) else content
    return hashlib.sha256(source.encode() + b"\0" + raw).hexdigest()[:16]


def finish(enquiry: Enquiry) -> Enquiry:
    """Language from the text; an ok item with no words left is `empty`."""
    if enquiry.ok and not enquiry.text:
        return replace(enquiry, status=EMPTY, reason="no text after cleaning")
    return replace(enquiry, language=detect(enquiry.text))


def rejected(path: Path, channel: str, status: str, reason: str) -> Enquiry:
    return Enquiry(_id(str(path), status), str(path), channel, status=status, reason=reason)


# --- e-mail -------------------------------------------------------------------------------


def read_eml(path: Path) -> list[Enquiry]:
    size, most = path.stat().st_size, limit("SMARTLAB_TRIAGE_MAX_BYTES")
    if size > most:
        return [rejected(path, "email", TOO_LARGE, f"{size} bytes > {most}")]
    data = path.read_bytes()
    problem = _unreadable(data)
    if problem:
        return [rejected(path, "email", *problem)]
    message = BytesParser(policy=policy.default).parsebytes(data)
    if not message.keys():
        return [rejected(path, "email", MALFORMED, "no e-mail headers")]
    breach = _past_bounds(message)
    if breach:
        return [rejected(path, "email", QUARANTINED, breach)]
    return [finish(_from_message(path, data, message))]


def _past_bounds(message: EmailMessage) -> str | None:
    """The first bound the message's structure passes, as a reason; None within all."""
    parts, depth, charsets = 0, 0, set()
    stack = [(message, 1)]
    while stack:  # iterative: a deeply nested message cannot exhaust the call stack
        part, level = stack.pop()
        parts, depth = parts + 1, max(depth, level)
        charsets.add(str(part.get_param("charset", "", header="content-type")).lower())
        found = _first_breach(parts, depth, len(charsets - {""}))
        if found:
            return found
        if part.is_multipart() and isinstance(part.get_payload(), list):
            stack.extend((p, level + 1) for p in part.get_payload())
    return None


def _first_breach(parts: int, depth: int, charsets: int) -> str | None:
    for name, value, what in (("SMARTLAB_TRIAGE_MAX_PARTS", parts, "MIME parts"),
                              ("SMARTLAB_TRIAGE_MAX_DEPTH", depth, "levels of nesting"),
                              ("SMARTLAB_TRIAGE_MAX_CHARSETS", charsets, "charsets")):
        if value > limit(name):
            return f"more than {limit(name)} {what} ({name})"
    return None


def _unreadable(data: bytes) -> tuple[str, str] | None:
    if not data.strip():
        return EMPTY, "file is empty"
    if b"\0" in data[:8192]:
        return BINARY, "file holds binary data, not an e-mail"
    return None


def _from_message(path: Path, data: bytes, message: EmailMessage) -> Enquiry:
    body, is_html = _body_of(message)
    return Enquiry(
        id=_id(str(path), data), source=str(path), channel="email",
        subject=_header(message, "subject"), body=clean_body(body, is_html),
        sender=_header(message, "from"), received=_date(message),
        attachments=[p.get_filename() or "unnamed" for p in message.iter_attachments()])


def _body_of(message: EmailMessage) -> tuple[str, bool]:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return "", False
    return _content(part), part.get_content_subtype() == "html"


def _content(part: EmailMessage) -> str:
    try:
        return part.get_content()
    except (LookupError, UnicodeError, AssertionError):  # unknown charset, bad bytes
        raw = part.get_payload(decode=True) or b""
        return raw.decode("utf-8", errors="replace")


def _header(message: EmailMessage, name: str) -> str:
    try:
        return str(message.get(name, "") or "").strip()
    except (ValueError, IndexError, TypeError):  # a header the parser cannot decode
        return ""


def _date(message: EmailMessage) -> str:
    try:
        return parsedate_to_datetime(_header(message, "date")).isoformat()
    except (TypeError, ValueError, IndexError):
        return ""


# --- tables -------------------------------------------------------------------------------

TEXT_KEYS = ("body", "text", "enquiry", "message", "content")
SUBJECT_KEYS = ("subject", "title")
SENDER_KEYS = ("sender", "from", "email")
DATE_KEYS = ("received", "date", "created")


def from_record(path: Path, channel: str, index: int, record: dict) -> Enquiry:
    body = str(_first(record, TEXT_KEYS))
    return finish(Enquiry(
        id=str(record.get("id") or _id(f"{path}#{index}", json.dumps(record, default=str))),
        source=f"{path}#{index}", channel=channel, subject=str(_first(record, SUBJECT_KEYS)),
        body=clean_body(body, looks_like_html(body)), sender=str(_first(record, SENDER_KEYS)),
        received=str(_first(record, DATE_KEYS)),
        attachments=list(record.get("attachments") or [])))


def _first(record: dict, keys: tuple[str, ...]) -> object:
    return next((record[k] for k in keys if record.get(k)), "")


def read_csv(path: Path) -> list[Enquiry]:
    problem = _file_problem(path, "csv")
    if problem:
        return [problem]
    text = path.read_text(encoding="utf-8-sig", errors="replace")
    rows = list(csv.DictReader(io.StringIO(text)))
    return [from_record(path, "csv", i, row) for i, row in enumerate(rows, start=1)]


def read_json(path: Path) -> list[Enquiry]:
    problem = _file_problem(path, "json")
    if problem:
        return [problem]
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (ValueError, UnicodeDecodeError) as exc:
        return [rejected(path, "json", MALFORMED, f"not JSON: {exc}")]
    records = data.get("enquiries", [data]) if isinstance(data, dict) else data
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        return [rejected(path, "json", MALFORMED, "expected a list of objects")]
    return [from_record(path, "json", i, r) for i, r in enumerate(records, start=1)]


def _file_problem(path: Path, channel: str) -> Enquiry | None:
    size, most = path.stat().st_size, limit("SMARTLAB_TRIAGE_MAX_BYTES")
    if size > most:
        return rejected(path, channel, TOO_LARGE, f"{size} bytes > {most}")
    problem = _unreadable(path.read_bytes())
    return rejected(path, channel, *problem) if problem else None


READERS: dict[str, Callable[[Path], list[Enquiry]]] = {
    ".eml": read_eml,
    ".csv": read_csv,
    ".json": read_json,
}


def read_enquiries(path: str | Path, allow: Callable[[Path], object] | None = None) -> list[Enquiry]:
    """Every enquiry in a file or a folder (its .eml, .csv and .json files, sorted by name).

    `allow` may refuse a file with a BusinessError (a link out of the run's file roots): that
    file becomes a `refused` enquiry with the reason, unread."""
    path = Path(path)
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix.lower() in READERS)
        return [e for f in files for e in _read_file(f, allow)]
    return _read_file(path, allow)


def _read_file(path: Path, allow: Callable[[Path], object] | None) -> list[Enquiry]:
    try:
        if allow is not None:
            allow(path)
    except BusinessError as exc:
        return [rejected(path, "file", REFUSED, str(exc))]
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        return [rejected(path, "file", MALFORMED, f"unknown kind of file: {path.suffix or 'none'}")]
    return reader(path)
