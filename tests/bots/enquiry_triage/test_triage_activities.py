"""The activities against a real Rasa server with the triage model, on the sample enquiries."""

import logging
import re

import pytest

import bots.enquiry_triage as triage
from bots.enquiry_triage import activities
from rpa.activities import Context
from rpa.activities.registry import package_activities
from rpa.errors import ApplicationError, BusinessError
from rpa.nlu import free_port

HKID = re.compile(r"[A-Z]{1,2}\d{6}\(?[0-9A]\)?")
PHONE = re.compile(r"(?<!\d)[2-9]\d{3}[\s-]?\d{4}(?!\d)")
YEARS = re.compile(r"(?:19|20)\d{2}-(?:19|20)\d{2}")  # a tax year, not a phone number

# what a careful officer would do with each sample (None: any band is acceptable)
EXPECTED = {
    "01-burst-main-en.eml": ("water_supplies", "urgent"),
    "02-signboard-zh.eml": ("buildings", "urgent"),
    "03-library-html.eml": ("leisure_cultural", "normal"),
    "04-tax-reply-en.eml": ("inland_revenue", "normal"),
    "05-noise-zh.eml": ("environmental_protection", "normal"),
    "07-pothole-en.eml": ("highways", "normal"),
    "09-hkid-lost-zh.eml": ("immigration", "normal"),
    "10-html-only-en.eml": ("food_environmental_hygiene", "normal"),
}
DOUBTFUL = "08-vague.eml"


@pytest.fixture
def ctx():
    return Context(run_id="r1", flow="enquiry_triage", state="classify", step=1,
                   log=logging.getLogger("smartlab.flow.test"))


def test_activities_are_registered_under_their_names():
    names = sorted(spec.name for spec in package_activities("bots.enquiry_triage"))
    assert names == ["nlu.parse", "triage.classify", "triage.correct", "triage.decide",
                     "triage.draft", "triage.enquiry", "triage.ingest", "triage.redact",
                     "triage.similar"]
    assert triage.__all__ == sorted(triage.__all__)


def test_ingest_activity_refuses_a_missing_path(ctx, tmp_path, monkeypatch):
    monkeypatch.setenv("SMARTLAB_FILE_ROOTS", str(tmp_path))  # inside a root, but not there
    with pytest.raises(BusinessError, match="no enquiries"):
        activities.ingest_(ctx, str(tmp_path / "none"))


def test_classify_with_rasa_down_is_an_application_error(ctx):
    enquiry = {"id": "E", "subject": "Pothole", "body": "big pothole"}
    with pytest.raises(ApplicationError):
        activities.classify(ctx, enquiry, f"http://127.0.0.1:{free_port()}")


def test_unreadable_enquiry_goes_to_manual_triage(ctx):
    record = activities.triage_one(ctx, {"id": "E", "status": "binary", "reason": "binary"})
    assert record["decision"]["band"] == "manual"
    assert "binary" in record["decision"]["reason"]


def test_correct_rejects_an_unknown_department(ctx, tmp_path):
    with pytest.raises(BusinessError, match="unknown department"):
        activities.correct(ctx, {"id": "E", "body": "x"}, "police", str(tmp_path / "c.csv"))


@pytest.mark.slow
def test_triage_routes_the_sample_inbox(ctx, rasa_url, samples):
    records = {}
    for enquiry in activities.ingest_(ctx, str(samples / "inbox")):
        record = activities.triage_one(ctx, enquiry, rasa_url,
                                       str(samples / "resolved_cases.json"))
        records[enquiry["source"].rsplit("/", 1)[-1]] = record
    for name, (intent, level) in EXPECTED.items():
        found = records[name]
        assert (found["classification"]["intent"], found["urgency"]) == (intent, level), name
        assert found["draft"]["language"] == records[name]["language"]
    # the auto band is calibrated for 99% precision, so a mixed water/traffic e-mail may be
    # only suggested; either way it goes to Water Supplies, never to another department
    burst = records["01-burst-main-en.eml"]["decision"]
    assert burst["department"] == "WSD" and burst["band"] in ("auto", "suggest")
    assert burst["queue"] == ("triage.wsd" if burst["band"] == "auto" else "triage.manual")
    assert records["01-burst-main-en.eml"]["similar"][0]["department"] == "WSD"
    assert records[DOUBTFUL]["decision"]["band"] != "auto"
    for name in ("11-empty.eml", "12-garbled.eml", "13-malformed.eml"):
        assert records[name]["decision"]["band"] == "manual"


def personal_data_in_samples(samples):
    """Every HKID and phone number written in the sample enquiries, as the citizens wrote them."""
    found = set()
    for source in ("inbox", "web_form.csv", "social_media.json"):
        for enquiry in triage.read_enquiries(samples / source):
            found |= {m.group() for p in (HKID, PHONE) for m in p.finditer(enquiry.text)}
    return {f for f in found if not YEARS.fullmatch(f)}


