"""A run's artifacts: the folder rule and its listing (plain files in a tmp folder), the file
route's refusals, the run page in real Chromium, and a real flow whose screenshot and failed
step's evidence show up on its page."""

from __future__ import annotations

import http.client
import json
import os
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from rpa.artifacts import find_artifact, kind_of, list_artifacts, root, run_folder
from rpa.browser import BrowserConfig, sessions
from rpa.browser.listener import BrowserListener
from rpa.engine import Runner
from rpa.flow import CompiledFlow
from rpa.secrets import known_secrets
from rpa.store import RunStore
from rpa.web.console.artifacts import read_preview, size_text
from tests.rpa.web.console.browsing import Server, shot, sign_in
from tests.support.axe import violations

SCREENSHOT_FLOW = """\
flow: snapshot
inputs:
  url: {type: str}
states:
  look:
    do:
      - {activity: browser.open, with: {url: "{{ inputs.url }}"}}
      - {activity: browser.screenshot, with: {name: sign-in}, as: shot}
      - {activity: browser.click, with: {selector: "#no-such-button", timeout: 1}}
    catch:
      - {error: BusinessError, goto: done, as: problem}
    next: done
  done: {final: success}
"""


def _png(path: Path, size: tuple[int, int] = (64, 48)) -> Path:
    Image.new("RGB", size, "steelblue").save(path)
    return path


def _stamp(path: Path, at: float) -> Path:
    os.utime(path, (at, at))
    return path


def _run_files(folder: Path) -> None:
    """A screenshot, a failed step's trace, a JSON output and a log, made in that order."""
    folder.mkdir(parents=True, exist_ok=True)
    _stamp(_png(folder / "case.png", (320, 200)), 1_700_000_001)
    with zipfile.ZipFile(folder / "001-browser.click-failed.trace.zip", "w") as trace:
        trace.writestr("trace.trace", "{}\n")
    _stamp(folder / "001-browser.click-failed.trace.zip", 1_700_000_002)
    (folder / "result.json").write_text(json.dumps({"case": "LA-2024-000001", "名稱": "陳大文"}),
                                        encoding="utf-8")
    _stamp(folder / "result.json", 1_700_000_003)
    (folder / "notes.txt").write_text("ok")
    _stamp(folder / "notes.txt", 1_700_000_004)


# -- the folder rule and the listing, on plain files ------------------------------------------

def test_artifacts_listing_gives_name_kind_size_oldest_first(tmp_path: Path) -> None:
    _run_files(tmp_path)
    found = list_artifacts(tmp_path)
    assert [(a.name, a.kind) for a in found] == [
        ("case.png", "image"), ("001-browser.click-failed.trace.zip", "trace"),
        ("result.json", "json"), ("notes.txt", "other")]
    assert found[3].size == 2 and found[0].modified == 1_700_000_001
    assert found[0].media_type == "image/png" and found[2].media_type == "application/json"


def test_artifacts_listing_skips_hidden_files_subfolders_and_links_out(tmp_path: Path) -> None:
    folder, outside = tmp_path / "run1", _png(tmp_path / "secret.png")
    folder.mkdir()
    _png(folder / "kept.png")
    (folder / ".result.json.tmp").write_text("{}")  # files.write's half-written file
    (folder / "sub").mkdir()
    (folder / "sub" / "deep.png").write_bytes(b"x")
    (folder / "escape.png").symlink_to(outside)
    (folder / "alias.png").symlink_to(folder / "kept.png")  # a link that stays inside is fine
    assert sorted(a.name for a in list_artifacts(folder)) == ["alias.png", "kept.png"]


def test_artifacts_listing_of_a_run_without_folder_is_empty(tmp_path: Path) -> None:
    assert list_artifacts(tmp_path / "never-made") == []


@pytest.mark.parametrize("name", ["..", ".", "", "../secret.png", "/etc/passwd", "sub/deep.png", "sub",
                                  ".hidden.json", "escape.png", "missing.png", "a\\b.png", "nul\x00.png"])
