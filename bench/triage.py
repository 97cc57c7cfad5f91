"""Enquiry triage: our Rasa pipeline against the sparse-only DIET pipeline it replaced and a
TF-IDF + logistic-regression baseline, in one run.

All learn from the same stratified 75% of the triage project's examples (data/ and tests/)
and are scored on the other 25%: accuracy, macro-F1, coverage at 95% and 99% precision (the
share that could be routed automatically at the confidence threshold keeping that share of
them right), and p50/p95 latency per enquiry. The held-out enquiries plus our bilingual
out-of-scope set (bench/data/triage_out_of_scope.csv, never trained on) give out-of-scope
recall and the in-scope accuracy with out-of-scope detection on. Then the whole bot runs on
the sample enquiries end to end (ingest, classify, decide, similar cases, draft).

    python bench/triage.py [--json] [--calibrate]

`--calibrate` writes the auto threshold at 99% precision, measured here, to
bots/enquiry_triage/calibration.json. Rasa models for the split are cached under
nlu/triage/.rasa/bench-<variant>/ by data hash, so a second run does not train again. Rasa is
measured through its HTTP server (what the bot sees); the baseline runs in-process, so its
latency is a floor, not a like-for-like figure.
"""

from __future__ import annotations

import argparse
import csv
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
from rpa.nlu.evaluate import Case, OutOfScope, predict_all, score_cases  # noqa: E402
from rpa.nlu.server import RasaServer, free_port  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
TRIAGE = ROOT / "nlu" / "triage"
SAMPLES = ROOT / "examples" / "enquiries"
BENCH_DATA = Path(__file__).resolve().parent / "data"
OOS_SET = BENCH_DATA / "triage_out_of_scope.csv"
OOS_LABEL = "out_of_scope"
CALIBRATION = ROOT / "bots" / "enquiry_triage" / "calibration.json"
# name shown -> pipeline; the first is ours, the others are baselines measured beside it
VARIANTS = {"ours": TRIAGE / "config.yml", "sparse DIET": BENCH_DATA / "triage_sparse_diet.yml"}
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


def out_of_scope_cases() -> list[Case]:
    with OOS_SET.open(encoding="utf-8") as handle:
        return [Case(row["text"], row["label"]) for row in csv.DictReader(handle)]


def rasa_report(name: str, config: Path, train_set: list, test_set: list) -> dict:
    """Train `config` on the split (cached), then score held-out, out-of-scope and end to end."""
    folder = TRIAGE / ".rasa" / f"bench-{name.replace(' ', '-')}"
    (folder / "data").mkdir(parents=True, exist_ok=True)
    (folder / "data" / "nlu.yml").write_text(nlu_yaml([Example(t, y) for t, y in train_set]),
                                             "utf-8")
    (folder / "config.yml").write_text(config.read_text("utf-8"), "utf-8")
    project = open_project(folder)
    trained = train(project)
    cases = [Case(t, y) for t, y in test_set]
    with RasaServer(trained.model, free_port(), log=project.state / "server.log") as server:
        # warm up (first parses load lazily) on texts of no set, so the embedder's cache of
        # identical texts cannot make the timed parses look faster than they are
        predict_all(server.url, [Case(f"warm-up enquiry number {i}", "x") for i in range(5)],
                    workers=1)
        predictions, latencies = predict_all(server.url, cases, workers=1)
        oos_cases = out_of_scope_cases()
        oos_predictions, _ = predict_all(server.url, oos_cases, workers=1)
        eps = end_to_end(server.url)
    oos = score_cases(cases + oos_cases, predictions + oos_predictions, [], OutOfScope(OOS_LABEL))
    in_scope = [(c, p) for c, p in zip(cases, predictions, strict=True) if c.label != OOS_LABEL]
    return {"report": score_cases(cases, predictions, latencies), "oos": oos,
            "in_scope_without": _in_scope_without(in_scope), "trained_s": trained.seconds,
            "eps": eps}


