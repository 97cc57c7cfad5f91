import pytest

from bots.enquiry_triage.departments import DEPARTMENTS
from bots.enquiry_triage.drafts import draft, reference_for


def test_draft_in_english_fills_every_placeholder():
    found = draft("water_supplies", "en", "E1", "Burst main", "2026-03-02T07:41:00+08:00")
    assert found.reference.startswith("ENQ-20260302-")
    assert "Water Supplies Department" in found.body
    assert "5 working days" in found.body and found.reference in found.body
    assert "{" not in found.body
    assert found.subject == "Re: Burst main"


def test_draft_in_chinese_uses_chinese_names():
    found = draft("buildings", "zh", "E2", "招牌")
    assert "屋宇署" in found.body and "10個工作天" in found.body
    assert found.subject == "回覆: 招牌"


def test_draft_without_department_points_to_1823():
    assert "1823" in draft("out_of_scope", "en", "E3").body


@pytest.mark.parametrize("intent", sorted(DEPARTMENTS))
@pytest.mark.parametrize("language", ["en", "zh"])
def test_every_department_has_a_template_in_both_languages(intent, language):
    assert DEPARTMENTS[intent].name(language) in draft(intent, language, "E").body


def test_reference_is_stable_for_one_enquiry():
    assert reference_for("E1", "2026-03-02") == reference_for("E1", "2026-03-02")
    assert reference_for("E1") != reference_for("E2")
