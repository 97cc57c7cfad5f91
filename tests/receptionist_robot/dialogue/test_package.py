from __future__ import annotations

import pytest

from receptionist_robot import kiosk
from receptionist_robot.speech import Speaker


def test_kiosk_all_is_sorted_and_exported() -> None:
    assert kiosk.__all__ == sorted(kiosk.__all__)
    assert all(hasattr(kiosk, name) for name in kiosk.__all__)


@pytest.mark.parametrize(("lang", "voice"), [("en", "en"), ("zh-HK", "yue"), ("zh-CN", "cmn"), ("xx", "en")])
def test_speaker_voice_per_language(lang: str, voice: str) -> None:
    speaker = Speaker(executable="sh")  # any installed program: only the command line is checked
    assert speaker.command("hi", lang)[1:] == ["-v", voice, "hi"]


def test_speaker_silent_when_not_installed() -> None:
    speaker = Speaker(executable="no-such-espeak-here")
    assert not speaker.available
    speaker.say("hello", "en")  # must not raise
