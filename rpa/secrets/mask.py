"""Masking: every known secret value becomes `***` in text, JSON-like data and log records.

`known_secrets` is the process-wide masker: `resolve` adds every value it hands out, so a
`SecretFilter` installed once at start-up masks values resolved later by any run.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from typing import Any

MASK = "***"


class Masker:
    """Replaces secret values, longest first so a value containing another goes whole."""

    def __init__(self, values: Iterable[str] = ()) -> None:
        self._lock = threading.Lock()
        self.values: tuple[str, ...] = ()
        self.add(*values)

    def add(self, *values: str) -> None:
        with self._lock:
            merged = set(self.values) | {v for v in values if v}
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
        if self.masker.values:
            record.msg, record.args = self.masker.text(_message(record)), None
            if record.exc_info and not record.exc_text:
                record.exc_text = _FORMATTER.formatException(record.exc_info)
            record.exc_text = record.exc_text and self.masker.text(record.exc_text)
            record.stack_info = record.stack_info and self.masker.text(record.stack_info)
        return True


def _message(record: logging.LogRecord) -> str:
    try:
        return record.getMessage()
    except Exception:  # a filter must not raise; logging would print the raw args instead
        return f"{record.msg} {record.args!r}"


def install_log_masking(handlers: Iterable[logging.Handler] | None = None,
                        masker: Masker = known_secrets) -> None:
    """Add a SecretFilter to `handlers` (default: the root logger's), once each."""
    for handler in logging.getLogger().handlers if handlers is None else handlers:
        if not any(isinstance(f, SecretFilter) for f in handler.filters):
            handler.addFilter(SecretFilter(masker))
