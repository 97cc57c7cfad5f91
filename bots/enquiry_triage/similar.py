"""Similar past cases: TF-IDF over character n-grams (so Chinese, which has no spaces, works
as well as English), cosine similarity, top k. The index only ever holds redacted text."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics.pairwise import linear_kernel

from bots.enquiry_triage.redact import redact_text

NGRAMS = (1, 3)


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
    def __init__(self, cases: Iterable[Case]) -> None:
        self.cases = [Case(c.id, redact_text(c.text), c.department, redact_text(c.resolution))
                      for c in cases]
        self._vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=NGRAMS,
                                           sublinear_tf=True, lowercase=True)
        texts = [c.text for c in self.cases]
        self._matrix = self._vectorizer.fit_transform(texts) if texts else None

    def __len__(self) -> int:
        return len(self.cases)

    def search(self, text: str, k: int = 3, min_score: float = 0.05) -> list[Match]:
        if self._matrix is None or not text.strip():
            return []
        query = self._vectorizer.transform([redact_text(text)])
        scores = linear_kernel(query, self._matrix).ravel()
        best = scores.argsort()[::-1][:k]
        return [Match(self.cases[i], float(scores[i])) for i in best if scores[i] >= min_score]


def case_from(data: dict) -> Case:
    return Case(str(data.get("id", "")), str(data.get("text", "")),
                str(data.get("department", "")), str(data.get("resolution", "")))
