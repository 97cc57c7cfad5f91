import pytest

from rpa.nlu import RasaHttp, ServerError, free_port
from rpa.nlu.client import Prediction, prediction_of


@pytest.mark.parametrize(("parsed", "expected"), [
    ({"intent": {"name": "housing", "confidence": 0.9},
      "intent_ranking": [{"name": "housing", "confidence": 0.9},
                         {"name": "lands", "confidence": 0.1}]},
     Prediction("housing", 0.9, False, (("housing", 0.9), ("lands", 0.1)))),
    ({"intent": {"name": "nlu_fallback", "confidence": 0.35},
      "intent_ranking": [{"name": "nlu_fallback", "confidence": 0.35},
                         {"name": "lands", "confidence": 0.3}]},
     Prediction("lands", 0.3, True, (("lands", 0.3),))),
    ({"intent": {"name": "housing", "confidence": 0.8}}, Prediction("housing", 0.8, False)),
    ({}, Prediction("", 0.0, False)),
])
def test_prediction_of_skips_the_fallback(parsed, expected):
    assert prediction_of(parsed) == expected


def test_client_reports_a_server_that_is_down():
    client = RasaHttp(f"http://127.0.0.1:{free_port()}", timeout=2)
    with pytest.raises(ServerError, match="/model/parse"):
        client.parse("hello")
