"""Enquiry triage: Rasa DIET (our pipeline) against a TF-IDF + logistic-regression baseline.

Both learn from the same stratified 75% of the triage project's examples (data/ and tests/)
and are scored on the other 25%: accuracy, macro-F1, coverage at 95% precision (the share
that could be routed automatically at the confidence threshold keeping 95% of those right),
and p50/p95 latency per enquiry. Then the whole bot runs on the sample enquiries end to end
(ingest, classify, decide, similar cases, draft) for enquiries per second.

    python bench/triage.py [--json]

The Rasa model for the split is cached under nlu/triage/.rasa/bench/ by its data hash, so a
second run does not train again. DIET is measured through its HTTP server (what the bot
sees); the baseline runs in-process, so its latency is a floor, not a like-for-like figure.
"""

from __future__ import annotations

import argparse
import json
import logging
import random
import re
import sys
import time
from collections import defaultdict
from pathlib import Path

# bench/ is on sys.path first when run as a script; its modules (e.g. a queue benchmark
# named queue.py) must not shadow the standard library's for the imports below.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).parent.resolve()]

import yaml  # noqa: E402
from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.pipeline import make_pipeline, make_union  # noqa: E402

from rpa.activities import Context  # noqa: E402
from rpa.nlu import metrics, open_project, train  # noqa: E402
from rpa.nlu.csvdata import Example, nlu_yaml  # noqa: E402
from rpa.nlu.evaluate import Case, predict_all, score_cases  # noqa: E402
from rpa.nlu.server import RasaServer, free_port  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
TRIAGE = ROOT / "nlu" / "triage"
SAMPLES = ROOT / "examples" / "enquiries"
BENCH_PROJECT = TRIAGE / ".rasa" / "bench"
TEST_SHARE = 0.25
SEED = 13
_ANNOTATED = re.compile(r"\[([^\]]+)\]\([^)]+\)")
_CJK = "\u3400-\u9fff\uf900-\ufaff\U00020000-\U0002ffff"


def examples() -> list[tuple[str, str]]:
    pairs = []
    for path in sorted([*TRIAGE.glob("data/nlu/*.yml"), *TRIAGE.glob("tests/*.yml")]):
        for item in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
            lines = item["examples"].splitlines()
            pairs += [(_ANNOTATED.sub(r"\1", ln.strip()[2:]), item["intent"]) for ln in lines]
    return pairs


def split(pairs: list[tuple[str, str]]) -> tuple[list, list]:
    """Stratified: the same share of every intent is held out."""
    by_label: dict[str, list] = defaultdict(list)
    for pair in pairs:
        by_label[pair[1]].append(pair)
    rng = random.Random(SEED)
    train_set, test_set = [], []
    for label in sorted(by_label):
        items = by_label[label]
        rng.shuffle(items)
        cut = round(len(items) * TEST_SHARE)
        test_set += items[:cut]
        train_set += items[cut:]
    return train_set, test_set


def rasa_report(train_set: list, test_set: list) -> tuple[metrics.Report, float, str]:
    data = BENCH_PROJECT / "data"
    data.mkdir(parents=True, exist_ok=True)
    (data / "nlu.yml").write_text(nlu_yaml([Example(t, y) for t, y in train_set]), "utf-8")
    (BENCH_PROJECT / "config.yml").write_text((TRIAGE / "config.yml").read_text("utf-8"), "utf-8")
    project = open_project(BENCH_PROJECT)
    trained = train(project)
    cases = [Case(t, y) for t, y in test_set]
    port = free_port()
    with RasaServer(trained.model, port, log=project.state / "server.log") as server:
        predictions, latencies = predict_all(server.url, cases, workers=1)
        eps = end_to_end(server.url)
    return score_cases(cases, predictions, latencies), trained.seconds, eps


def baseline_report(train_set: list, test_set: list) -> metrics.Report:
    model = make_pipeline(
        make_union(
            TfidfVectorizer(token_pattern=rf"[{_CJK}]|[^\W{_CJK}]+", ngram_range=(1, 2),
                            sublinear_tf=True),
            TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True)),
        LogisticRegression(C=10.0, max_iter=2000))
    model.fit([t for t, _ in train_set], [y for _, y in train_set])
    predicted, confidence, latencies = [], [], []
    for text, _ in test_set:
        started = time.perf_counter()
        probabilities = model.predict_proba([text])[0]
        latencies.append((time.perf_counter() - started) * 1000)
        best = probabilities.argmax()
        predicted.append(model.classes_[best])
        confidence.append(float(probabilities[best]))
    gold = [y for _, y in test_set]
    return metrics.report(gold, predicted, confidence, latencies)


def end_to_end(url: str) -> str:
    """Enquiries per second through the whole bot on the samples (Rasa for classification)."""
    from bots.enquiry_triage import activities, read_enquiries

    ctx = Context(run_id="bench", flow="bench", state="triage", step=1,
                  log=logging.getLogger("bench.triage"))
    enquiries = [e.as_dict() for f in ("inbox", "web_form.csv", "social_media.json")
                 for e in read_enquiries(SAMPLES / f)]
    rounds = 5
    started = time.perf_counter()
    for _ in range(rounds):
        for enquiry in enquiries:
            activities.triage_one(ctx, enquiry, url, str(SAMPLES / "resolved_cases.json"))
    seconds = time.perf_counter() - started
    return f"{rounds * len(enquiries) / seconds:.1f}"


ROWS = [("accuracy", "accuracy", "{:.3f}"), ("macro-F1", "macro_f1", "{:.3f}"),
        ("coverage at 95% precision", "coverage_at_95", "{:.3f}"),
        ("latency p50 (ms)", "p50_ms", "{:.1f}"),
        ("latency p95 (ms)", "p95_ms", "{:.1f}")]


def print_table(rasa: metrics.Report, base: metrics.Report, trained_s: float, eps: str) -> None:
    print(f"held-out enquiries: {rasa.n} over {rasa.labels} intents (seed {SEED})")
    print(f"{'figure':28} {'DIET (Rasa)':>12} {'TF-IDF+LR':>12} {'ratio':>7}")
    for title, key, fmt in ROWS:
        ours, theirs = getattr(rasa, key), getattr(base, key)
        ratio = f"{ours / theirs:.2f}" if theirs else "-"
        print(f"{title:28} {fmt.format(ours):>12} {fmt.format(theirs):>12} {ratio:>7}")
    print(f"Rasa training: {'cached' if not trained_s else f'{trained_s:.0f} s'}; "
          f"end to end through the bot: {eps} enquiries/s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    train_set, test_set = split(examples())
    rasa, trained_s, eps = rasa_report(train_set, test_set)
    base = baseline_report(train_set, test_set)
    if args.json:
        print(json.dumps({"diet": rasa.as_dict(), "baseline_tfidf_lr": base.as_dict(),
                          "enquiries_per_second": float(eps)}, indent=2))
    else:
        print_table(rasa, base, trained_s, eps)
    return 0


if __name__ == "__main__":
    sys.exit(main())
