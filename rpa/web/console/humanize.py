"""Times and durations as staff read them: "3 min ago" / "3 分鐘前", dates in the viewer's
language and the console's time zone (`SMARTLAB_CONSOLE_TIMEZONE`).

Pure functions: `now` is always given (the page passes the request's clock), so tests
assert exact words.
"""

from __future__ import annotations

import contextlib
import json
from datetime import datetime, tzinfo
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from rpa import settings
from rpa.settings import SettingError
from rpa.web.console.i18n import translate

# (seconds in the unit, label suffix): the largest unit that fits is the one said
UNITS: tuple[tuple[int, str], ...] = ((86400, "d"), (3600, "h"), (60, "min"), (1, "s"))
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# language -> how a date and time is written
DATE_FORMATS = {
    "en": lambda d: f"{d.day} {MONTHS[d.month - 1]} {d.year}, {d:%H:%M:%S}",
    "zh": lambda d: f"{d.year}年{d.month}月{d.day}日 {d:%H:%M:%S}",
}
JUST_NOW = 5  # seconds that read as "just now"
# the moments a date can be written for: a due time a flow set to year 30000 reads as 9999
EARLIEST, LATEST = 0.0, 253402214400.0  # 1970-01-01, 9999-12-31 UTC


def _unit(seconds: float) -> tuple[int, str]:
    whole = int(abs(seconds))
    size, unit = next((size, unit) for size, unit in UNITS if whole >= size or size == 1)
    return whole // size, unit


def span(seconds: float, lang: str) -> str:
    """A duration: "3 min", "2 h", "3 分鐘"."""
    n, unit = _unit(seconds)
    return translate(f"for_{unit}", lang, n=n)


def ago(epoch: float | None, now: float, lang: str) -> str:
    """A moment relative to now: "3 min ago", "in 2 h", "剛剛"; "" for no moment."""
    if not epoch:
        return ""
    delta = now - epoch
    if abs(delta) < JUST_NOW:
        return translate("ago_now", lang)
    n, unit = _unit(delta)
    return translate(f"{'ago' if delta > 0 else 'in'}_{unit}", lang, n=n)


@cache
def _zone(name: str) -> tzinfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise SettingError(f"SMARTLAB_CONSOLE_TIMEZONE={name!r} is not a time zone (e.g. Asia/Hong_Kong)") from exc


def zone() -> tzinfo:
    """The console's time zone, from `SMARTLAB_CONSOLE_TIMEZONE`."""
    return _zone(settings.text("SMARTLAB_CONSOLE_TIMEZONE"))


def local(epoch: float, where: tzinfo | None = None) -> datetime:
    return datetime.fromtimestamp(min(max(epoch, EARLIEST), LATEST), where or zone())


def when(epoch: float | str | None, lang: str, where: tzinfo | None = None) -> str:
    """A date and time in the viewer's language: "3 Dec 2026, 14:05:09", "2026年12月3日 14:05:09"."""
    epoch = moment(epoch)
    if not epoch:
        return ""
    return DATE_FORMATS.get(lang, DATE_FORMATS["en"])(local(epoch, where))


def hour(epoch: float, where: tzinfo | None = None) -> str:
    """The clock hour a chart's bar starts at: "14:00"."""
    return f"{local(epoch, where):%H}:00"


def midnight(now: float, where: tzinfo | None = None) -> float:
    """The start of today in the console's time zone, as epoch seconds."""
    today = local(now, where)
    return today.replace(hour=0, minute=0, second=0, microsecond=0).timestamp()


def _iso(value: str) -> float | None:
    try:
        return datetime.fromisoformat(value).timestamp()
    except ValueError:
        return None


def moment(value: float | str | None) -> float | None:
    """Epoch seconds from a stored time: a number, or ISO text (the audit log's)."""
    return _iso(value) if isinstance(value, str) else value


WORDS_LIMIT = 300  # characters of a value shown in words; the rest is behind "details for support"


def _words(value: object, lang: str) -> str:
    if isinstance(value, dict):
        return " · ".join(f"{k}: {_nested(v, lang)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return ", ".join(_nested(v, lang) for v in value)
    if isinstance(value, bool):
        return translate("yes" if value else "no", lang)
    return "—" if value is None else str(value)


def _nested(value: object, lang: str) -> str:
    shown = _words(value, lang)
    return f"({shown})" if isinstance(value, dict | list | tuple) and value else shown


def words(value: object, lang: str) -> str:
    """Data as a person reads it, without JSON's braces and quotes: "queue: forms · of: 3"."""
    if isinstance(value, str) and value[:1] in "{[":
        with contextlib.suppress(ValueError):  # text that only looks like JSON stays text
            value = json.loads(value)
    shown = _words(value, lang)
    return shown if len(shown) <= WORDS_LIMIT else shown[: WORDS_LIMIT - 1] + "…"
