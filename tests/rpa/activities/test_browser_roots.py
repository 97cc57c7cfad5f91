"""browser.upload and browser.screenshot reach only the declared roots (issue 20); each
refusal comes before a browser is started."""

from __future__ import annotations

from pathlib import Path

import pytest

from rpa.activities import Context, browser
from rpa.errors import BusinessError
from tests.support.roots import EXAMPLES, HOSTILE, RUN_ID, WRITES, Roots, declare

CTX = Context(run_id=RUN_ID, flow="f", state="s", step=0)
DOCUMENT = EXAMPLES / "forms" / "sample" / "change_of_address-000-digital.pdf"


@pytest.fixture(autouse=True)
def roots(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Roots:
    return declare(tmp_path, monkeypatch, DOCUMENT)


@pytest.mark.parametrize("case", HOSTILE)
def test_browser_upload_refuses_a_file_leaving_the_roots(roots: Roots, case: str) -> None:
    path, says = roots.hostile(case, DOCUMENT.name)
    with pytest.raises(BusinessError, match=says):
        browser.upload(CTX, "#file", [roots.box / DOCUMENT.name, path])


@pytest.mark.parametrize("case", WRITES)
def test_browser_screenshot_refuses_a_path_leaving_the_roots(roots: Roots, case: str) -> None:
    path, says = roots.hostile(case, DOCUMENT.name)  # over the document: refused, so never written
    before = (roots.outside / DOCUMENT.name).read_bytes()
    with pytest.raises(BusinessError, match=says):
        browser.screenshot(CTX, path=path)
    assert (roots.outside / DOCUMENT.name).read_bytes() == before
