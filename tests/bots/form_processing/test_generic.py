from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bots.form_processing import process
from bots.form_processing.layout import norm
from tests.bots.form_processing.conftest import truth_of


def _pairs(path: Path) -> dict[str, str]:
    return {f.key.replace(" ", "").lower(): f.value for f in process(path, generic=True).fields}


def test_generic_pairs_labels_beside_values_on_a_digital_form(sample: Path) -> None:
    path = sample / "licence_application-002-digital.pdf"
    pairs, truth = _pairs(path), truth_of(path)["fields"]
    assert pairs["hkidcardno.香港身份證號碼"] == truth["hkid"]
    assert pairs["nameofbusiness店舖名稱"] == truth["business_name"]


def test_generic_pairs_labels_above_values(sample: Path) -> None:
    path = sample / "change_of_address-000-digital.pdf"
    pairs, truth = _pairs(path), truth_of(path)["fields"]
    assert pairs["hkidcardno.香港身份證號碼"] == truth["hkid"]
    assert pairs["nameofapplicant申請人姓名"] == truth["applicant_name"]


def test_generic_finds_sensible_pairs_on_an_unseen_scan(unseen_scan: Callable[[str], Path]) -> None:
    path = unseen_scan("licence_application")
    truth = truth_of(path)["fields"]
    result = process(path, generic=True)
    pairs = {f.value.replace(" ", ""): f.key for f in result.fields}
    assert result.form_type == "unknown" and len(result.fields) >= 3
    found = [(v, k) for v, k in pairs.items() if v in (truth["hkid"], truth["email"])]
    assert found, pairs
    assert all(("身份證" in k or "HKID" in k) if v == truth["hkid"] else "mail" in k.lower()
               for v, k in found), found


# --- a page drawn for the purpose: table, tick boxes, two-line answer, blank label, Chinese ---

def _canvas_module():
    folder = str(Path(__file__).resolve().parents[3] / "examples" / "forms")
    if folder not in sys.path:
        sys.path.insert(0, folder)
    import generic_page

    return generic_page


@pytest.fixture(scope="module")
def drawn_form(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    gp = _canvas_module()
    cv = gp.Canvas(300)
    label, hand = gp.Pen("print", 0, 11), gp.Pen("print", 1, 12)
    zh = gp.Pen("print_zh", 0, 12)
    boxes: dict[str, Any] = {}
    cv.text(50, 40, "Supplier Information Sheet", gp.Pen("print", 0, 15))
    boxes["Company Name"] = cv.text(50, 90, "Company Name:", label)
    boxes["Golden Bakery Ltd."] = cv.text(170, 89, "Golden Bakery Ltd.", hand)
    cv.text(50, 125, "Address:", label)
    cv.text(170, 124, "Flat 3, 12/F, Harbour View Court", hand)
    cv.text(170, 141, "88 Nathan Road, Kowloon", hand)
    cv.text(50, 185, "姓名:", zh)
    cv.text(170, 184, "陳大文", zh)
    cv.text(50, 225, "Payment Method:", label)
    x = 200
    for option, ticked in (("Cash", False), ("Cheque", True), ("Transfer", True)):
        cv.tick_box(x, 226, 11, ticked)
        cv.text(x + 15, 225, option, label)
        x += 30 + cv.width(option, label)
    heads = ["Item", "Quantity", "Unit Price"]
    rows = [["Toner", "12", "350.00"], ["Desk lamp", "3", "189.50"], ["Printer paper", "40", "42.00"]]
    for c, head in enumerate(heads):
        cv.rect(50 + c * 160, 270, 210 + c * 160, 292, fill=235)
        cv.text(54 + c * 160, 275, head, label)
        for r, row in enumerate(rows):
            cv.rect(50 + c * 160, 292 + r * 24, 210 + c * 160, 316 + r * 24)
            cv.text(56 + c * 160, 296 + r * 24, row[c], hand)
    cv.text(50, 420, "Signature:", label)
    cv.hline(130, 330, 434)
    path = tmp_path_factory.mktemp("drawn") / "supplier.png"
    cv.image.convert("L").save(path, dpi=(300, 300))
    return path, boxes


@pytest.fixture(scope="module")
def drawn_pairs(drawn_form: tuple[Path, dict]) -> list:
    return process(drawn_form[0], generic=True).fields


def _values(fields: list, key: str) -> list[str]:
    return [f.value for f in fields if f.key.lower() == key.lower()]


def test_generic_pairs_a_table_header_with_every_value_of_its_column(drawn_pairs: list) -> None:
    assert sorted(_values(drawn_pairs, "Quantity")) == ["12", "3", "40"]
    assert "Desk lamp" in _values(drawn_pairs, "Item")


def test_generic_takes_a_ticked_option_as_an_answer_and_not_an_unticked_one(
        drawn_pairs: list) -> None:
    # `Cheque`, ticked too, is read at confidence 0 beside its tick and left out (docs: gaps)
    answers = _values(drawn_pairs, "Payment Method")
    assert "Transfer" in answers and "Cash" not in answers


def test_generic_joins_a_two_line_answer(drawn_pairs: list) -> None:
    assert [norm(v) for v in _values(drawn_pairs, "Address")] == [
        norm("Flat 3, 12/F, Harbour View Court 88 Nathan Road, Kowloon")]


def test_generic_reads_a_chinese_label_in_its_second_look(drawn_pairs: list) -> None:
    assert _values(drawn_pairs, "姓名") == ["陳大文"]


def test_generic_leaves_a_label_without_an_answer_unpaired(drawn_pairs: list) -> None:
    assert not [f for f in drawn_pairs if "signature" in f.key.lower()]


def test_generic_pairs_keep_their_boxes_on_the_page_image(drawn_pairs: list,
                                                          drawn_form: tuple[Path, dict]) -> None:
    field = next(f for f in drawn_pairs if f.key == "Company Name")
    assert field.unit == "px" and field.value == "Golden Bakery Ltd."
    for drawn, found in ((drawn_form[1]["Company Name"], field.key_box),
                         (drawn_form[1]["Golden Bakery Ltd."], field.value_box)):
        middle = ((drawn[0] + drawn[2]) / 2, (drawn[1] + drawn[3]) / 2)
        assert found[0] <= middle[0] <= found[2] and found[1] <= middle[1] <= found[3]
