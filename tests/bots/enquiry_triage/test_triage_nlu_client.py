import pytest

from bots.enquiry_triage.nlu_client import Entity, NluClient, parse_of
from rpa.errors import ApplicationError
from rpa.nlu import free_port

BODY = {
    "text": "x",
    "intent": {"name": "nlu_fallback", "confidence": 0.35},
    "intent_ranking": [{"name": "nlu_fallback", "confidence": 0.35},
                       {"name": "lands", "confidence": 0.33},
                       {"name": "housing", "confidence": 0.3}],
    "entities": [{"entity": "district", "value": "沙田", "start": 0, "end": 2,
                  "extractor": "RegexEntityExtractor"}],
}


@pytest.mark.parametrize(("body", "intent", "confidence", "fell_back"), [
    (BODY, "lands", 0.33, True),
    ({"intent": {"name": "housing", "confidence": 0.9}}, "housing", 0.9, False),
    ({"intent": {"name": "housing", "confidence": 0.9},
      "intent_ranking": [{"name": "housing", "confidence": 0.9}]}, "housing", 0.9, False),
    ({"intent": None}, "", 0.0, False),
])
def test_parse_of_reads_rasa_parse_answers(body, intent, confidence, fell_back):
    parsed = parse_of("x", body)
    assert (parsed.intent, parsed.confidence, parsed.fell_back) == (intent, confidence, fell_back)


def test_parse_of_keeps_entities_and_ranking_without_fallback():
    parsed = parse_of("x", BODY)
    assert parsed.entities == [Entity("district", "沙田", 0, 2)]
    assert [name for name, _ in parsed.ranking] == ["lands", "housing"]


def test_parse_of_refuses_an_answer_without_intent():
    with pytest.raises(ApplicationError, match="no intent"):
        parse_of("x", {"error": "boom"})


def test_client_turns_a_server_that_is_down_into_a_retryable_error():
    client = NluClient(f"http://127.0.0.1:{free_port()}", timeout=2)
    with pytest.raises(ApplicationError, match="cannot be reached") as caught:
        client.parse("水管爆咗")
    assert caught.value.retryable
    assert caught.value.__cause__ is not None


@pytest.mark.slow
def test_client_parses_through_the_real_server(rasa_url):
    parsed = NluClient(rasa_url).parse("I lost my identity card, how do I get a new one?")
    assert parsed.intent == "immigration"
    assert parsed.confidence > 0.5


def test_nlu_client_reuses_one_connection_pool_per_process():
    first, second = NluClient("http://127.0.0.1:1"), NluClient("http://127.0.0.1:2")
    assert first._http is second._http
    assert NluClient("http://127.0.0.1:1", timeout=3.0)._http is not first._http
