import httpx
import pytest

from bots.enquiry_triage.nlu_client import BATCH_PATH, Entity, NluClient, batch_size, parse_of
from rpa.errors import ApplicationError, BusinessError
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


BATCH_TEXTS = [  # a marker keeps them new to the shared server (its embedder caches texts)
    "batch test: I lost my identity card, how do I get a new one?",
    "batch test: 屋企冇水，街口條水管爆咗，好大水",
    "batch test: The streetlight outside 12 Tai Po Road 壞咗 since Monday",
    "batch test: 想問今年幾時交稅",
    "batch test: what is the weather like on Mars",
]


@pytest.mark.slow
def test_client_batch_parses_as_one_at_a_time(rasa_url):
    client = NluClient(rasa_url)
    batched = client.parse_many(BATCH_TEXTS)  # first, so the server computes them in one batch
    single = [client.parse(text) for text in BATCH_TEXTS]
    assert [b.intent for b in batched] == [s.intent for s in single]
    assert [b.confidence for b in batched] == pytest.approx([s.confidence for s in single],
                                                            abs=1e-6)
    assert [b.entities for b in batched] == [s.entities for s in single]
    assert len(batched[0].embedding) == 384
    assert batched[0].embedding == pytest.approx(single[0].embedding, abs=1e-4)


@pytest.mark.slow
def test_client_batch_with_a_bad_item_answers_the_rest(rasa_url):
    texts = ["batch bad item: 水管爆咗", 12, "batch bad item: my tax return is late"]
    results = NluClient(rasa_url).parse_many(texts)
    assert isinstance(results[1], BusinessError)
    assert "item 1: text must be a string, got int" in str(results[1])
    assert [r.intent for r in (results[0], results[2])] == ["water_supplies", "inland_revenue"]


@pytest.mark.slow
def test_client_batch_that_is_not_a_list_is_a_business_error(rasa_url):
    client = NluClient(rasa_url)
    with pytest.raises(BusinessError, match="HTTP 400"):
        client._post(BATCH_PATH, {"texts": "not a list"})


def test_client_batch_falls_back_to_single_parses_on_a_server_without_the_route(monkeypatch):
    seen = []

    def answer(request: httpx.Request) -> httpx.Response:  # an older server: no batch route
        seen.append(request.url.path)
        if request.url.path == BATCH_PATH:
            return httpx.Response(404, json={"error": "not found"})
        return httpx.Response(200, json={"intent": {"name": "housing", "confidence": 0.9}})

    client = NluClient("http://rasa.test")
    monkeypatch.setattr(client, "_http", httpx.Client(transport=httpx.MockTransport(answer)))
    assert [p.intent for p in client.parse_many(["a", "b"])] == ["housing", "housing"]
    assert seen == [BATCH_PATH, "/model/parse", "/model/parse"]


def test_client_batch_answer_of_the_wrong_length_is_an_application_error(monkeypatch):
    client = NluClient("http://rasa.test")
    reply = httpx.MockTransport(lambda request: httpx.Response(200, json={"results": []}))
    monkeypatch.setattr(client, "_http", httpx.Client(transport=reply))
    with pytest.raises(ApplicationError, match="one result per text"):
        client.parse_many(["a"])


@pytest.mark.parametrize(("raw", "size"), [(None, 16), ("32", 32), ("0", 1)])
def test_batch_size_comes_from_the_setting(monkeypatch, raw, size):
    if raw is None:
        monkeypatch.delenv("SMARTLAB_TRIAGE_BATCH", raising=False)
    else:
        monkeypatch.setenv("SMARTLAB_TRIAGE_BATCH", raw)
    assert batch_size() == size


def test_batch_size_that_is_not_a_number_is_a_business_error(monkeypatch):
    monkeypatch.setenv("SMARTLAB_TRIAGE_BATCH", "many")
    with pytest.raises(BusinessError, match="SMARTLAB_TRIAGE_BATCH must be a whole number"):
        batch_size()
