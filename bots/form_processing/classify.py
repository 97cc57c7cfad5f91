"""Which template fits a form: the share of its keywords and labels found on the pages."""

from __future__ import annotations

from bots.form_processing.layout import norm
from bots.form_processing.template import Template
from rpa.documents import Page

MIN_SCORE = 0.35  # below this the form is unknown: generic mode and review


def page_text(pages: list[Page]) -> str:
    return "".join(norm(w.text) for p in pages for w in p.words)


def score(template: Template, text: str) -> float:
    """Share of the template's keywords (weighted double) and labels present in `text`."""
    keywords = [norm(k) for words in template.keywords.values() for k in words]
    labels = [norm(t) for f in template.fields for t in f.label.texts()]
    hits = 2 * sum(k in text for k in keywords) + sum(t in text for t in labels)
    return hits / (2 * len(keywords) + len(labels)) if keywords or labels else 0.0


def classify(pages: list[Page], candidates: dict[str, Template]) -> list[tuple[str, float]]:
    """Every template with its score, best first."""
    text = page_text(pages)
    ranked = [(name, score(t, text)) for name, t in candidates.items()]
    return sorted(ranked, key=lambda item: -item[1])