def test_artifact_lookup_refuses_anything_but_a_file_of_the_folder(tmp_path: Path, name: str) -> None:
    folder = tmp_path / "run1"
    (folder / "sub").mkdir(parents=True)
    _png(tmp_path / "secret.png")
    (folder / "sub" / "deep.png").write_bytes(b"x")
    (folder / ".hidden.json").write_text("{}")
    (folder / "escape.png").symlink_to(tmp_path / "secret.png")
    assert find_artifact(folder, name) is None


def test_artifact_run_folder_is_under_the_root_and_never_climbs_out(tmp_path: Path) -> None:
    assert root({}) == Path(".smartlab/artifacts")
    assert root({"SMARTLAB_ARTIFACTS": str(tmp_path)}) == tmp_path
    assert run_folder("3f2a9c0d11e4b5a6", tmp_path) == tmp_path / "3f2a9c0d11e4b5a6"
    assert run_folder("..", tmp_path).parent == tmp_path
    assert run_folder("../../etc", tmp_path).parent == tmp_path
    assert kind_of("X.JPEG") == "image" and kind_of("page.svg") == "other" and kind_of("a.zip") == "other"


def test_artifact_browser_sessions_write_into_the_run_folder(tmp_path: Path) -> None:
    config = BrowserConfig.from_env({"SMARTLAB_ARTIFACTS": str(tmp_path)})
    assert config.artifacts == tmp_path
    assert BrowserConfig.from_env({}).artifacts == root({})


def test_artifact_json_preview_is_pretty_capped_and_masks_known_secrets(tmp_path: Path) -> None:
    known_secrets.add("hunter2-artifact")
    small = tmp_path / "a.json"
    small.write_text('{"user": "officer", "password": "hunter2-artifact"}')
    text, cut = read_preview(small)
    assert not cut and text == '{\n  "user": "officer",\n  "password": "***"\n}'
    big = tmp_path / "b.json"
    big.write_text(json.dumps(list(range(10_000))))
    text, cut = read_preview(big, limit=100)
    assert cut and len(text) == 100
    assert (size_text(812), size_text(2048), size_text(3 << 20)) == ("812 B", "2.0 KB", "3.0 MB")


# -- the run page and the file route, in real Chromium ----------------------------------------

