"""File activities on a real temporary folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from rpa.activities import files
from rpa.errors import BusinessError


def test_files_write_then_read_round_trips_each_format(tmp_path: Path) -> None:
    cases = {"text": "héllo 你好\n", "json": {"a": [1, 2], "名": "值"},
             "csv": [{"name": "Ada", "n": "1"}, {"name": "陳大文", "n": "2"}]}
    for fmt, content in cases.items():
        path = tmp_path / "sub" / f"x.{fmt}"
        assert files.write(path, content, format=fmt) == str(path)
        assert files.read(path, format=fmt) == content


def test_files_read_missing_file_is_a_business_error(tmp_path: Path) -> None:
    with pytest.raises(BusinessError, match="file not found"):
        files.read(tmp_path / "nope.txt")


def test_files_read_bad_json_names_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{"a": 1,\n "b": }')
    with pytest.raises(BusinessError, match=r"bad.json:2:7: invalid JSON"):
        files.read(path, format="json")


def test_files_glob_is_sorted_and_recursive(tmp_path: Path) -> None:
    for name in ("b.pdf", "a.pdf", "deep/c.pdf", "x.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    assert files.glob(f"{tmp_path}/*.pdf") == [f"{tmp_path}/a.pdf", f"{tmp_path}/b.pdf"]
    assert len(files.glob(f"{tmp_path}/**/*.pdf")) == 3


def test_files_move_into_folder_and_again_is_a_no_op(tmp_path: Path) -> None:
    src, dst = tmp_path / "form.pdf", tmp_path / "processed"
    src.write_text("pdf")
    dst.mkdir()
    assert files.move(src, str(dst)) == str(dst / "form.pdf")
    assert files.move(src, str(dst)) == str(dst / "form.pdf")  # a resumed, re-issued move
    assert not src.exists() and (dst / "form.pdf").read_text() == "pdf"


def test_files_move_into_a_new_folder_named_with_a_slash(tmp_path: Path) -> None:
    src = tmp_path / "form.pdf"
    src.write_text("pdf")
    assert files.move(src, f"{tmp_path}/rejected/") == str(tmp_path / "rejected" / "form.pdf")


def test_files_copy_missing_source_is_a_business_error(tmp_path: Path) -> None:
    with pytest.raises(BusinessError, match="file not found"):
        files.copy(tmp_path / "nope", str(tmp_path / "there"))
