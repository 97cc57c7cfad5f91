"""Times and durations in plain words (rpa/web/console/humanize.py), with `now` given."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from rpa.settings import SettingError
from rpa.web.console import humanize
from rpa.web.console.i18n import word

NOW = 1_764_770_709.0  # 3 Dec 2025 14:05:09 UTC, 22:05:09 in Hong Kong
HK = ZoneInfo("Asia/Hong_Kong")


@pytest.mark.parametrize(("then", "en", "zh"), [
    (NOW - 2, "just now", "剛剛"),
    (NOW - 42, "42 s ago", "42 秒前"),
    (NOW - 180, "3 min ago", "3 分鐘前"),
    (NOW - 3 * 3600 - 59, "3 h ago", "3 小時前"),
    (NOW - 2 * 86400, "2 d ago", "2 日前"),
    (NOW + 600, "in 10 min", "10 分鐘後"),
])
def test_humanize_ago_says_how_long_ago_in_both_languages(then: float, en: str, zh: str) -> None:
    assert (humanize.ago(then, NOW, "en"), humanize.ago(then, NOW, "zh")) == (en, zh)


def test_humanize_ago_of_no_moment_is_blank() -> None:
    assert humanize.ago(None, NOW, "en") == ""


def test_humanize_span_uses_the_largest_unit_that_fits() -> None:
    assert [humanize.span(s, "en") for s in (0, 59, 61, 7300, 90000)] == ["0 s", "59 s", "1 min", "2 h", "1 d"]
    assert humanize.span(7300, "zh") == "2 小時"


def test_humanize_when_writes_the_date_in_the_viewers_language_and_zone() -> None:
    assert humanize.when(NOW, "en", HK) == "3 Dec 2025, 22:05:09"
    assert humanize.when(NOW, "zh", HK) == "2025年12月3日 22:05:09"
    assert humanize.when(NOW, "en", ZoneInfo("UTC")) == "3 Dec 2025, 14:05:09"


def test_humanize_when_of_a_moment_past_year_9999_writes_9999() -> None:
    assert humanize.when(1e12, "en", HK).startswith("31 Dec 9999")  # a flow's bogus due time


def test_humanize_midnight_and_hour_are_in_the_consoles_zone() -> None:
    assert humanize.midnight(NOW, HK) == NOW - (22 * 3600 + 5 * 60 + 9)
    assert humanize.hour(NOW, HK) == "22:00"


def test_humanize_zone_comes_from_the_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SMARTLAB_CONSOLE_TIMEZONE", "UTC")
    assert humanize.when(NOW, "en") == "3 Dec 2025, 14:05:09"
    monkeypatch.setenv("SMARTLAB_CONSOLE_TIMEZONE", "Mars/Olympus")
    with pytest.raises(SettingError, match="SMARTLAB_CONSOLE_TIMEZONE='Mars/Olympus' is not a time zone"):
        humanize.when(NOW, "en")


def test_plain_words_turn_store_keys_into_words() -> None:
    assert [word("st", k, "en") for k in ("in_progress", "business_exception", "success")] == [
        "In progress", "Not accepted (business rule)", "Succeeded"]
    assert word("st", "in_progress", "zh") == "處理中"
    assert word("st", "some_new_state", "en") == "Some new state"  # a key the table lacks: words, not raw
