"""Fit the generic pairing model (bots/form_processing/pairing_model.json) on generated pages.

    python bench/train_pairing.py [--count 40] [--seed 99] [--workers 2]

Pages come from examples/forms/generic_forms.py with a seed the benchmark does not use
(bench/forms.py --generic uses 13). Every candidate pair of every page is labelled by the
benchmark's own rule (label and value similarity >= 0.8 to a truth pair) and a logistic
regression is fitted on their features.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if sys.path and Path(sys.path[0]).resolve() == Path(__file__).resolve().parent:
    sys.path[0] = str(ROOT)

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
from concurrent.futures import ProcessPoolExecutor  # noqa: E402

os.environ.setdefault("OMP_THREAD_LIMIT", "1")

from bench.forms_generic import cached_set  # noqa: E402
from bench.pair_score import MATCH, similarity  # noqa: E402
from bots.form_processing.generic import page_candidates  # noqa: E402
from bots.form_processing.pairing_model import MODEL  # noqa: E402
from bots.form_processing.process import READ_OPTIONS  # noqa: E402
from rpa.documents import read_document  # noqa: E402


def rows_of(path_text: str) -> list[tuple[dict[str, float], int]]:
    path = Path(path_text)
    truth = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))["pairs"]
    rows = []
    for page in read_document(path, READ_OPTIONS):
        for c in page_candidates(page):
            rows.append((c.features, int(_matches(c.label.text, c.value_text, truth))))
    return rows


def _matches(label: str, value: str, truth: list[dict]) -> bool:
    return any(similarity(value, t["value"]) >= MATCH
               and max(similarity(label, a) for a in t.get("alts") or [t["label"]]) >= MATCH
               for t in truth)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=40)
    parser.add_argument("--seed", type=int, default=99)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    from sklearn.linear_model import LogisticRegression

    pages = [str(p) for p in sorted(cached_set(args.count, args.seed).glob("generic-*.png"))]
    with ProcessPoolExecutor(max_workers=args.workers) as pool:
        rows = [r for page in pool.map(rows_of, pages) for r in page]
    names = sorted(rows[0][0])
    x = [[f[n] for n in names] for f, _ in rows]
    y = [label for _, label in rows]
    model = LogisticRegression(C=1.0, max_iter=2000).fit(x, y)
    MODEL.write_text(json.dumps({"features": names, "coef": [round(float(c), 4) for c in model.coef_[0]],
                                 "intercept": round(float(model.intercept_[0]), 4),
                                 "trained_on": f"generic_forms.py seed {args.seed}, {args.count} pages",
                                 "candidates": len(y), "positives": sum(y)}, indent=1) + "\n")
    print(f"{len(y)} candidates, {sum(y)} real pairs; training accuracy {model.score(x, y):.3f}")
    for name, coef in sorted(zip(names, model.coef_[0], strict=True), key=lambda t: -abs(t[1])):
        print(f"  {name:14} {coef:+.2f}")


if __name__ == "__main__":
    main()
