from __future__ import annotations

from bots.form_processing.phrases import cell_of, phrases
from rpa.documents import Page, Rulings, Word


def _word(text: str, x0: float, x1: float, top: float = 100.0) -> Word:
    return Word(text, (x0, top, x1, top + 20), 0.95, "ocr")


def _page(words: list[Word], rulings: Rulings = Rulings()) -> Page:
    return Page(1, 2480, 3508, "ocr", words, rulings=rulings)


def test_phrases_break_after_a_colon_at_a_wide_gap_and_at_a_ruled_line() -> None:
    words = [_word("Date", 100, 160), _word("of", 166, 190), _word("Birth:", 196, 270),
             _word("12/05/1990", 280, 420),          # after a colon: a new phrase
             _word("Name", 900, 970),                # a gap of 24 word heights
             _word("Chan", 1010, 1080), _word("Tai", 1086, 1130)]
    rulings = Rulings(vertical=[(995.0, 50.0, 200.0)])  # a cell border between Name and Chan
    assert [p.text for p in phrases(_page(words, rulings))] == [
        "Date of Birth:", "12/05/1990", "Name", "Chan Tai"]


def test_cell_of_is_the_nearest_ruled_box_around_a_phrase() -> None:
    rulings = Rulings(horizontal=[(50.0, 0.0, 2000.0), (150.0, 0.0, 2000.0), (400.0, 0.0, 2000.0)],
                      vertical=[(40.0, 0.0, 400.0), (600.0, 0.0, 400.0), (1200.0, 0.0, 400.0)])
    page = _page([], rulings)
    assert cell_of((700.0, 90.0, 900.0, 110.0), page) == (600.0, 50.0, 1200.0, 150.0)
    assert cell_of((700.0, 500.0, 900.0, 520.0), page) is None  # below the table