@pytest.mark.slow
def test_triage_keeps_sample_hkid_and_phone_out_of_logs_and_results(ctx, rasa_url, samples,
                                                                    caplog):
    secrets = personal_data_in_samples(samples)
    assert {"K123456(3)", "Z987654(1)", "A765432(1)", "9123 4567", "9345 6789"} <= secrets
    caplog.set_level(logging.DEBUG)
    results = []
    for source in ("inbox", "web_form.csv", "social_media.json"):
        for enquiry in activities.ingest_(ctx, str(samples / source)):
            results.append(activities.triage_one(ctx, enquiry, rasa_url,
                                                 str(samples / "resolved_cases.json")))
    kept = str([{k: v for k, v in r.items() if k != "draft"} for r in results])
    for secret in secrets:
        assert secret not in caplog.text
        assert secret not in kept
    assert "[HKID]" in kept and "[PHONE]" in kept


@pytest.mark.slow
def test_nlu_parse_activity_returns_entities(rasa_url):
    parsed = activities.parse("上星期喺九龍灣唔見咗張身份證", rasa_url)
    assert parsed["intent"] == "immigration"
    assert {e["entity"] for e in parsed["entities"]} == {"district", "date"}


@pytest.mark.slow
def test_cli_run_prints_routing_records_as_json(rasa_url, samples):
    import json

    from typer.testing import CliRunner

    from bots.enquiry_triage.cli import app

    result = CliRunner().invoke(app, ["run", str(samples / "web_form.csv"), "--url", rasa_url,
                                      "--cases", str(samples / "resolved_cases.json"), "--json"])
    assert result.exit_code == 0, result.output
    records = json.loads(result.output)
    assert [r["decision"]["queue"] for r in records][:2] == ["triage.td", "triage.hd"]
    assert records[5]["decision"]["band"] == "manual"  # dim sum: out of scope


def test_similar_cases_use_the_classifiers_embedding(ctx, rasa_url, samples):
    from bots.enquiry_triage.cases import load_index

    cases_file = str(samples / "resolved_cases.json")
    assert load_index(cases_file, rasa_url).dense
    found = activities.similar(ctx, "招牌生晒鏽，隨時跌落嚟打中途人", cases_file, url=rasa_url)
    assert found and found[0]["id"] == "C-2025-0202"
    assert all(m["score"] >= 0.85 for m in found)


@pytest.mark.slow
def test_routed_batches_give_the_records_of_one_at_a_time(ctx, rasa_url, samples):
    enquiries = [e for source in ("inbox", "web_form.csv")
                 for e in activities.ingested(ctx, str(samples / source))]
    cases = str(samples / "resolved_cases.json")
    batched = list(activities.routed(ctx, enquiries, rasa_url, cases, size=4))
    single = [activities.route(ctx, e, rasa_url, cases) for e in enquiries]
    assert [r["enquiry_id"] for r in batched] == [e["id"] for e in enquiries]
    for b, s in zip(batched, single, strict=True):
        assert (b["decision"]["band"], b["decision"]["queue"]) == (s["decision"]["band"],
                                                                  s["decision"]["queue"])
        assert [c["id"] for c in b["similar"]] == [c["id"] for c in s["similar"]]
        assert b["draft"] == s["draft"]


def test_routed_with_rasa_down_is_an_application_error(ctx):
    enquiries = [{"id": "E", "subject": "Pothole", "body": "big pothole"}]
    with pytest.raises(ApplicationError, match="cannot be reached"):
        list(activities.routed(ctx, enquiries, f"http://127.0.0.1:{free_port()}"))


def test_routed_routes_unreadable_enquiries_without_asking_rasa(ctx):
    enquiries = [{"id": "E", "status": "binary", "reason": "binary"}]
    records = list(activities.routed(ctx, enquiries, f"http://127.0.0.1:{free_port()}"))
    assert records[0]["decision"]["band"] == "manual"


def test_routed_parses_an_item_the_batch_refused_again_alone(ctx, monkeypatch):
    """Failure injection: the batch answers an error for one item; that item is parsed alone
    (and routed), the others keep their batched parse, nothing is dropped."""
    import httpx

    from bots.enquiry_triage import nlu_client

    seen = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.path)
        parse = {"intent": {"name": "highways", "confidence": 0.95}}
        if request.url.path == nlu_client.BATCH_PATH:
            return httpx.Response(200, json={"results": [parse, {"error": "item 1: broken"}]})
        return httpx.Response(200, json={"intent": {"name": "housing", "confidence": 0.9}})

    mock = httpx.Client(transport=httpx.MockTransport(answer))
    monkeypatch.setattr(nlu_client, "_client", lambda timeout: mock)
    enquiries = [{"id": "A", "body": "pothole on the road"}, {"id": "B", "body": "my flat"}]
    records = list(activities.routed(ctx, enquiries, "http://rasa.test"))
    assert [r["classification"]["intent"] for r in records] == ["highways", "housing"]
    assert seen == [nlu_client.BATCH_PATH, "/model/parse"]
