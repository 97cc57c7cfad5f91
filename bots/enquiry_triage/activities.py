"""The triage bot's activities. Each takes and returns plain data (dicts and lists), so a flow
can pass results from step to step and the store can keep them.

Enquiry text is redacted before anything is logged; routing decisions are returned as data
(queue name or human-task band) for the engine's queues and tasks to act on.

Every file a flow names (enquiries, resolved cases, the corrections CSV) goes through
`rpa.activities.roots`: read only inside the run's declared roots, never from a quarantine
folder, the corrections written only to a writable root. `smartlab triage run`, a developer's
command, reads what it is given through `ingested` and `route`, which do not check.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

from bots.enquiry_triage import bands, cases, drafts, ingest, urgency
from bots.enquiry_triage.departments import department_of
from bots.enquiry_triage.nlu_client import NluClient, Parse, batch_size, default_url
from bots.enquiry_triage.redact import for_model, redact_text
from rpa.activities import Context, activity, roots
from rpa.errors import BusinessError


@activity("triage.ingest")
def ingest_(ctx: Context, path: str) -> list[dict[str, Any]]:
    """Read enquiries from a folder of .eml files, a CSV or a JSON file; bad items keep a status
    (a file in the folder that links out of the roots is `refused`, unread)."""
    roots.readable(path, ctx.run_id)
    return ingested(ctx, path, allow=lambda file: roots.readable(file, ctx.run_id))


def ingested(ctx: Context, path: str, allow: Callable[[Path], object] | None = None) -> list[dict[str, Any]]:
    """The enquiries at `path` as data; `allow` may refuse each file (see `ingest.read_enquiries`)."""
    if not Path(path).exists():
        raise BusinessError(f"no enquiries at {path}")
    found = ingest.read_enquiries(path, allow)
    bad = [e for e in found if not e.ok]
    ctx.log.info("ingested %d enquiries from %s (%d not readable)", len(found), path, len(bad))
    return [e.as_dict() for e in found]


@activity("nlu.parse")
def parse(text: str, url: str | None = None) -> dict[str, Any]:
    """Classify text with Rasa's /model/parse: intent, confidence, ranking, entities.

    The text is sent as given; `triage.classify` sends it redacted."""
    return NluClient(url).parse(text).as_dict()


@activity("triage.redact")
def redact(text: str) -> str:
    """The text with HKID numbers, phone numbers, e-mail and flat addresses replaced."""
    return redact_text(text)


@activity("triage.classify")
def classify(ctx: Context, enquiry: dict[str, Any], url: str | None = None) -> dict[str, Any]:
    """Department intent, confidence, entities and urgency for one enquiry."""
    return _classified(ctx, enquiry, url)[0]


def _classified(ctx: Context, enquiry: dict[str, Any], url: str | None,
                parsed: Parse | None = None) -> tuple[dict[str, Any], Parse]:
    text = _text_of(enquiry)
    parsed = parsed or NluClient(url).parse(for_model(text))
    level = urgency.assess(text, parsed.intent)
    ctx.log.info("classified %s as %s (%.2f), urgency %s: %s", enquiry.get("id"), parsed.intent,
                 parsed.confidence, level.level, redact_text(text)[:80])
    found = {**parsed.as_dict(), "text": redact_text(text),
             "urgency": {"level": level.level, "score": level.score, "words": list(level.words)}}
    return found, parsed


@activity("triage.decide")
def decide(classification: dict[str, Any],
           thresholds: dict[str, Any] | None = None) -> dict[str, Any]:
    """The band (auto / suggest / manual) and the queue, from the classification."""
    policy = bands.Policy.from_mapping(thresholds) if thresholds else bands.DEFAULT_POLICY
    decision = bands.decide(classification["intent"], float(classification["confidence"]),
                            bool(classification.get("fell_back")), policy)
    return decision.as_dict()


@activity("triage.similar")
def similar(ctx: Context, text: str, cases_file: str, k: int = 3, url: str | None = None) -> list[dict[str, Any]]:
    """The k most similar resolved cases (redacted), with scores; with `url`, by the
    classifier's own sentence embedding from that Rasa server, else by TF-IDF."""
    index = cases.load_index(roots.readable(cases_file, ctx.run_id), url)
    return [m.as_dict() for m in index.search(text, k)]


@activity("triage.draft")
def draft(enquiry: dict[str, Any], intent: str) -> dict[str, Any]:
    """A reply draft in the enquiry's language for the chosen department."""
    return drafts.draft(intent, enquiry.get("language", "en"), str(enquiry.get("id", "")),
                        enquiry.get("subject", ""), enquiry.get("received", "")).as_dict()


@activity("triage.enquiry")
def triage_one(ctx: Context, enquiry: dict[str, Any], url: str | None = None,
               cases_file: str | None = None,
               thresholds: dict[str, Any] | None = None) -> dict[str, Any]:
    """Classify, decide, find similar cases and draft a reply: the whole routing record."""
    if cases_file:
        roots.readable(cases_file, ctx.run_id)
    return route(ctx, enquiry, url, cases_file, thresholds)


