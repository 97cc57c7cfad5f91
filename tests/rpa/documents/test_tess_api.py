"""The Tesseract API child: the CLI's readings with the models kept loaded, and a crash of
the child (killed mid-page) costs one reading by the CLI, never the page."""

from __future__ import annotations

import logging
import os
import signal

import pytest
from PIL import Image, ImageDraw

from rpa.documents import ReaderFailed, tess_api
from rpa.documents.tess_api import API
from rpa.documents.tesseract import engine, recognise, recognise_many
from tests.support.waiting import eventually


def _line(text: str) -> Image.Image:
    img = Image.new("L", (900, 120), 255)
    ImageDraw.Draw(img).text((20, 30), text, fill=0, font_size=48)
    return img


def _gone(pid: int) -> bool:
    return API.pid() != pid


def test_api_reads_exactly_as_the_cli() -> None:
    img = _line("HKID A123456(3)")
    by_api = recognise(img, lang="eng", via="api")
    assert API.pid() is not None  # read by the child, not by the fallback
    assert by_api == recognise(img, lang="eng", via="cli")
    assert [w.text for w in by_api] == ["HKID", "A123456(3)"]


def test_api_child_keeps_serving_between_reads() -> None:
    recognise(_line("first"), lang="eng", via="api")
    pid = API.pid()
    assert [w.text for w in recognise(_line("second line"), lang="eng", via="api")] == \
        ["second", "line"]
    assert API.pid() == pid


def test_api_recognise_many_reads_each_crop(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SMARTLAB_OCR_ENGINE", "api")
    first, second = recognise_many([_line("HKID A123456(3)"), _line("hello world")], lang="eng")
    assert [w.text for w in first] == ["HKID", "A123456(3)"]
    assert [w.text for w in second] == ["hello", "world"]


@pytest.mark.parametrize("crash", [signal.SIGKILL, signal.SIGFPE])
def test_api_child_killed_mid_page_the_page_is_still_read(
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, crash: int) -> None:
    recognise(_line("warm"), lang="eng", via="api")
    victim = API.pid()
    sent = tess_api._write_all

    def send_then_crash(stream, data: bytes) -> None:  # the request is in; the child dies
        sent(stream, data)
        os.kill(victim, crash)

    monkeypatch.setattr(tess_api, "_write_all", send_then_crash)
    with caplog.at_level(logging.WARNING, logger="rpa.documents.tesseract"):
        words = recognise(_line("HKID A123456(3)"), lang="eng", via="api")
    assert [w.text for w in words] == ["HKID", "A123456(3)"]
    assert "reading this image with the CLI" in caplog.text
    monkeypatch.setattr(tess_api, "_write_all", sent)
    assert [w.text for w in recognise(_line("again"), lang="eng", via="api")] == ["again"]
    assert API.pid() not in (None, victim)  # a fresh child took over


def test_api_child_dead_before_a_read_is_replaced() -> None:
    recognise(_line("warm"), lang="eng", via="api")
    victim = API.pid()
    os.kill(victim, signal.SIGKILL)
    eventually(lambda: _gone(victim), what="the killed child to be seen dead")
    assert [w.text for w in recognise(_line("after"), lang="eng", via="api")] == ["after"]


def test_api_unknown_language_is_a_reader_failure() -> None:
    with pytest.raises(ReaderFailed, match="Tesseract failed"):
        recognise(_line("text"), lang="nosuchlang", via="api")


def test_api_cpu_is_counted_live_then_once_reaped() -> None:
    recognise(_line("count my cpu"), lang="eng", via="api")
    live = API.cpu_seconds()
    assert live > 0  # loading `eng` alone takes a tenth of a second
    before = os.times()
    API.stop()
    after = os.times()
    reaped = (after.children_user + after.children_system
              - before.children_user - before.children_system)
    assert API.pid() is None and API.cpu_seconds() == 0.0
    assert reaped >= live


def test_engine_setting_names_the_choices(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SMARTLAB_OCR_ENGINE", "CLI")
    assert engine() == "cli"
    monkeypatch.setenv("SMARTLAB_OCR_ENGINE", "gpu")
    with pytest.raises(ReaderFailed, match="SMARTLAB_OCR_ENGINE='gpu' is not one of api, cli"):
        engine()


def test_api_forked_worker_starts_its_own_child_and_leaves_the_parents() -> None:
    recognise(_line("parent"), lang="eng", via="api")
    parents_child = API.process
    answers, answer_end = os.pipe()
    go_on, go_on_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the worker lives on while the parent stops its child, then reads alone
        os.write(answer_end, b"r")
        os.read(go_on, 1)
        words = recognise(_line("worker"), lang="eng", via="api")
        ok = [w.text for w in words] == ["worker"] and API.pid() not in (None, parents_child.pid)
        os.write(answer_end, b"1" if ok else b"0")
        API.stop()
        os._exit(0)
    try:
        assert os.read(answers, 1) == b"r"
        API.stop()  # the fork closed its copy of the pipe: the child sees the end and exits
        assert parents_child.returncode == 0  # not killed after a wait
    finally:
        os.write(go_on_end, b"x")
        worker_read = os.read(answers, 1)
        os.waitpid(pid, 0)
    assert worker_read == b"1"
