"""Does a batch parse classify as one text at a time does? In Rasa's venv, in-process.

    python bench/triage_batch_agreement.py [--model M.tar.gz] [--batch 16]

The int8 encoder quantizes activations per onnxruntime run, so a text's vector depends a
little on its batch mates (tests/rpa/nlu/test_nlu_e5_onnx.py). Over HTTP the server's cache
of texts hides that (a text parsed twice gets its first vector back), so this loads the
model itself (bench/triage.py's `ours` by default), empties the embedder's cache before each
way, and parses bench/triage.py's held-out enquiries and the out-of-scope set one at a time
and in batches through smartlab_nlu.batch.run_graph, the batch route's own function.
Printed: accuracy both ways, how many predictions agree, the largest confidence difference.
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).parent.resolve()]

from rpa.nlu.rasa import rasa_env  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
import triage_speed  # noqa: E402  (first: bench/triage.py drops this folder from sys.path)

triage_bench = triage_speed.triage_bench

_INSIDE = r"""
import json, sys
from rasa.core.agent import Agent
from smartlab_nlu.batch import run_graph
from smartlab_nlu.embedders import CachedEmbed
model, cases, size = sys.argv[1], json.load(open(sys.argv[2], encoding="utf-8")), int(sys.argv[3])
processor = Agent.load(model).processor
caches = [v for node in processor.graph_runner._instantiated_nodes.values()
          for v in vars(node._component).values() if isinstance(v, CachedEmbed)]
texts = [t for t, _ in cases]
def parse(step):
    for cache in caches:
        cache._vectors.clear()
    found = []
    for at in range(0, len(texts), step):
        found += run_graph(processor, texts[at:at + step])
    return [(a["intent"]["name"], a["intent"]["confidence"]) for a in found]
print(json.dumps({"single": parse(1), "batched": parse(size), "caches": len(caches)}))
"""


def cases() -> list[tuple[str, str]]:
    held_out = triage_bench.split(triage_bench.examples())[1]
    with triage_bench.OOS_SET.open(encoding="utf-8") as handle:
        oos = [(row["text"], "out_of_scope") for row in csv.DictReader(handle)]
    return [*held_out, *oos]


def accuracy(found: list[tuple[str, float]], labelled: list[tuple[str, str]]) -> float:
    return sum(f[0] == label for f, (_, label) in zip(found, labelled, strict=True)) / len(found)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, help="a trained triage model (.tar.gz)")
    parser.add_argument("--batch", type=int, default=16, help="texts per batch")
    args = parser.parse_args()
    model, labelled = (args.model or triage_speed.default_model()).resolve(), cases()
    with tempfile.NamedTemporaryFile("w", suffix=".json", encoding="utf-8") as sink:
        json.dump(labelled, sink, ensure_ascii=False)
        sink.flush()
        python = Path(rasa_env()["PYTHONPATH"]) / ".venv" / "bin" / "python"
        done = subprocess.run([str(python), "-c", _INSIDE, str(model), sink.name, str(args.batch)],
                              env=rasa_env(), capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(done.stderr[-2000:])
    got = json.loads(done.stdout.strip().splitlines()[-1])
    single, batched = got["single"], got["batched"]
    agree = sum(s[0] == b[0] for s, b in zip(single, batched, strict=True))
    worst = max(abs(s[1] - b[1]) for s, b in zip(single, batched, strict=True))
    print(f"{len(labelled)} texts (held-out + out-of-scope), batch of {args.batch}, "
          f"{got['caches']} embedder cache(s) emptied before each way")
    print(f"accuracy one at a time {accuracy(single, labelled):.3f}, batched "
          f"{accuracy(batched, labelled):.3f}; same intent {agree}/{len(single)}; "
          f"largest confidence difference {worst:.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
