from __future__ import annotations

import pytest

from receptionist_robot.rasa_channel import Button, RasaChannel, RasaUnavailable, Reply, replies_of
from tests.receptionist_robot.dialogue.conftest import _free_port


@pytest.mark.parametrize(("messages", "expected"), [
    ([{"recipient_id": "a", "text": "hi"}], [Reply("hi")]),
    ([{"custom": {"robot": {"action": "pause"}}}], [Reply(custom={"robot": {"action": "pause"}})]),
    ([{"text": "ok?", "buttons": [{"title": "Yes", "payload": "/affirm"}]}],
     [Reply("ok?", (Button("Yes", "/affirm"),))]),
    ([{"custom": "not a dict"}], [Reply()]),
])
def test_replies_of_rasa_messages(messages: list, expected: list) -> None:
    assert replies_of(messages) == expected


def test_channel_unreachable_is_rasa_unavailable() -> None:
    channel = RasaChannel(f"http://127.0.0.1:{_free_port()}", timeout=2)
    with pytest.raises(RasaUnavailable):
        channel.send("visitor-1", "hello")
