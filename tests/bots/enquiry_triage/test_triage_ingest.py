import json

import pytest

from bots.enquiry_triage.ingest import limit
from bots.enquiry_triage.ingest import read_enquiries as ingest

PLAIN = b"""From: a@mail.example
Subject: Street light
Date: Mon, 02 Mar 2026 09:00:00 +0800
Content-Type: text/plain; charset=utf-8

The street light outside my home is broken.
"""


@pytest.mark.parametrize(("content", "status", "reason"), [
    (b"", "empty", "file is empty"),
    (b"   \n\n", "empty", "file is empty"),
    (b"x" * (limit("SMARTLAB_TRIAGE_MAX_BYTES") + 1), "too_large", "bytes >"),
    (b"\x00\x01PK\x03\x04binary", "binary", "binary data"),
    (b"no headers here\njust text\n", "malformed", "no e-mail headers"),
    (b"From: a@b\n\n", "empty", "no text after cleaning"),
    (b"From: a@b\nContent-Type: text/html\n\n<p> </p>", "empty", "no text after cleaning"),
    (b"Subject: only a subject\n\n", "ok", ""),
])
def test_read_eml_gives_every_file_a_status(tmp_path, content, status, reason):
    path = tmp_path / "x.eml"
    path.write_bytes(content)
    [enquiry] = ingest(path)
    assert enquiry.status == status
    assert reason in enquiry.reason


def test_read_eml_takes_html_only_mail(tmp_path):
    path = tmp_path / "h.eml"
    path.write_bytes(b"From: a@b\nSubject: bins\nContent-Type: text/html; charset=utf-8\n\n"
                     b"<html><body><p>Rubbish <b>not</b> collected</p></body></html>\n")
    [enquiry] = ingest(path)
    assert (enquiry.status, enquiry.body) == ("ok", "Rubbish not collected")


def test_read_eml_survives_an_unknown_charset(tmp_path):
    path = tmp_path / "c.eml"
    path.write_bytes(b"From: a@b\nSubject: x\nContent-Type: text/plain; charset=klingon\n\n"
                     b"Pothole on the road\n")
    [enquiry] = ingest(path)
    assert enquiry.body == "Pothole on the road"


def test_read_eml_reads_headers_and_date(tmp_path):
    path = tmp_path / "p.eml"
    path.write_bytes(PLAIN)
    [enquiry] = ingest(path)
    assert enquiry.subject == "Street light"
    assert enquiry.received == "2026-03-02T09:00:00+08:00"
    assert enquiry.language == "en"


def test_ingest_keeps_every_sample_and_reads_the_good_ones(samples):
    found = ingest(samples / "inbox")
    assert len(found) == len(list((samples / "inbox").glob("*.eml")))
    by_name = {e.source.rsplit("/", 1)[-1]: e for e in found}
    assert by_name["11-empty.eml"].status == "empty"
    assert by_name["12-garbled.eml"].status == "binary"
    assert by_name["13-malformed.eml"].status == "malformed"
    assert by_name["01-burst-main-en.eml"].attachments == ["photo.png"]
    assert by_name["02-signboard-zh.eml"].language == "zh"
    assert by_name["06-welfare-mixed.eml"].language == "zh"
    assert "wrote:" not in by_name["04-tax-reply-en.eml"].body
    assert "iPhone" not in by_name["01-burst-main-en.eml"].body
    assert "gmail" not in by_name["03-library-html.eml"].body


def test_ingest_reads_csv_and_json_samples(samples):
    rows = ingest(samples / "web_form.csv")
    assert [e.id for e in rows][:2] == ["WEB-0001", "WEB-0002"]
    assert rows[5].body == "What's the best dim sum place near Central?"
    posts = ingest(samples / "social_media.json")
    assert [e.status for e in posts] == ["ok", "ok", "ok", "empty"]


@pytest.mark.parametrize(("name", "content", "status"), [
    ("bad.json", "{not json", "malformed"),
    ("scalar.json", json.dumps([1, 2]), "malformed"),
    ("empty.csv", "", "empty"),
    ("notes.txt", "hello", "malformed"),
])
def test_ingest_reports_unreadable_files(tmp_path, name, content, status):
    path = tmp_path / name
    path.write_text(content)
    [enquiry] = ingest(path)
    assert enquiry.status == status
