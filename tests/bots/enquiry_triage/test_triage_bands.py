import json

import pytest

from bots.enquiry_triage.bands import (
    AUTO,
    MANUAL,
    SUGGEST,
    Policy,
    Thresholds,
    calibrated,
    decide,
    default_policy,
)

FIXED = Policy(Thresholds(0.80, 0.50, 0.30), {"social_welfare": Thresholds(0.90, 0.50, 0.30)})


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
    ("highways", 0.29, False, MANUAL, "triage.manual"),
])
def test_decide_puts_confidence_in_bands(intent, confidence, fell_back, band, queue):
    decision = decide(intent, confidence, fell_back, FIXED)
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
    assert decide("lands", 0.6, policy=FIXED).reason == "confidence 0.60 between 0.50 and 0.80"


def test_decide_sends_out_of_scope_to_manual_with_the_reason():
    assert decide("out_of_scope", 0.99, policy=FIXED).reason == "out of scope"
    low = decide("lands", 0.2, policy=FIXED)
    assert (low.band, low.reason) == (MANUAL, "out of scope (confidence 0.20 < 0.30)")


def test_calibrated_reads_thresholds_from_the_file(tmp_path):
    path = tmp_path / "calibration.json"
    path.write_text(json.dumps({"target_precision": 0.99, "auto": 0.74, "suggest": 0.4,
                                "out_of_scope": 0.3}))
    assert calibrated(path) == Thresholds(0.74, 0.4, 0.3)
    assert calibrated(tmp_path / "missing.json") == Thresholds()


def test_default_policy_keeps_sensitive_departments_stricter(tmp_path, monkeypatch):
    path = tmp_path / "calibration.json"
    path.write_text(json.dumps({"auto": 0.95, "suggest": 0.4, "out_of_scope": 0.3}))
    monkeypatch.setenv("SMARTLAB_TRIAGE_CALIBRATION", str(path))
    policy = default_policy()
    assert policy.for_intent("housing").auto == 0.95
    assert policy.for_intent("social_welfare").auto == 0.95
    assert policy.for_intent("immigration").suggest == 0.4
