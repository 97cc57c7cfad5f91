import pytest

from bots.enquiry_triage.bands import AUTO, MANUAL, SUGGEST, Policy, Thresholds, decide


@pytest.mark.parametrize(("intent", "confidence", "fell_back", "band", "queue"), [
    ("highways", 0.95, False, AUTO, "triage.hyd"),
    ("highways", 0.80, False, AUTO, "triage.hyd"),
    ("highways", 0.79, False, SUGGEST, "triage.manual"),
    ("highways", 0.50, False, SUGGEST, "triage.manual"),
    ("highways", 0.49, False, MANUAL, "triage.manual"),
    ("highways", 0.95, True, SUGGEST, "triage.manual"),
    ("social_welfare", 0.85, False, SUGGEST, "triage.manual"),
    ("social_welfare", 0.92, False, AUTO, "triage.swd"),
    ("out_of_scope", 0.99, False, MANUAL, "triage.manual"),
    ("", 0.0, True, MANUAL, "triage.manual"),
])
def test_decide_puts_confidence_in_bands(intent, confidence, fell_back, band, queue):
    decision = decide(intent, confidence, fell_back)
    assert (decision.band, decision.queue) == (band, queue)


def test_policy_from_mapping_sets_thresholds_per_department():
    policy = Policy.from_mapping({"default": {"auto": 0.7, "suggest": 0.4},
                                  "WSD": {"auto": 0.95}, "lands": {"suggest": 0.6}})
    assert policy.for_intent("water_supplies") == Thresholds(0.95, 0.4)
    assert policy.for_intent("lands") == Thresholds(0.7, 0.6)
    assert policy.for_intent("housing") == Thresholds(0.7, 0.4)
    assert decide("housing", 0.72, policy=policy).band == AUTO


def test_thresholds_refuse_a_suggest_above_auto():
    with pytest.raises(ValueError, match="suggest <= auto"):
        Thresholds(auto=0.5, suggest=0.8)


def test_decision_says_why():
    assert decide("lands", 0.6).reason == "confidence 0.60 between 0.50 and 0.80"
