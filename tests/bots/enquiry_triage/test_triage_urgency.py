import pytest

from bots.enquiry_triage.urgency import assess, level_of


@pytest.mark.parametrize(("text", "intent", "level"), [
    ("How do I renew my library card?", "leisure_cultural", "normal"),
    ("Please reply as soon as possible", "inland_revenue", "elevated"),
    ("The signboard is dangerous", "leisure_cultural", "high"),
    ("The signboard is dangerous, please come urgently", "buildings", "urgent"),
    ("水管爆咗，好危險！", "water_supplies", "urgent"),
    ("樓上漏水", "housing", "high"),
    ("唔該盡快處理", "transport", "elevated"),
    ("I want to buy frozen meat 急凍肉", "food_environmental_hygiene", "normal"),
    ("Water leaking from the fire hydrant", "water_supplies", "normal"),
])
def test_assess_weighs_safety_and_time_words(text, intent, level):
    assert assess(text, intent).level == level


def test_assess_lists_the_words_it_found():
    found = assess("DANGER! urgent, danger", "highways")
    assert found.words == ("danger", "urgent")


@pytest.mark.parametrize(("score", "level"), [(0, "normal"), (1, "elevated"), (3, "high"),
                                              (5, "high"), (6, "urgent"), (20, "urgent")])
def test_level_of_maps_scores_to_levels(score, level):
    assert level_of(score) == level
