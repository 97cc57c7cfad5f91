"""Similar past cases, top k by cosine similarity. The index only ever holds redacted text.

Given an `embed` function (text -> the classifier's own sentence embedding, from Rasa), cases
are compared by that embedding: one model for classification and search, paraphrase and both
languages alike. Without one (a pipeline that does not expose its embedding), TF-IDF over
character n-grams, so Chinese, which has no spaces, works as well as English.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics.pairwise import linear_kernel

from bots.enquiry_triage.redact import redact_text

NGRAMS = (1, 3)
MIN_SCORE = 0.05  # TF-IDF cosine
# e5 cosine: unrelated enquiries score 0.78-0.83 against the sample cases, the right case
# 0.89-0.95 (measured on examples/enquiries/resolved_cases.json)
MIN_DENSE_SCORE = 0.85
Embed = Callable[[str], Sequence[float]]


@dataclass(frozen=True)
class Case:
    id: str
    text: str
    department: str = ""
    resolution: str = ""


@dataclass(frozen=True)
class Match:
    case: Case
    score: float

    def as_dict(self) -> dict:
        return {**asdict(self.case), "score": round(self.score, 4)}


class CaseIndex:
    def __init__(self, cases: Iterable[Case], embed: Embed | None = None) -> None:
        self.cases = [Case(c.id, redact_text(c.text), c.department, redact_text(c.resolution))
                      for c in cases]
        self._vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=NGRAMS,
                                           sublinear_tf=True, lowercase=True)
        texts = [c.text for c in self.cases]
        self._matrix = self._vectorizer.fit_transform(texts) if texts else None
        self._embed = embed
        self._vectors = _unit([embed(t) for t in texts]) if embed and texts else None

    def __len__(self) -> int:
        return len(self.cases)

    @property
    def dense(self) -> bool:
        return self._vectors is not None

    def search(self, text: str, k: int = 3, vector: Sequence[float] | None = None
               ) -> list[Match]:
        """The k best cases; `vector` is the text's embedding when the caller has it."""
        if self._matrix is None or not text.strip():
            return []
        if self._vectors is not None and self._embed is not None:
            query = _unit([vector if vector else self._embed(redact_text(text))])
            return self._best((self._vectors @ query.T).ravel(), k, MIN_DENSE_SCORE)
        query = self._vectorizer.transform([redact_text(text)])
        return self._best(linear_kernel(query, self._matrix).ravel(), k, MIN_SCORE)

    def _best(self, scores: np.ndarray, k: int, min_score: float) -> list[Match]:
        best = scores.argsort()[::-1][:k]
        return [Match(self.cases[i], float(scores[i])) for i in best if scores[i] >= min_score]


def _unit(rows: list[Sequence[float]]) -> np.ndarray | None:
    """Rows scaled to length 1; None when the pipeline gave no embedding (TF-IDF then)."""
    if not rows or not all(len(r) for r in rows):
        return None
    matrix = np.asarray(rows, dtype=np.float32)
    return matrix / np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-9)


def case_from(data: dict) -> Case:
    return Case(str(data.get("id", "")), str(data.get("text", "")),
                str(data.get("department", "")), str(data.get("resolution", "")))
