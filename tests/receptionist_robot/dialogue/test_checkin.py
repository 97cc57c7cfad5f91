from __future__ import annotations

import pytest

from receptionist_robot.checkin import (
    CheckIns,
    NotifyError,
    SmtpNotifier,
    check_in_of,
    optional,
    phone_number,
)


@pytest.mark.parametrize(("raw", "expected"), [
    ("9123 4567", "91234567"), ("+852 2123-4567", "21234567"), ("skip", None), ("跳過", None),
    ("None", None), ("12345", None), ("1234 5678", None), ("", None),
])
def test_phone_number_keeps_only_hong_kong_numbers(raw: str, expected: str | None) -> None:
    assert phone_number(raw) == expected


@pytest.mark.parametrize(("raw", "expected"), [(" 陳大文 ", "陳大文"), ("None", None), ("唔使", None)])
def test_optional_treats_skips_as_missing(raw: str, expected: str | None) -> None:
    assert optional(raw) == expected


def test_checkins_store_round_trip(db_url: str) -> None:
    store = CheckIns(db_url)
    visit = check_in_of({"name": "陳大文", "organisation": "數碼港", "host": "李小姐", "phone": "None"}, "zh-HK")
    store.add(visit)
    [back] = CheckIns(db_url).all()
    assert (back.name, back.organisation, back.host, back.phone, back.lang) == (
        "陳大文", "數碼港", "李小姐", None, "zh-HK")


def test_smtp_notifier_sends_without_the_phone(smtp) -> None:  # type: ignore[no-untyped-def]
    url, inbox = smtp
    visit = check_in_of({"name": "Alice", "organisation": "ACME", "host": "Mr Wong", "phone": "91234567"}, "en")
    SmtpNotifier(url, "reception@lab.invalid").notify(visit)
    [mail], [body] = inbox.mails, inbox.bodies()
    assert mail.rcpt_tos == ["reception@lab.invalid"] and "Alice" in body and "91234567" not in body


def test_smtp_notifier_unreachable_is_a_notify_error() -> None:
    from tests.receptionist_robot.dialogue.conftest import _free_port
    visit = check_in_of({"name": "A"}, "en")
    with pytest.raises(NotifyError):
        SmtpNotifier(f"smtp://127.0.0.1:{_free_port()}", "x@lab.invalid", timeout=2).notify(visit)
