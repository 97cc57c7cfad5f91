"""Each spelling a secret takes on the way out is masked: URL, form, JSON, HTML, base64."""

from __future__ import annotations

import base64
import json
import logging
from urllib.parse import quote, quote_plus

import httpx
import pytest

from rpa.secrets import Masker
from rpa.secrets.encodings import spellings
from rpa.secrets.mask import mask_record

VALUE = 'Zq9 S3cr/t+K=y&v!"é'


@pytest.mark.parametrize(("name", "shown"), [
    ("url-encoded", f"GET /echo?k={quote(VALUE, safe='')}"),
    ("url-encoded, / kept", f"GET /a/{quote(VALUE)}/b"),
    ("form-encoded", f"body k={quote_plus(VALUE, safe='')}&x=1"),
    ("httpx's query", str(httpx.Request("GET", "http://h/echo", params={"k": VALUE}).url)),
    ("JSON-escaped", json.dumps({"k": VALUE})),
    ("JSON-escaped, ASCII only", json.dumps({"k": VALUE}, ensure_ascii=False)),
    ("HTML-escaped", "<td>Zq9 S3cr/t+K=y&amp;v!&quot;é</td>"),
    *[(f"base64 after {prefix!r}", "Basic " + base64.b64encode(f"{prefix}{VALUE}".encode()).decode())
      for prefix in ("", "u:", "us:", "user:")],
    ("urlsafe base64", base64.urlsafe_b64encode(f"x{VALUE}y".encode()).decode()),
])
def test_masker_masks_each_encoding_of_a_secret(name: str, shown: str) -> None:
    masked = Masker([VALUE]).text(shown)
    assert "***" in masked
    assert not any(s in masked for s in spellings(VALUE)), name


def test_spellings_leave_out_base64_fragments_too_short_to_be_safe() -> None:
    assert Masker(["ab"]).values == ("ab",)  # base64 "YWI" would mask ordinary text
    assert all(len(s) >= 6 for s in spellings("abcdefgh") if s.isalnum() and s != "abcdefgh")


def test_mask_record_keeps_the_shape_of_uvicorns_access_arguments() -> None:
    record = logging.LogRecord("uvicorn.access", logging.INFO, __file__, 1, '%s - "%s %s HTTP/%s" %d',
                               ("127.0.0.1:5", "GET", f"/echo?k={quote_plus(VALUE)}", "1.1", 200), None)
    mask_record(record, Masker([VALUE]))
    assert record.args == ("127.0.0.1:5", "GET", "/echo?k=***", "1.1", 200)


def test_mask_record_masks_an_object_argument_that_prints_a_secret() -> None:
    url = httpx.URL("http://h/echo", params={"k": VALUE})
    record = logging.LogRecord("httpx", logging.INFO, __file__, 1, "HTTP Request: %s %s", ("GET", url), None)
    mask_record(record, Masker([VALUE]))
    assert record.getMessage() == "HTTP Request: GET http://h/echo?k=***"
