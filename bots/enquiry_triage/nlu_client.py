"""The only module that knows the shape of Rasa's `/model/parse`, and the one place httpx
errors become SmartLab errors for the triage bot.

    timeout, connection refused, HTTP 5xx / 408 / 429  ->  ApplicationError (retry)
    a body that is not the parse JSON                  ->  ApplicationError
    other HTTP 4xx (our request is wrong)              ->  BusinessError

`parse_many` sends texts in batches to smartlab_nlu's batch route (one graph run per batch,
nlu/smartlab_nlu/batch.py); an item the server could not parse comes back as a BusinessError
in its place, the others as parses. A server without the route (404) is asked one at a time.
"""

from __future__ import annotations

import os
import threading
from dataclasses import asdict, dataclass, field

import httpx

from bots.enquiry_triage.ingest import SETTINGS as INGEST_SETTINGS
from rpa.errors import ApplicationError, BusinessError
from rpa.settings import Setting

DEFAULT_URL = "http://127.0.0.1:5005"
URL_ENV = "SMARTLAB_TRIAGE_NLU_URL"
BATCH_ENV = "SMARTLAB_TRIAGE_BATCH"
DEFAULT_BATCH = 16
BATCH_PATH = "/webhooks/smartlab/parse"
SETTINGS = [
    Setting(URL_ENV, "Rasa server classifying enquiries (smartlab nlu serve triage)", DEFAULT_URL),
    Setting(BATCH_ENV, "enquiries sent to Rasa in one batch parse (1: one at a time)",
            str(DEFAULT_BATCH)),
    Setting("SMARTLAB_TRIAGE_CALIBRATION", "triage thresholds chosen on held-out data (JSON)",
            "bots/enquiry_triage/calibration.json"),
    *INGEST_SETTINGS,  # the bot's settings are listed here, where its entry point looks
]
FALLBACK = "nlu_fallback"
EMBEDDING = "text_embedding"  # smartlab_nlu.SentenceEmbeddingFeaturizer with `expose: true`
_RETRYABLE = {408, 425, 429}


def default_url() -> str:
    return os.environ.get(URL_ENV, DEFAULT_URL)


def batch_size() -> int:
    """`SMARTLAB_TRIAGE_BATCH` (at least 1); a value that is not a number is a BusinessError."""
    raw = os.environ.get(BATCH_ENV) or str(DEFAULT_BATCH)
    try:
        return max(1, int(raw))
    except ValueError as exc:
        raise BusinessError(f"{BATCH_ENV} must be a whole number, got {raw!r}") from exc


@dataclass(frozen=True)
class Entity:
    entity: str
    value: str
    start: int
    end: int


@dataclass(frozen=True)
class Parse:
    """Rasa's answer in our terms: the best real intent (never the fallback), and whether Rasa
    fell back (low confidence or two intents too close)."""

    text: str
    intent: str
    confidence: float
    fell_back: bool
    ranking: list[tuple[str, float]] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    embedding: tuple[float, ...] = ()  # the pipeline's sentence embedding, when it exposes it

    def as_dict(self) -> dict:
        """The parse as data for a run's record; the embedding stays out (384 numbers)."""
        data = asdict(self)
        data.pop("embedding")
        data["ranking"] = [{"intent": i, "confidence": c} for i, c in self.ranking]
        return data


_CLIENTS: dict[float, httpx.Client] = {}
_CLIENTS_LOCK = threading.Lock()


def _client(timeout: float) -> httpx.Client:
    """One long-lived client (connection pool) per timeout for the process: no per-call setup."""
    with _CLIENTS_LOCK:
        if timeout not in _CLIENTS:
            _CLIENTS[timeout] = httpx.Client(timeout=timeout)
        return _CLIENTS[timeout]


class NluClient:
    def __init__(self, url: str | None = None, timeout: float = 10.0) -> None:
        self.url = (url or default_url()).rstrip("/")
        self.timeout = timeout
        self._http = _client(timeout)

    def parse(self, text: str) -> Parse:
        return parse_of(text, self._post("/model/parse", {"text": text}))

    def parse_many(self, texts: list[str]) -> list[Parse | BusinessError]:
        """Each text's parse, in one batch request; an item the server refused is its error."""
        response = self._send(BATCH_PATH, {"texts": list(texts)})
        if response.status_code == 404:  # a server started without the batch route
            return [self.parse(text) for text in texts]
        body = self._body(response, BATCH_PATH)
        results = body.get("results") if isinstance(body, dict) else None
        if not isinstance(results, list) or len(results) != len(texts):
            raise ApplicationError(f"Rasa's batch parse at {self.url} did not answer one result "
                                   f"per text")
        return [_item(text, result) for text, result in zip(texts, results, strict=True)]

    def _post(self, path: str, body: dict) -> object:
        return self._body(self._send(path, body), path)

    def _send(self, path: str, body: dict) -> httpx.Response:
        try:
            return self._http.post(self.url + path, json=body)
        except httpx.TimeoutException as exc:
            raise ApplicationError(f"Rasa at {self.url} timed out after {self.timeout:g}s") from exc
        except httpx.HTTPError as exc:
            raise ApplicationError(f"Rasa at {self.url} cannot be reached: {exc}") from exc

    def _body(self, response: httpx.Response, path: str) -> object:
        target = self.url + path
        _check(response, target)
        try:
            return response.json()
        except ValueError as exc:
            raise ApplicationError(f"Rasa at {target} answered something that is not JSON") from exc


def _check(response: httpx.Response, target: str) -> None:
    code = response.status_code
    if code < 400:
        return
    message = f"Rasa at {target}: HTTP {code}"
    if code >= 500 or code in _RETRYABLE:
        raise ApplicationError(message)
    raise BusinessError(message)


def _item(text: str, result: object) -> Parse | BusinessError:
    if isinstance(result, dict) and "error" in result:
        return BusinessError(f"Rasa could not parse this text: {result['error']}")
    return parse_of(text, result)


def parse_of(text: str, body: dict) -> Parse:
    if not isinstance(body, dict) or "intent" not in body:
        raise ApplicationError("Rasa's /model/parse answer has no intent")
    ranking = [(r["name"], float(r["confidence"])) for r in body.get("intent_ranking") or []
               if r.get("name") != FALLBACK]
    top = body.get("intent") or {}
    if not ranking and top.get("name"):
        ranking = [(top["name"], float(top.get("confidence") or 0.0))]
    intent, confidence = ranking[0] if ranking else ("", 0.0)
    entities = [Entity(e["entity"], str(e["value"]), int(e["start"]), int(e["end"]))
                for e in body.get("entities") or []]
    embedding = tuple(float(x) for x in body.get(EMBEDDING) or ())
    return Parse(text, intent, confidence, top.get("name") == FALLBACK, ranking, entities,
                 embedding)
