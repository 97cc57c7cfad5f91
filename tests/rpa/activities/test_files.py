"""File activities on a real temporary folder, confined to the roots the settings declare."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from rpa.activities import files
from rpa.activities.context import Context
from rpa.artifacts import run_folder
from rpa.errors import BusinessError


@pytest.fixture
def box(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A read-write root `box`, a read-only root `ro` and the artifacts folder, all under tmp."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SMARTLAB_FILE_ROOTS", str(tmp_path / "box"))
    monkeypatch.setenv("SMARTLAB_FILE_READ_ROOTS", str(tmp_path / "ro"))
    monkeypatch.setenv("SMARTLAB_ARTIFACTS", str(tmp_path / "artifacts"))
    for name in ("box", "ro", "outside"):
        (tmp_path / name).mkdir()
    return tmp_path / "box"


CTX = Context(run_id="run-1", flow="f", state="s", step=0)


def test_files_write_then_read_round_trips_each_format(box: Path) -> None:
    cases = {"text": "héllo 你好\n", "json": {"a": [1, 2], "名": "值"},
             "csv": [{"name": "Ada", "n": "1"}, {"name": "陳大文", "n": "2"}]}
    for fmt, content in cases.items():
        path = box / "sub" / f"x.{fmt}"
        assert files.write(CTX, path, content, format=fmt) == str(path)
        assert files.read(CTX, path, format=fmt) == content


def test_files_write_to_the_runs_artifact_folder_by_a_relative_path(box: Path) -> None:
    folder = run_folder("run-1")
    files.write(CTX, folder / "summary.txt", "ok")
    assert (folder.resolve() / "summary.txt").read_text() == "ok"


def test_files_read_missing_file_is_a_business_error(box: Path) -> None:
    with pytest.raises(BusinessError, match="file not found"):
        files.read(CTX, box / "nope.txt")


def test_files_read_bad_json_names_line_and_column(box: Path) -> None:
    path = box / "bad.json"
    path.write_text('{"a": 1,\n "b": }')
    with pytest.raises(BusinessError, match=r"bad.json:2:7: invalid JSON"):
        files.read(CTX, path, format="json")


def test_files_read_absolute_path_outside_the_roots_is_refused_naming_them(box: Path) -> None:
    with pytest.raises(BusinessError, match=r"/etc/passwd is outside the declared roots .*box.*SMARTLAB_FILE_ROOTS"):
        files.read(CTX, Path("/etc/passwd"))


def test_files_write_outside_the_roots_is_refused_and_writes_nothing(box: Path) -> None:
    target = box.parent / "outside" / "planted.sh"
    with pytest.raises(BusinessError, match="outside the declared roots"):
        files.write(CTX, target, "echo owned")
    assert not target.exists()


def test_files_dot_dot_is_refused_naming_the_root_it_leaves(box: Path) -> None:
    (box.parent / "outside" / "secret.txt").write_text("s")
    with pytest.raises(BusinessError, match=r"'\.\.' is not allowed .*leaves the root .*box"):
        files.read(CTX, box / ".." / "outside" / "secret.txt")
    with pytest.raises(BusinessError, match=r"'\.\.' is not allowed"):
        files.write(CTX, box / "a" / ".." / "b.txt", "x")  # even one that would stay inside


def test_files_symlink_leading_out_of_a_root_is_refused(box: Path) -> None:
    (box.parent / "outside" / "secret.txt").write_text("s")
    os.symlink(box.parent / "outside", box / "link")
    with pytest.raises(BusinessError, match=r"outside the declared roots \(it leaves the root .*box\)"):
        files.read(CTX, box / "link" / "secret.txt")
    with pytest.raises(BusinessError, match="outside the declared roots"):
        files.write(CTX, box / "link" / "new.txt", "x")
    assert not (box.parent / "outside" / "new.txt").exists()


def test_files_symlink_staying_inside_a_root_is_followed(box: Path) -> None:
    (box / "real.txt").write_text("inside")
    os.symlink(box / "real.txt", box / "alias.txt")
    assert files.read(CTX, box / "alias.txt") == "inside"


def test_files_read_only_root_is_read_but_not_written(box: Path) -> None:
    ro = box.parent / "ro"
    (ro / "data.csv").write_text("a\n1\n")
    assert files.read(CTX, ro / "data.csv", format="csv") == [{"a": "1"}]
    with pytest.raises(BusinessError, match="read-only root"):
        files.write(CTX, ro / "data.csv", "overwritten")
    with pytest.raises(BusinessError, match="read-only root"):
        files.move(CTX, ro / "data.csv", str(box) + "/")
    assert (ro / "data.csv").read_text() == "a\n1\n"


def test_files_quarantined_file_can_be_moved_but_never_read_or_copied(box: Path) -> None:
    quarantine = box / "forms" / "quarantine"
    quarantine.mkdir(parents=True)
    (box / "forms" / "evil.pdf").write_text("flow: evil\n")
    moved = files.move(CTX, box / "forms" / "evil.pdf", str(quarantine) + "/")
    files.write(CTX, quarantine / "evil.pdf.reason.txt", "not a PDF\n")
    for attempt in (lambda: files.read(CTX, Path(moved)), lambda: files.copy(CTX, Path(moved), str(box) + "/")):
        with pytest.raises(BusinessError, match="quarantined evidence"):
            attempt()
    assert files.glob(CTX, f"{box}/**/*.pdf") == []


def test_files_glob_is_sorted_recursive_and_leaves_out_links_leading_out(box: Path) -> None:
    for name in ("b.pdf", "a.pdf", "deep/c.pdf", "x.txt"):
        (box / name).parent.mkdir(parents=True, exist_ok=True)
        (box / name).write_text("x")
    (box.parent / "outside" / "o.pdf").write_text("x")
    os.symlink(box.parent / "outside" / "o.pdf", box / "z.pdf")
    assert files.glob(CTX, f"{box}/*.pdf") == [f"{box}/a.pdf", f"{box}/b.pdf"]
    assert len(files.glob(CTX, f"{box}/**/*.pdf")) == 3


def test_files_glob_outside_the_roots_is_refused(box: Path) -> None:
    with pytest.raises(BusinessError, match="outside the declared roots"):
        files.glob(CTX, "/etc/*")


def test_files_move_into_folder_and_again_is_a_no_op(box: Path) -> None:
    src, dst = box / "form.pdf", box / "processed"
    src.write_text("pdf")
    dst.mkdir()
    assert files.move(CTX, src, str(dst)) == str(dst / "form.pdf")
    assert files.move(CTX, src, str(dst)) == str(dst / "form.pdf")  # a resumed, re-issued move
    assert not src.exists() and (dst / "form.pdf").read_text() == "pdf"


def test_files_move_into_a_new_folder_named_with_a_slash(box: Path) -> None:
    src = box / "form.pdf"
    src.write_text("pdf")
    assert files.move(CTX, src, f"{box}/rejected/") == str(box / "rejected" / "form.pdf")


def test_files_move_out_of_the_roots_is_refused_and_keeps_the_file(box: Path) -> None:
    src = box / "form.pdf"
    src.write_text("pdf")
    with pytest.raises(BusinessError, match="outside the declared roots"):
        files.move(CTX, src, "/tmp/")
    assert src.read_text() == "pdf"


def test_files_copy_missing_source_is_a_business_error(box: Path) -> None:
    with pytest.raises(BusinessError, match="file not found"):
        files.copy(CTX, box / "nope", str(box / "there"))
