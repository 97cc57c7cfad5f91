"""The bridge's own words exist in every language the robot speaks."""

from __future__ import annotations

import re

import pytest

from receptionist_robot.language import LANGUAGES, detect
from receptionist_robot.notices import NOTICES, notice

HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize("key", sorted(NOTICES))
def test_notice_in_each_language_reads_as_that_language(key: str) -> None:
    assert set(NOTICES[key]) == set(LANGUAGES)
    for lang in LANGUAGES:
        text = notice(key, lang)
        assert bool(HAN.search(text)) == (lang != "en"), (key, lang)
        assert detect(text, "en") == lang, (key, lang, text)


def test_notice_in_an_unknown_language_falls_back_to_english() -> None:
    assert notice("no_tour", "fr") == NOTICES["no_tour"]["en"]