def _in_scope_without(pairs: list) -> float:
    """In-scope accuracy with no out-of-scope detection: the best department intent."""
    best = [next((name for name, _ in p.ranking if name != OOS_LABEL), p.intent) for _, p in pairs]
    return sum(c.label == b for (c, _), b in zip(pairs, best, strict=True)) / len(pairs)


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
    """Enquiries per second through the whole bot on the samples (Rasa for classification):
    the first pass, every text new to the server, then four repeats (each text seen before:
    a retried or resumed run, which the embedder's cache of identical texts serves)."""
    from bots.enquiry_triage import activities, read_enquiries

    ctx = Context(run_id="bench", flow="bench", state="triage", step=1,
                  log=logging.getLogger("bench.triage"))
    enquiries = [e.as_dict() for f in ("inbox", "web_form.csv", "social_media.json")
                 for e in read_enquiries(SAMPLES / f)]
    cases_file = str(SAMPLES / "resolved_cases.json")
    activities.triage_one(ctx, {"id": "warm", "body": "warm-up: the case index"}, url, cases_file)
    rates = []
    for rounds in (1, 4):
        started = time.perf_counter()
        for _ in range(rounds):
            for enquiry in enquiries:
                activities.triage_one(ctx, enquiry, url, cases_file)
        rates.append(rounds * len(enquiries) / (time.perf_counter() - started))
    return f"{rates[0]:.1f} first pass, {rates[1]:.1f} repeated"


ROWS = [("accuracy", "accuracy", "{:.3f}"), ("macro-F1", "macro_f1", "{:.3f}"),
        ("coverage at 95% precision", "coverage_at_95", "{:.3f}"),
        ("coverage at 99% precision", "coverage_at_99", "{:.3f}"),
        ("threshold at 99% precision", "threshold_at_99", "{:.3f}"),
        ("latency p50 (ms)", "p50_ms", "{:.1f}"),
        ("latency p95 (ms)", "p95_ms", "{:.1f}")]
OOS_ROWS = [("in-scope accuracy, OOS off", "in_scope_without"),
            ("in-scope accuracy, OOS on", "in_scope_accuracy"),
            ("out-of-scope recall", "oos_recall"), ("out-of-scope precision", "oos_precision")]


def _fmt(fmt: str, value: float | None) -> str:
    return "-" if value is None else fmt.format(value)


def print_table(results: dict[str, dict], base: metrics.Report) -> None:
    ours = results["ours"]["report"]
    names = [*results, "TF-IDF+LR"]
    print(f"held-out enquiries: {ours.n} over {ours.labels} intents (seed {SEED}); "
          f"out-of-scope set: {len(out_of_scope_cases())} texts; ratio = ours / sparse DIET")
    print(f"{'figure':28}" + "".join(f"{n:>13}" for n in names) + f"{'ratio':>8}")
    for title, key, fmt in ROWS:
        values = [getattr(r["report"], key) for r in results.values()] + [getattr(base, key)]
        theirs = values[1]
        ratio = f"{values[0] / theirs:.2f}" if values[0] is not None and theirs else "-"
        print(f"{title:28}" + "".join(f"{_fmt(fmt, v):>13}" for v in values) + f"{ratio:>8}")
    for title, key in OOS_ROWS:
        values = [r[key] if key in r else getattr(r["oos"], key) for r in results.values()]
        print(f"{title:28}" + "".join(f"{v:>13.3f}" for v in values))
    for name, r in results.items():
        trained = "cached" if not r["trained_s"] else f"{r['trained_s']:.0f} s"
        print(f"{name}: Rasa training {trained}; end to end through the bot: "
              f"{r['eps']} enquiries/s")


def write_calibration(report: metrics.Report) -> None:
    data = json.loads(CALIBRATION.read_text("utf-8")) if CALIBRATION.exists() else {}
    data.update({"target_precision": 0.99, "auto": round(report.threshold_at_99 or 1.0, 3),
                 "source": f"bench/triage.py held-out {report.n} enquiries (seed {SEED}), "
                           "nlu/triage/config.yml; see docs/triage.md"})
    CALIBRATION.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", "utf-8")
    print(f"wrote {CALIBRATION.relative_to(ROOT)}: auto {data['auto']}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--calibrate", action="store_true",
                        help="write the auto threshold at 99%% precision to calibration.json")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    train_set, test_set = split(examples())
    results = {name: rasa_report(name, config, train_set, test_set)
               for name, config in VARIANTS.items()}
    base = baseline_report(train_set, test_set)
    if args.json:
        print(json.dumps({**{n: {**r["report"].as_dict(), **r["oos"].as_dict(),
                                 "in_scope_without_oos": r["in_scope_without"],
                                 "enquiries_per_second": r["eps"]}
                             for n, r in results.items()},
                          "baseline_tfidf_lr": base.as_dict()}, indent=2))
    else:
        print_table(results, base)
    if args.calibrate:
        write_calibration(results["ours"]["report"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