@pytest.fixture
def artifacts_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The console (in this process) reads SMARTLAB_ARTIFACTS at each request."""
    monkeypatch.setenv("SMARTLAB_ARTIFACTS", str(tmp_path / "artifacts"))
    return tmp_path / "artifacts"


def _new_run(console: Server) -> str:
    flow = console.app.state.catalog.by_name("review_demo")
    run = console.app.state.store.create_run(flow.name, flow.path, "check", {"applicant": "x"},
                                             status="waiting")
    return run.id


def test_console_run_page_shows_screenshot_trace_and_json(console: Server, page: Page,
                                                          artifacts_root: Path) -> None:
    run_id = _new_run(console)
    _run_files(run_folder(run_id))
    sign_in(page, console.url, "clerk")
    page.goto(f"{console.url}/console/runs/{run_id}")
    section = page.get_by_test_id("artifacts")
    image = section.get_by_role("img", name="case.png")
    expect(image).to_be_visible()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())
    assert image.evaluate("img => img.naturalWidth") == 320
    expect(section.get_by_role("link", name="001-browser.click-failed.trace.zip")).to_be_visible()
    expect(section).to_contain_text("playwright show-trace 001-browser.click-failed.trace.zip")
    expect(section.get_by_test_id("json-preview")).to_contain_text('"名稱": "陳大文"')
    expect(section.locator("tr[data-kind=other]")).to_contain_text("notes.txt")
    shot(page, "run-artifacts")
    assert violations(page) == []  # WCAG 2.1 A/AA (axe-core)
    with page.expect_download() as download:
        section.get_by_role("link", name="result.json").click()
    assert json.loads(Path(download.value.path()).read_text(encoding="utf-8"))["case"] == "LA-2024-000001"


def test_console_run_page_says_when_there_are_no_artifacts(console: Server, page: Page,
                                                           artifacts_root: Path) -> None:
    run_id = _new_run(console)
    sign_in(page, console.url, "clerk")
    page.goto(f"{console.url}/console/lang/zh?back=/console/runs/{run_id}")
    expect(page.get_by_test_id("no-artifacts")).to_have_text(
        "此執行未有留下產出檔案（螢幕截圖、追蹤紀錄、JSON 檔案）。")
    shot(page, "run-artifacts-none-zh")


def test_console_artifact_route_types_and_dispositions(console: Server, page: Page,
                                                       artifacts_root: Path) -> None:
    run_id = _new_run(console)
    _run_files(run_folder(run_id))
    sign_in(page, console.url, "clerk")
    base = f"{console.url}/console/runs/{run_id}/artifacts"
    image, trace = page.request.get(f"{base}/case.png"), page.request.get(f"{base}/001-browser.click-failed.trace.zip")
    assert (image.status, image.headers["content-type"]) == (200, "image/png")
    assert image.headers["content-disposition"].startswith("inline")
    assert image.headers["x-content-type-options"] == "nosniff"
    assert trace.headers["content-type"] == "application/zip"
    assert trace.headers["content-disposition"].startswith("attachment")
    assert page.request.get(f"{base}/notes.txt").headers["content-type"] == "application/octet-stream"


def _raw_status(console: Server, page: Page, path: str) -> int:
    """GET a path exactly as written (Chromium and Playwright would normalise `..` away)."""
    cookie = "; ".join(f"{c['name']}={c['value']}" for c in page.context.cookies())
    host, port = console.url.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        conn.request("GET", path, headers={"Cookie": cookie})
        return conn.getresponse().status
    finally:
        conn.close()


def test_console_artifact_route_refuses_traversal_and_strangers(console: Server, page: Page,
                                                                artifacts_root: Path) -> None:
    run_id = _new_run(console)
    folder = run_folder(run_id)
    _run_files(folder)
    (folder / "escape.json").symlink_to(console.root / "console.db")
    sign_in(page, console.url, "clerk")
    base = f"/console/runs/{run_id}/artifacts"
    assert _raw_status(console, page, f"{base}/case.png") == 200
    for name in ("..", "%2E%2E", "../../../console.db", "..%2F..%2F..%2Fconsole.db", "%2Fetc%2Fpasswd",
                 "escape.json", ".%2Fcase.png", "nope.png"):
        assert _raw_status(console, page, f"{base}/{name}") == 404, name
    assert _raw_status(console, page, "/console/runs/no-such-run/artifacts/case.png") == 404
    stranger = page.context.browser.new_context()
    try:
        answer = stranger.request.get(f"{console.url}{base}/case.png", max_redirects=0)
        assert answer.status == 303 and "/console/login" in answer.headers["location"]
    finally:
        stranger.close()


# -- end to end: a flow's own screenshot on its run page --------------------------------------

@pytest.fixture
def run_browser(artifacts_root: Path) -> Iterator[None]:
    """The process's browser sessions write where the console looks, for this test only."""
    before = sessions.config
    sessions.configure(BrowserConfig(artifacts=artifacts_root, timeout=10))
    yield
    sessions.configure(before)


def test_console_shows_the_screenshot_a_flow_took(console: Server, page: Page, run_browser: None,
                                                  compiled: Callable[[str], CompiledFlow]) -> None:
    store = RunStore(str(console.app.state.store.engine.url))
    try:
        result = Runner(store, BrowserListener()).start(compiled(SCREENSHOT_FLOW),
                                                        {"url": f"{console.url}/console/login"})
    finally:
        store.close()
    assert result.ok, result.error
    assert Path(result.vars["shot"]) == run_folder(result.run_id) / "sign-in.png"
    sign_in(page, console.url, "clerk")
    page.goto(f"{console.url}/console/runs/{result.run_id}")
    image = page.get_by_test_id("artifacts").get_by_role("img", name="sign-in.png")
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())
    assert image.evaluate("img => img.naturalWidth") == 1280  # the browser's viewport, full page
    evidence = "001-browser.click_no-such-button-failed"  # the failed click's screenshot and trace
    expect(page.get_by_role("img", name=f"{evidence}.png")).to_be_visible()
    expect(page.get_by_role("link", name=f"{evidence}.trace.zip")).to_be_visible()
    assert zipfile.is_zipfile(run_folder(result.run_id) / f"{evidence}.trace.zip")
    shot(page, "run-artifacts-from-flow")
