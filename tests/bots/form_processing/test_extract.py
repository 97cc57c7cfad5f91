from __future__ import annotations

from pathlib import Path

import pytest

from bots.form_processing import FormInvalid, check, process
from tests.bots.form_processing.conftest import truth_of

FLAW_REASONS = {
    "hkid_check_digit": "wrong check digit",
    "unsigned": "not signed",
    "no_declaration": "not ticked",
    "missing_phone": "required field is empty",
}
SCANS = ["change_of_address-000-scan", "health_declaration-001-scan",
         "licence_application-002-scan"]


def test_extract_reads_every_field_of_digital_forms(digital_forms: list[Path]) -> None:
    for path in digital_forms:
        truth, result = truth_of(path), process(path)
        got = {f.key: f.value for f in result.fields}
        assert got == truth["fields"], path.name
        flawed = {f.key for f in result.fields if f.problem}
        assert all(f.confidence == 1.0 for f in result.fields)
        assert bool(flawed) == bool(truth["flaws"])


def test_extract_gives_boxes_in_pdf_points_for_the_text_layer(sample: Path) -> None:
    result = process(sample / "licence_application-002-digital.pdf")
    hkid = result.field("hkid")
    assert hkid.unit == "pt" and hkid.source == "text"
    label_x1, value_x0 = hkid.key_box[2], hkid.value_box[0]
    assert label_x1 < value_x0 < 595 and hkid.key_box[1] == pytest.approx(hkid.value_box[1], abs=4)


@pytest.mark.parametrize("stem", SCANS)
def test_extract_accepts_only_correct_fields_on_scans(sample: Path, stem: str) -> None:
    path = next(p for p in sample.glob(f"{stem}.*") if p.suffix != ".json")
    truth, result = truth_of(path)["fields"], process(path)
    accepted = [f for f in result.fields if f.status() == "accepted"]
    wrong = [(f.key, f.value, truth[f.key]) for f in accepted if f.value != truth[f.key]]
    assert not wrong
    assert len(accepted) >= len(result.fields) / 2  # most of a clean scan needs no person
    assert all(f.unit == "px" and f.source == "ocr" for f in result.fields)


def test_check_rejects_each_flaw_with_a_clerk_reason(flawed_forms: list[Path]) -> None:
    seen = set()
    for path in flawed_forms:
        [flaw] = truth_of(path)["flaws"]
        with pytest.raises(FormInvalid) as info:
            check(process(path))
        assert FLAW_REASONS[flaw] in str(info.value), (path.name, str(info.value))
        assert "\n" not in str(info.value)
        seen.add(flaw)
    assert seen == set(FLAW_REASONS)


def test_check_passes_a_clean_digital_form(sample: Path) -> None:
    result = check(process(sample / "change_of_address-000-digital.pdf"))
    assert result.review() == [] and result.invalid() == {}


def test_extract_with_named_template_skips_classification(sample: Path) -> None:
    result = process(sample / "health_declaration-001-digital.pdf", template="health_declaration")
    assert result.form_type == "health_declaration" and result.template_score == 1.0


def test_extract_region_hint_limits_where_a_label_is_looked_for(sample: Path) -> None:
    from bots.form_processing.extract import extract
    from bots.form_processing.template import get_template
    from rpa.documents import read_document

    template = get_template("licence_application")
    date = template.field("date_signed")
    top_only = date.model_copy(update={"region": (0.0, 0.0, 1.0, 0.3)})
    fields = tuple(top_only if f.key == "date_signed" else f for f in template.fields)
    pages = read_document(sample / "licence_application-002-digital.pdf")
    found, _ = extract(pages, template.model_copy(update={"fields": fields}))
    by_key = {f.key: f for f in found}
    assert by_key["date_signed"].confidence == 0.0  # its label sits near the bottom of the page
    assert by_key["date_signed"].problem == "the field's label was not found on the form"


def test_extract_sees_missing_ink_on_scans(tmp_path: Path, generator) -> None:
    """Unsigned forms and unticked declarations, scanned at 150 dpi: never read as inked."""
    rate, generator.FLAW_RATE = generator.FLAW_RATE, 1.0
    try:  # seed 4 gives: change of address unsigned, health declaration unsigned,
        # licence application with the declaration not ticked
        files = generator.generate(tmp_path, count=3, seed=4, dpis=(150,))
    finally:
        generator.FLAW_RATE = rate
    for path in (p for p in files if "-scan." in p.name and p.suffix != ".json"):
        truth = truth_of(path)
        key = {"unsigned": "signature", "no_declaration": "declaration"}[truth["flaws"][0]]
        field = process(path).field(key)
        assert field.value is False, (path.name, key)
        assert field.status() in ("invalid", "review")
