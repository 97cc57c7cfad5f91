"""Sign-in, cookies, rate limiting and labels, through the app without a browser."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from rpa.auth import add_user, issue_token
from rpa.web import create_app
from rpa.web.console import i18n, login
from tests.rpa.web.console.browsing import PASSWORD

HELLO = "flow: hello\ninputs: {times: {type: int}}\nstates:\n  a: {next: b}\n  b: {final: success}\n"


@pytest.fixture
def client(tmp_path: Path) -> TestClient:
    login.limiter.__init__()  # each test starts with no failed attempts on record
    (tmp_path / "flows").mkdir()
    (tmp_path / "flows" / "hello.yaml").write_text(HELLO)
    app = create_app(f"sqlite:///{tmp_path / 'c.db'}", tmp_path / "flows")
    add_user(app.state.store.engine, "clerk", "staff", PASSWORD, actor="test")
    return TestClient(app)


def _try(client: TestClient, password: str, name: str = "clerk") -> object:
    form = client.get("/console/login")
    token = re.search(r'name="csrf" value="([^"]+)"', form.text).group(1)
    return client.post("/console/login", data={"username": name, "password": password, "csrf": token},
                       follow_redirects=False)


def test_console_session_cookie_is_httponly_and_samesite(client: TestClient) -> None:
    answer = _try(client, PASSWORD)
    assert answer.status_code == 303
    cookie = answer.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "smartlab_session=" in cookie


def test_console_login_is_rate_limited(client: TestClient) -> None:
    codes = [_try(client, "wrong password").status_code for _ in range(login.limiter.limit)]
    assert codes == [401] * login.limiter.limit
    blocked = _try(client, PASSWORD)  # even the right password waits out the window
    assert blocked.status_code == 429 and "Too many attempts" in blocked.text


def test_console_login_form_without_its_csrf_cookie_is_refused(client: TestClient) -> None:
    answer = client.post("/console/login", data={"username": "clerk", "password": PASSWORD, "csrf": "x"})
    assert answer.status_code == 403


def test_console_login_never_redirects_off_site(client: TestClient) -> None:
    form = client.get("/console/login")
    token = re.search(r'name="csrf" value="([^"]+)"', form.text).group(1)
    answer = client.post("/console/login", data={"username": "clerk", "password": PASSWORD, "csrf": token,
                                                 "next_path": "https://evil.example/"}, follow_redirects=False)
    assert answer.headers["location"] == "/console/"


def test_console_language_switch_shows_traditional_chinese(client: TestClient) -> None:
    _try(client, PASSWORD)
    client.get("/console/lang/zh?back=/console/runs")
    text = client.get("/console/runs").text
    assert "執行紀錄" in text and 'lang="zh-Hant-HK"' in text


def test_console_every_label_has_both_languages() -> None:
    missing = [k for k, pair in i18n.LABELS.items() if len(pair) != 2 or not all(p.strip() for p in pair)]
    assert missing == []
    assert i18n.translate("page_of", "zh", page=1, pages=2, total=3) == "第 1 頁，共 2 頁（合共 3 項）"


def test_console_templates_use_only_known_labels() -> None:
    folder = Path(i18n.__file__).parent / "templates"
    used = {m for f in folder.glob("*.html") for m in re.findall(r"t\('([a-z_]+)'", f.read_text())}
    assert used and used - set(i18n.LABELS) == set()


def test_console_api_errors_stay_json(client: TestClient) -> None:
    token = issue_token(client.app.state.store.engine, "clerk", actor="test")
    answer = client.get("/api/runs/nope", headers={"Authorization": f"Bearer {token}"})
    assert (answer.status_code, answer.json()) == (404, {"detail": "no run with id 'nope'"})
    page = client.get("/console/runs/nope")  # not signed in: the console sends people to sign in
    assert page.url.path == "/console/login"


def test_console_public_names() -> None:
    import rpa.web.console as console

    assert console.__all__ == sorted(console.__all__) == ["mount_console"]


def _csrf(client: TestClient, path: str = "/console/") -> str:
    return re.search(r'x-csrf-token": "([^"]+)"', client.get(path).text).group(1)


def test_console_start_form_shows_a_bad_input_and_starts_nothing(client: TestClient) -> None:
    _try(client, PASSWORD)
    answer = client.post("/console/flows/hello/start", data={"csrf": _csrf(client), "times": "many"})
    assert answer.status_code == 422 and "input &#39;times&#39;: expected int" in answer.text
    assert client.app.state.store.count() == 0
    started = client.post("/console/flows/hello/start", data={"csrf": _csrf(client), "times": "3"},
                          follow_redirects=False)
    run_id = started.headers["location"].rsplit("/", 1)[1]
    assert client.app.state.store.get(run_id).inputs == {"times": 3}


def test_console_logout_ends_the_session(client: TestClient) -> None:
    _try(client, PASSWORD)
    assert client.post("/console/logout", data={"csrf": _csrf(client)}, follow_redirects=False).status_code == 303
    assert client.get("/console/runs").url.path == "/console/login"


def test_console_run_stream_reports_the_state_then_ends_for_a_finished_run(client: TestClient) -> None:
    store = client.app.state.store
    run = store.create_run("hello", "hello.yaml", "a", {"times": 1}, status="ready")
    store.request_cancel(run.id)
    _try(client, PASSWORD)
    stream = client.get(f"/console/runs/{run.id}/stream")
    assert stream.headers["content-type"].startswith("text/event-stream")
    assert stream.text == "event: change\ndata: cancelled\n\nevent: end\ndata: \n\n"
