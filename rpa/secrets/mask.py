"""Masking: every known secret value, in each of its encodings (URL, form, JSON, HTML,
base64), becomes `***` in text, JSON-like data and log records.

`known_secrets` is the process-wide masker: `resolve` adds every value it hands out.
`install_log_masking()`, called once at start-up, masks every record of every logger
(SmartLab's, httpx's, uvicorn's, Playwright's) as it is made, whichever handler or
formatter writes it later, for values resolved before or after.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from typing import Any

from rpa.secrets.encodings import spellings

MASK = "***"


class Masker:
    """Replaces secret values, longest first so a value containing another goes whole."""

    def __init__(self, values: Iterable[str] = ()) -> None:
        self._lock = threading.Lock()
        self.values: tuple[str, ...] = ()
        self.add(*values)

    def add(self, *values: str) -> None:
        with self._lock:
            merged = set(self.values).union(*(spellings(v) for v in values if v))
            self.values = tuple(sorted(merged, key=len, reverse=True))

    def text(self, text: str) -> str:
        for value in self.values:
            text = text.replace(value, MASK)
        return text

    def __call__(self, value: Any) -> Any:
        """A copy of `value` (str, dict, list, tuple, nested) with every secret masked."""
        for kind, walk in _WALKERS:
            if isinstance(value, kind):
                return walk(self, value)
        return value


def _mask_dict(masker: Masker, value: dict[Any, Any]) -> dict[Any, Any]:
    return {masker(k): masker(v) for k, v in value.items()}


def _mask_seq(masker: Masker, value: list[Any] | tuple[Any, ...]) -> list[Any] | tuple[Any, ...]:
    return type(value)(masker(v) for v in value)


_WALKERS: tuple[tuple[type | tuple[type, ...], Callable[[Masker, Any], Any]], ...] = (
    (str, Masker.text),
    (dict, _mask_dict),
    ((list, tuple), _mask_seq),
)

known_secrets = Masker()
_FORMATTER = logging.Formatter()


class SecretFilter(logging.Filter):
    """Masks a record's message, exception text and stack; never drops a record."""

    def __init__(self, masker: Masker = known_secrets) -> None:
        super().__init__()
        self.masker = masker

    def filter(self, record: logging.LogRecord) -> bool:
        mask_record(record, self.masker)
        return True


def mask_record(record: logging.LogRecord, masker: Masker = known_secrets) -> None:
    """Mask `record` in place. Arguments are masked one by one and keep their shape, since
    some formatters (uvicorn's access log) unpack them; objects (an httpx URL) that print a
    secret become their masked text."""
    if not masker.values:
        return
    if not _formats(record):
        record.msg, record.args = masker.text(f"{record.msg} {record.args!r}"), None
    elif record.args:
        record.args = _mask_args(masker, record.args)
    record.msg = masker.text(record.msg) if isinstance(record.msg, str) else masker.text(str(record.msg))
    if record.exc_info and not record.exc_text:
        record.exc_text = _FORMATTER.formatException(record.exc_info)
    record.exc_text = record.exc_text and masker.text(record.exc_text)
    record.stack_info = record.stack_info and masker.text(record.stack_info)


def _formats(record: logging.LogRecord) -> bool:
    try:
        record.getMessage()
    except Exception:  # a broken call: logging would print the raw args instead
        return False
    return True


def _mask_args(masker: Masker, args: Any) -> Any:
    if isinstance(args, dict):
        return {k: _mask_arg(masker, v) for k, v in args.items()}
    return tuple(_mask_arg(masker, a) for a in args)


def _mask_arg(masker: Masker, arg: Any) -> Any:
    if isinstance(arg, (str, dict, list, tuple)):
        return masker(arg)
    if arg is None or isinstance(arg, (int, float)):
        return arg
    text = str(arg)
    masked = masker.text(text)
    return arg if masked == text else masked


class _MaskingFactory:
    """The log record factory: every record of every logger is masked as it is made."""

    def __init__(self, inner: Callable[..., logging.LogRecord], masker: Masker) -> None:
        self.inner, self.masker = inner, masker

    def __call__(self, *args: Any, **kwargs: Any) -> logging.LogRecord:
        record = self.inner(*args, **kwargs)
        mask_record(record, self.masker)
        return record


def install_log_masking(handlers: Iterable[logging.Handler] | None = None,
                        masker: Masker = known_secrets) -> None:
    """Mask every record made from now on (once per process), and add a SecretFilter to
    `handlers` (default: the root logger's), once each, for records made elsewhere."""
    if not isinstance(logging.getLogRecordFactory(), _MaskingFactory):
        logging.setLogRecordFactory(_MaskingFactory(logging.getLogRecordFactory(), masker))
    for handler in logging.getLogger().handlers if handlers is None else handlers:
        if not any(isinstance(f, SecretFilter) for f in handler.filters):
            handler.addFilter(SecretFilter(masker))
