import json
import re

from bots.enquiry_triage.cases import load_index, record_correction
from bots.enquiry_triage.similar import Case, CaseIndex

HKID = re.compile(r"[A-Z]{1,2}\d{6}\(?[0-9A]\)?")
PHONE = re.compile(r"\b[2-9]\d{3}\s?\d{4}\b")


def test_search_finds_the_same_topic_in_both_languages():
    index = CaseIndex([Case("1", "屯門青山公路有水管爆咗", "WSD"),
                       Case("2", "Burst water main on Castle Peak Road", "WSD"),
                       Case("3", "圖書館開放時間太短", "LCSD")])
    assert index.search("青山公路水管爆咗")[0].case.id == "1"
    assert index.search("water main burst on the road")[0].case.id == "2"


def test_search_returns_at_most_k_scored_matches(samples):
    index = load_index(samples / "resolved_cases.json")
    matches = index.search("A rusty signboard on Nathan Road could fall on people", k=3)
    assert len(matches) == 3
    assert matches[0].case.id == "C-2025-0201"
    assert matches[0].score >= matches[1].score >= matches[2].score > 0
    assert index.search("彌敦道招牌生鏽好危險")[0].case.id == "C-2025-0202"


def test_index_holds_no_hkid_or_phone_from_the_samples(samples):
    index = load_index(samples / "resolved_cases.json")
    raw = json.loads((samples / "resolved_cases.json").read_text())
    assert any(HKID.search(c["text"]) for c in raw)
    held = " ".join(c.text + c.resolution for c in index.cases)
    assert not HKID.search(held) and not PHONE.search(held) and "@" not in held


def test_empty_index_finds_nothing():
    assert CaseIndex([]).search("anything") == []


def test_record_correction_appends_redacted_labelled_rows(tmp_path):
    path = tmp_path / "corrections.csv"
    record_correction(path, "E1", "漏水 call 9123 4567", "buildings", "water_supplies", "officer1")
    record_correction(path, "E2", "Pothole", "highways")
    lines = path.read_text().splitlines()
    assert lines[0] == "time,enquiry_id,text,label,previous,officer"
    assert lines[1].endswith(",E1,漏水 call [PHONE],buildings,water_supplies,officer1")
    assert len(lines) == 3


def test_index_without_embeddings_from_the_pipeline_uses_tfidf():
    index = CaseIndex([Case("1", "Burst water main on Castle Peak Road", "WSD")],
                      embed=lambda text: ())  # a pipeline that does not expose its embedding
    assert not index.dense
    assert index.search("water main burst")[0].case.id == "1"
