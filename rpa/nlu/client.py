"""Rasa's HTTP API for SmartLab: `/status` and `/model/parse` here, and `call` for the rest
(the receptionist's REST channel goes through it).

The one place where httpx errors talking to Rasa become SmartLab errors (ServerError).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

from rpa.nlu.errors import ServerError

FALLBACK_INTENT = "nlu_fallback"


@dataclass(frozen=True)
class Prediction:
    """The best real intent (never the fallback) and its confidence."""

    intent: str
    confidence: float
    fell_back: bool
    ranking: tuple[tuple[str, float], ...] = ()  # real intents, best first


class RasaHttp:
    def __init__(self, url: str, timeout: float = 30.0) -> None:
        self.url = url.rstrip("/")
        self._http = httpx.Client(timeout=timeout)

    def status(self) -> dict[str, Any]:
        return self.call("GET", "/status")

    def parse(self, text: str) -> dict[str, Any]:
        return self.call("POST", "/model/parse", {"text": text})

    def predict(self, text: str) -> Prediction:
        return prediction_of(self.parse(text))

    def close(self) -> None:
        self._http.close()

    def call(self, method: str, path: str, body: Any = None) -> Any:
        """One request to Rasa's HTTP API; its JSON answer, or ServerError saying why not."""
        try:
            response = self._http.request(method, self.url + path, json=body)
            response.raise_for_status()
            return response.json()
        except httpx.HTTPError as exc:
            raise ServerError(f"Rasa at {self.url}: {method} {path}: {exc}") from exc
        except ValueError as exc:
            raise ServerError(f"Rasa at {self.url}: {path} did not answer JSON") from exc


def prediction_of(parsed: dict[str, Any]) -> Prediction:
    """Skip `nlu_fallback` so accuracy judges the classifier, and confidence ranks it."""
    ranking = [r for r in parsed.get("intent_ranking") or [] if r.get("name") != FALLBACK_INTENT]
    top = parsed.get("intent") or {}
    fell_back = top.get("name") == FALLBACK_INTENT
    ranked = tuple((str(r["name"]), float(r.get("confidence") or 0.0)) for r in ranking)
    if ranked:
        return Prediction(ranked[0][0], ranked[0][1], fell_back, ranked)
    return Prediction(str(top.get("name") or ""), float(top.get("confidence") or 0.0), fell_back)
