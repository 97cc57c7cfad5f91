"""E-mail ingest bounds: past a bound (bytes, parts, nesting, charsets) an e-mail is kept,
quarantined with the bound named in its reason, and never decoded."""

from __future__ import annotations

import pytest

from bots.enquiry_triage.ingest import QUARANTINED, limit
from bots.enquiry_triage.ingest import read_enquiries as ingest


def multipart(parts: int, charsets: int = 1) -> bytes:
    boundary = b"BOUND"
    head = b"From: a@b\nSubject: many\nMIME-Version: 1.0\n"
    head += b'Content-Type: multipart/mixed; boundary="BOUND"\n\n'
    body = b"".join(b"--" + boundary + b"\nContent-Type: text/plain; charset=cs%d\n\npart %d\n"
                    % (i % charsets if charsets > 1 else 0, i) for i in range(parts))
    return (head + body + b"--" + boundary + b"--\n").replace(b"charset=cs0", b"charset=utf-8")


def nested(depth: int) -> bytes:
    mail = b"Content-Type: text/plain\n\ninner text\n"
    for level in range(depth):
        b = b"B%d" % level
        mail = (b'Content-Type: multipart/mixed; boundary="' + b + b'"\n\n--' + b + b"\n"
                + mail + b"--" + b + b"--\n")
    return b"From: a@b\nSubject: deep\nMIME-Version: 1.0\n" + mail


@pytest.mark.parametrize(("setting", "value", "content", "reason"), [
    ("SMARTLAB_TRIAGE_MAX_PARTS", "10", multipart(20), "more than 10 MIME parts"),
    ("SMARTLAB_TRIAGE_MAX_DEPTH", "3", nested(6), "more than 3 levels of nesting"),
    ("SMARTLAB_TRIAGE_MAX_CHARSETS", "2", multipart(6, charsets=5), "more than 2 charsets"),
])
def test_read_eml_quarantines_an_email_past_a_bound(tmp_path, monkeypatch, setting, value,
                                                    content, reason):
    monkeypatch.setenv(setting, value)
    path = tmp_path / "x.eml"
    path.write_bytes(content)
    [enquiry] = ingest(path)
    assert (enquiry.status, enquiry.body) == (QUARANTINED, "")
    assert reason in enquiry.reason and setting in enquiry.reason


def test_read_eml_reads_an_email_within_its_bounds(tmp_path):
    path = tmp_path / "x.eml"
    path.write_bytes(multipart(5))
    [enquiry] = ingest(path)
    assert enquiry.status == "ok" and "part 0" in enquiry.body


def test_read_eml_refuses_a_file_over_the_byte_bound(tmp_path, monkeypatch):
    monkeypatch.setenv("SMARTLAB_TRIAGE_MAX_BYTES", "100")
    path = tmp_path / "x.eml"
    path.write_bytes(multipart(5))
    [enquiry] = ingest(path)
    assert enquiry.status == "too_large" and "> 100" in enquiry.reason


@pytest.mark.parametrize(("value", "expected"), [("7", 7), ("", 100), ("lots", 100), ("-3", 1)])
def test_limit_reads_its_setting_or_falls_back_to_the_default(monkeypatch, value, expected):
    monkeypatch.setenv("SMARTLAB_TRIAGE_MAX_PARTS", value)
    assert limit("SMARTLAB_TRIAGE_MAX_PARTS") == expected
