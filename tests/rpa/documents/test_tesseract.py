from __future__ import annotations

from PIL import Image, ImageDraw

from rpa.documents import recognise
from rpa.documents.tesseract import _page_rows, _words, recognise_many


def _data(rows: list[tuple[int, str, int, int, int, int, float]]) -> dict[str, list]:
    keys = ("level", "text", "left", "top", "width", "height", "conf")
    data: dict[str, list] = {k: [r[i] for r in rows] for i, k in enumerate(keys)}
    data.update(block_num=[1] * len(rows), par_num=[1] * len(rows), line_num=[1] * len(rows))
    return data


def test_words_give_a_squashed_cjk_box_its_line_height() -> None:
    data = _data([(4, "", 800, 420, 110, 45, -1), (5, "黃", 807, 434, 38, 27, 92),
                  (5, "儀", 899, 422, 3, 1, 92)])
    yellow, name = _words(data)
    assert yellow.box == (807, 434, 845, 461)
    assert name.box[1] == 420 and name.box[3] == 465 and name.box[2] > 899 + 30


def test_words_skip_empty_and_non_word_rows() -> None:
    data = _data([(4, "", 0, 0, 100, 20, -1), (5, " ", 0, 0, 10, 20, 95), (5, "A1", 0, 0, 20, 20, 87)])
    [word] = _words(data)
    assert word.text == "A1" and word.conf == 0.87 and word.source == "ocr"


def test_recognise_reads_a_rendered_line() -> None:
    img = Image.new("L", (900, 120), 255)
    ImageDraw.Draw(img).text((20, 30), "HKID A123456(3)", fill=0, font_size=48)
    words = recognise(img, lang="eng")
    assert [w.text for w in words] == ["HKID", "A123456(3)"]
    assert all(w.conf > 0.5 for w in words)


def test_page_rows_keep_one_images_rows() -> None:
    data = {"page_num": [1, 1, 2], "text": ["a", "b", "c"]}
    assert _page_rows(data, 2) == {"page_num": [2], "text": ["c"]}


def test_recognise_many_reads_each_image_in_one_run() -> None:
    images = []
    for text in ("HKID A123456(3)", "hello world"):
        img = Image.new("L", (900, 120), 255)
        ImageDraw.Draw(img).text((20, 30), text, fill=0, font_size=48)
        images.append(img)
    first, second = recognise_many(images, lang="eng")
    assert [w.text for w in first] == ["HKID", "A123456(3)"]
    assert [w.text for w in second] == ["hello", "world"]
    assert recognise_many([], lang="eng") == []
