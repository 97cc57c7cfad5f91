"""`POST /webhooks/smartlab/parse`: many texts parsed in one run of the model's NLU graph.

Rasa's `/model/parse` takes one text, and each call pays Rasa's HTTP layer and one graph run
(the dask scheduler, every component's `process`) for it. Rasa's graph takes a list of
messages (its processor runs it on `[message]`), so this Rasa input channel, named in
`credentials.yml` beside it and loaded by the server `rpa.nlu.server` starts, runs the same
graph on up to `SMARTLAB_NLU_BATCH_MAX` texts at once; the embedder then groups texts of like
length for onnxruntime. Each answer is what `/model/parse` answers for that text.

    request   {"texts": ["...", "..."]}
    answer    {"results": [{"text", "intent", "intent_ranking", "entities", ...}
                           | {"error": "item 2: text must be a string, got int"}, ...]}

A bad item gets an `error` in its place and the others are parsed; if the graph fails on the
batch, each text is parsed alone, so one text that breaks a component costs only its own
answer. A body that is not `{"texts": [...]}` (or too many texts) is a 400.
"""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.engine.constants import PLACEHOLDER_MESSAGE, PLACEHOLDER_TRACKER
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_NAME_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

MAX_ENV = "SMARTLAB_NLU_BATCH_MAX"
DEFAULT_MAX = 256


def batch_max() -> int:
    """Texts one request may carry (bounds one request's time and memory)."""
    return int(os.environ.get(MAX_ENV) or DEFAULT_MAX)


def item_error(index: int, text: Any) -> str | None:
    """Why item `index` cannot be parsed, or None."""
    if not isinstance(text, str):
        return f"item {index}: text must be a string, got {type(text).__name__}"
    return None


def body_error(body: Any, limit: int) -> str | None:
    """Why the request body is not a batch, or None."""
    if not isinstance(body, dict) or not isinstance(body.get("texts"), list):
        return 'the body must be a JSON object {"texts": [...]}'
    if len(body["texts"]) > limit:
        return f"{len(body['texts'])} texts, more than {MAX_ENV}={limit} in one request"
    return None


def _answer(parsed: Any) -> dict[str, Any]:
    data = {TEXT: "", INTENT: {INTENT_NAME_KEY: None, PREDICTED_CONFIDENCE_KEY: 0.0}, ENTITIES: []}
    data.update(parsed.as_dict(only_output_properties=True))
    return data


def run_graph(processor: Any, texts: list[str]) -> list[dict[str, Any]]:
    """The NLU graph's answers for `texts`, one graph run (as Rasa's processor, on a list)."""
    messages = [UserMessage(text) for text in texts]
    tracker = DialogueStateTracker.from_events("smartlab-batch", [])
    target = processor.model_metadata.nlu_target
    results = processor.graph_runner.run(
        inputs={PLACEHOLDER_MESSAGE: messages, PLACEHOLDER_TRACKER: tracker}, targets=[target])
    return [_answer(parsed) for parsed in results[target]]


def parse_batch(processor: Any, texts: list[Any]) -> list[dict[str, Any]]:
    """One answer per item: the parse, or `{"error": ...}` for that item alone."""
    errors = {i: e for i, t in enumerate(texts) if (e := item_error(i, t))}
    good = [i for i in range(len(texts)) if i not in errors]
    try:
        answers = dict(zip(good, run_graph(processor, [texts[i] for i in good]), strict=True))
    except Exception:  # noqa: BLE001 - one text broke the graph: each alone, so only it fails
        answers = {i: _alone(processor, i, texts[i]) for i in good}
    return [{"error": errors[i]} if i in errors else answers[i] for i in range(len(texts))]


def _alone(processor: Any, index: int, text: str) -> dict[str, Any]:
    try:
        return run_graph(processor, [text])[0]
    except Exception as exc:  # noqa: BLE001 - Rasa's components raise anything; reported per item
        return {"error": f"item {index}: the model could not parse it: {exc}"}


class BatchParseChannel(InputChannel):
    """Mounted by Rasa at `/webhooks/smartlab/` (credentials.yml names this class)."""

    @classmethod
    def name(cls) -> str:
        return "smartlab"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        routes = Blueprint("smartlab_batch_parse", __name__)

        @routes.post("/parse")
        async def parse(request: Request) -> HTTPResponse:
            agent = request.app.ctx.agent
            if not agent or not agent.is_ready():
                return response.json({"error": "no model loaded"}, status=409)
            body = request.json if request.body else None
            problem = body_error(body, batch_max())
            if problem:
                return response.json({"error": problem}, status=400)
            return response.json({"results": parse_batch(agent.processor, body["texts"])})

        return routes
