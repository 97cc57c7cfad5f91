from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.pdfgen.canvas import Canvas

from bots.form_processing.classify import MIN_SCORE, classify
from bots.form_processing.process import process
from bots.form_processing.template import templates
from rpa.documents import read_document
from tests.bots.form_processing.conftest import truth_of


def test_classify_picks_the_right_template_for_digital_forms(digital_forms: list[Path]) -> None:
    for path in digital_forms:
        (best, score), (_, runner_up) = classify(read_document(path), templates())[:2]
        assert best == truth_of(path)["form_type"], path.name
        assert score > 0.9 and runner_up < 0.5


@pytest.mark.parametrize("stem", ["change_of_address-000-scan", "health_declaration-001-scan"])
def test_classify_picks_the_right_template_for_scans(sample: Path, stem: str) -> None:
    path = next(sample.glob(f"{stem}.*[!n]"))
    (best, score) = classify(read_document(path), templates())[0]
    assert best == truth_of(path)["form_type"] and score >= MIN_SCORE


def test_classify_unknown_form_falls_back_to_generic(tmp_path: Path) -> None:
    path = tmp_path / "letter.pdf"
    c = Canvas(str(path))
    for n, line in enumerate(["Dear Sir,", "Name: CHAN Tai Man", "Reference: XY-2020-118",
                              "I write to ask about the opening hours of the library."]):
        c.drawString(72, 760 - 20 * n, line)
    c.save()
    result = process(path)
    assert result.form_type == "unknown" and result.template_score < MIN_SCORE
    assert {"key": "Name", "value": "CHAN Tai Man"}.items() <= result.fields[0].to_dict().items()
    # generic pairs carry the pairing model's confidence: sure ones need no review
    assert [(f.key, f.value) for f in result.fields] == [
        ("Name", "CHAN Tai Man"), ("Reference", "XY-2020-118")]