def route(ctx: Context, enquiry: dict[str, Any], url: str | None = None, cases_file: str | None = None,
          thresholds: dict[str, Any] | None = None, parsed: Parse | None = None) -> dict[str, Any]:
    """The routing record of `triage.enquiry`, `cases_file` taken as given; `parsed`: the
    enquiry's parse when it was already asked for (`routed`)."""
    if enquiry.get("status", ingest.OK) != ingest.OK:
        return _unreadable(enquiry)
    found, parsed = _classified(ctx, enquiry, url, parsed)
    decision = decide(found, thresholds)
    record = {"enquiry_id": enquiry.get("id"), "source": enquiry.get("source"),
              "language": enquiry.get("language"), "classification": found,
              "decision": decision, "urgency": found["urgency"]["level"],
              "similar": _similar(found["text"], parsed, cases_file, url),
              "draft": draft(enquiry, found["intent"])}
    dept = department_of(found["intent"])
    ctx.log.info("enquiry %s -> %s (%s)", enquiry.get("id"), decision["queue"],
                 dept.code if dept else "no department")
    return record


def routed(ctx: Context, enquiries: list[dict[str, Any]], url: str | None = None,
           cases_file: str | None = None, thresholds: dict[str, Any] | None = None,
           size: int | None = None) -> Iterator[dict[str, Any]]:
    """`route` for each enquiry in order, their texts parsed `size` (`SMARTLAB_TRIAGE_BATCH`)
    at a time in one batch request, the next batch parsed while this one is routed. An item
    whose batched parse failed is routed alone (parsed again, its own error raised as
    `route` raises it); nothing is kept between calls, so a rerun simply parses again."""
    step, client = size or batch_size(), NluClient(url)
    chunks = [enquiries[at:at + step] for at in range(0, len(enquiries), step)]
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="triage-parse") as pool:
        pending = _prefetch(pool, client, chunks[0]) if chunks else None
        for index, chunk in enumerate(chunks):
            parses = pending.result() if pending else {}
            pending = _prefetch(pool, client, chunks[index + 1]) if index + 1 < len(chunks) else None
            for position, enquiry in enumerate(chunk):
                found = parses.get(position)
                yield route(ctx, enquiry, url, cases_file, thresholds,
                            found if isinstance(found, Parse) else None)


def _prefetch(pool: ThreadPoolExecutor, client: NluClient,
              chunk: list[dict[str, Any]]) -> Future[dict[int, Parse | BusinessError]]:
    """The batch parse of the chunk's readable enquiries, by position in the chunk."""
    texts = {i: for_model(_text_of(e)) for i, e in enumerate(chunk) if _classifiable(e)}
    return pool.submit(lambda: dict(zip(texts, client.parse_many(list(texts.values())),
                                        strict=True)) if texts else {})


def _classifiable(enquiry: dict[str, Any]) -> bool:
    return (enquiry.get("status", ingest.OK) == ingest.OK
            and bool(f"{enquiry.get('subject', '')}{enquiry.get('body', '')}".strip()))


@activity("triage.correct", effect=True)
def correct(ctx: Context, enquiry: dict[str, Any], label: str, corrections_file: str,
            previous: str = "", officer: str = "") -> dict[str, Any]:
    """Store an officer's reassignment as labelled data for retraining (redacted)."""
    if department_of(label) is None and label != "out_of_scope":
        raise BusinessError(f"unknown department intent '{label}'")
    row = cases.record_correction(roots.writable(corrections_file, ctx.run_id), str(enquiry.get("id", "")),
                                  _text_of(enquiry), label, previous, officer)
    ctx.log.info("correction %s: %s -> %s", row["enquiry_id"], previous or "?", label)
    return row


def _similar(text: str, parsed: Parse, cases_file: str | None,
             url: str | None) -> list[dict[str, Any]]:
    """Similar cases by the embedding the classification already carries (no second model)."""
    if not cases_file:
        return []
    index = cases.load_index(cases_file, (url or default_url()) if parsed.embedding else None)
    return [m.as_dict() for m in index.search(text, vector=parsed.embedding or None)]


def _text_of(enquiry: dict[str, Any]) -> str:
    text = f"{enquiry.get('subject', '')}\n{enquiry.get('body', '')}".strip()
    if not text:
        raise BusinessError(f"enquiry {enquiry.get('id', '?')} has no text to classify")
    return text


def _unreadable(enquiry: dict[str, Any]) -> dict[str, Any]:
    decision = bands.Decision(bands.MANUAL, "", 0.0, bands.MANUAL_QUEUE, None,
                              f"not readable: {enquiry.get('status')} ({enquiry.get('reason')})")
    return {"enquiry_id": enquiry.get("id"), "source": enquiry.get("source"),
            "language": enquiry.get("language"), "classification": None,
            "decision": decision.as_dict(), "urgency": "normal", "similar": [], "draft": None}
