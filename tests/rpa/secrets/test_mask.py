"""Masking secret values in data and in log records, as a handler writes them."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from rpa.secrets import Masker, SecretFilter, install_log_masking

MASKER = Masker(["s3cret", "s3cret-longer", ""])


@pytest.mark.parametrize(("value", "masked"), [
    ("pw=s3cret", "pw=***"),
    ("pw=s3cret-longer!", "pw=***!"),
    ({"url": "https://u:s3cret@h", "n": 3}, {"url": "https://u:***@h", "n": 3}),
    (["a", ("s3cret", None)], ["a", ("***", None)]),
    ({"s3cret": [{"deep": "xs3cretx"}]}, {"***": [{"deep": "x***x"}]}),
    (42, 42),
    ("nothing here", "nothing here"),
])
def test_masker_replaces_secret_values(value: Any, masked: Any) -> None:
    assert MASKER(value) == masked


def test_masker_ignores_empty_values() -> None:
    assert Masker([""]).values == ()
    assert Masker(["", "x1"])("ax1b") == "a***b"


def test_masker_add_makes_later_values_masked() -> None:
    masker = Masker()
    masker.add("late-value")
    assert masker("the late-value") == "the ***"


@pytest.fixture
def log_file(tmp_path: Path) -> Iterator[tuple[logging.Logger, Path]]:
    path = tmp_path / "smartlab.log"
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.addFilter(SecretFilter(Masker(["hunter2"])))
    logger = logging.getLogger("tests.secrets.mask")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield logger, path
    logger.removeHandler(handler)
    handler.close()


def test_secret_filter_masks_messages_args_and_tracebacks(
        log_file: tuple[logging.Logger, Path]) -> None:
    logger, path = log_file
    logger.info("login with %s", "hunter2")
    logger.info("password=hunter2 in the message")
    logger.info("mapping %(pw)s", {"pw": "hunter2"})
    try:
        raise ValueError("rejected hunter2")
    except ValueError:
        logger.exception("failed")
    logger.info("bad format %s %s", "hunter2")  # a broken call must not leak either
    text = path.read_text(encoding="utf-8")
    assert "hunter2" not in text
    for line in ["login with ***", "password=*** in the message", "mapping ***",
                 "ValueError: rejected ***", "bad format %s %s ('***',)"]:
        assert line in text.splitlines()


def test_install_log_masking_adds_one_filter_per_handler() -> None:
    handler = logging.StreamHandler()
    install_log_masking([handler])
    install_log_masking([handler])
    assert sum(isinstance(f, SecretFilter) for f in handler.filters) == 1
