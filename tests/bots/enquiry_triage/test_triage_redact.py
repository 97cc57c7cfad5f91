import pytest

from bots.enquiry_triage.redact import for_model, redact, redact_text


@pytest.mark.parametrize(("text", "redacted"), [
    ("My HKID is A123456(7).", "My HKID is [HKID]."),
    ("身份證號碼係 K123456(3)，", "身份證號碼係 [HKID]，"),
    ("id AB987654A here", "id [HKID] here"),
    ("ID: z987654(1)", "ID: [HKID]"),
    ("call 9123 4567 now", "call [PHONE] now"),
    ("電話 +852 9876 5432。", "電話 [PHONE]。"),
    ("tel (852) 2345-6789", "tel [PHONE]"),
    ("大陸手機 13812345678", "大陸手機 [PHONE]"),
    ("mail tm.chan@mail.example please", "mail [EMAIL] please"),
    ("Flat 12B, 23/F, Block 2", "[ADDRESS], Block 2"),
    ("地址係荃灣沙咀道 12樓B室。", "地址係荃灣沙咀道 [ADDRESS]。"),
    ("住第3座", "住[ADDRESS]"),
])
def test_redact_replaces_personal_data(text, redacted):
    assert redact_text(text) == redacted


@pytest.mark.parametrize("text", [
    "my tax return for 2025-2026",
    "route 2X bus at 7:45",
    "bus 43X every 15 minutes",
    "on 20 April",
    "reference C-2025-0101",
])
def test_redact_leaves_ordinary_numbers_alone(text):
    assert redact_text(text) == text


def test_redact_counts_what_it_found():
    found = redact("A123456(7) 9123 4567 6123 8888 a@b.com").found
    assert found == {"HKID": 1, "PHONE": 2, "EMAIL": 1}


@pytest.mark.parametrize(("text", "sent"), [
    ("Pothole. Call me on 9123 4567.", "Pothole. Call me on."),
    ("漏水，電話 6123 8888，身份證 K123456(3)", "漏水，電話，身份證"),
])
def test_for_model_sends_no_personal_data_and_no_placeholders(text, sent):
    assert for_model(text) == sent
