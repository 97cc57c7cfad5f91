"""Document limits: settings shown by `smartlab config`, checked before anything is decoded,
and a fuzz test that the reader turns any bytes into pages or a SmartLab error."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from rpa.documents import DocumentRejected, ReaderFailed, ReadOptions, read_document
from rpa.documents.limits import NAMES, limit
from rpa.settings import ENGINE, SettingError

SAMPLE = Path(__file__).resolve().parents[3] / "examples" / "forms" / "sample"


def test_limits_are_listed_by_smartlab_config_with_their_defaults() -> None:
    listed = {s.name: s.default for s in ENGINE if s.name.startswith("SMARTLAB_DOC_")}
    assert listed == {"SMARTLAB_DOC_MAX_PAGES": "100", "SMARTLAB_DOC_MAX_PIXELS": "89478485",
                      "SMARTLAB_DOC_MAX_MB": "100"}
    assert [limit(name, {}) for name in NAMES] == [100, 89478485, 100]


def test_limit_setting_that_is_not_a_number_is_a_one_line_error() -> None:
    with pytest.raises(SettingError, match="SMARTLAB_DOC_MAX_PAGES='lots' is not a whole number"):
        limit("SMARTLAB_DOC_MAX_PAGES", {"SMARTLAB_DOC_MAX_PAGES": "lots"})
    with pytest.raises(SettingError, match="SMARTLAB_DOC_MAX_MB=0 must be above zero"):
        limit("SMARTLAB_DOC_MAX_MB", {"SMARTLAB_DOC_MAX_MB": "0"})
    assert limit("SMARTLAB_DOC_MAX_PAGES", {"SMARTLAB_DOC_MAX_PAGES": "7"}) == 7


def test_read_document_rejects_a_file_over_the_size_setting(tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    big = tmp_path / "scan.png"
    big.write_bytes(b"\x89PNG" + bytes(3 * 2**20))
    monkeypatch.setenv("SMARTLAB_DOC_MAX_MB", "2")
    with pytest.raises(DocumentRejected, match=r"scan.png: 3 MB, more than the 2 MB allowed"):
        read_document(big)


def test_read_document_rejects_an_image_over_the_pixel_setting(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "wide.png"
    Image.new("L", (400, 300), 255).save(path)
    monkeypatch.setenv("SMARTLAB_DOC_MAX_PIXELS", "100000")
    with pytest.raises(DocumentRejected, match=r"wide.png: image too large \(possible decompression bomb\)"):
        read_document(path)


def test_read_document_rejects_too_many_frames_before_decoding_them(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "fax.tiff"
    frames = [Image.new("L", (50, 50), 255) for _ in range(3)]
    frames[0].save(path, save_all=True, append_images=frames[1:])
    monkeypatch.setenv("SMARTLAB_DOC_MAX_PAGES", "2")
    with pytest.raises(DocumentRejected, match="fax.tiff: 3 pages, more than the 2 allowed"):
        read_document(path)


def _seeds() -> list[bytes]:
    pdf = next(SAMPLE.glob("*-digital.pdf"))
    buffer = io.BytesIO()
    Image.new("L", (60, 40), 255).save(buffer, format="PNG")
    return [pdf.read_bytes()[:6000], buffer.getvalue()]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.sampled_from([0, 1]), cut=st.integers(8, 4000),
       flips=st.lists(st.tuples(st.integers(0, 3999), st.integers(0, 255)), max_size=8))
def test_read_document_turns_any_bytes_into_pages_or_a_smartlab_error(
        tmp_path: Path, seed: int, cut: int, flips: list[tuple[int, int]]) -> None:
    data = bytearray(_seeds()[seed][:cut])
    for at, value in flips:
        if at < len(data):
            data[at] = value
    path = tmp_path / "fuzzed.bin"
    path.write_bytes(bytes(data))
    # rejected with a reason, or the machinery said it failed: both are handled; anything
    # else escaping (a pdfminer KeyError, a Pillow SyntaxError) fails the test
    with contextlib.suppress(DocumentRejected, ReaderFailed):
        pages = read_document(path, ReadOptions(mode="text") if data.startswith(b"%PDF")
                              else ReadOptions())
        assert all(p.width > 0 and p.height > 0 for p in pages)
