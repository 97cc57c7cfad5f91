"""What a reviewer of the console checks beyond roles: security headers on every answer, no
inline script for the CSP to need, stored text escaped, no open redirect, sign-in lockout
and the session cookie's flags."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from rpa.auth import add_user
from rpa.web import create_app
from rpa.web.console import login
from rpa.web.console.guard import COOKIE
from rpa.web.console.sessions import RateLimiter, open_session
from rpa.web.headers import HEADERS
from tests.rpa.web.test_access_matrix import ROUTES, STREAMS, url_of

TEMPLATES = Path(login.__file__).parent / "templates"
PASSWORD = "a long enough password"
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    login.limiter.__init__()
    tmp_path = tmp_path_factory.mktemp("headers")
    (tmp_path / "flows").mkdir()
    (tmp_path / "flows" / "hostile.yaml").write_text(
        f"flow: hostile\ndescription: '{HOSTILE}'\ninputs:\n  who: {{type: str, description: '{HOSTILE}', "
        f"default: '{HOSTILE}'}}\nstates:\n  a: {{final: success}}\n")
    app = create_app(f"sqlite:///{tmp_path / 'h.db'}", tmp_path / "flows")
    add_user(app.state.store.engine, "boss", "admin", PASSWORD, actor="test")
    return TestClient(app, raise_server_exceptions=False)


def _signed_in(client: TestClient) -> TestClient:
    client.cookies.set(COOKIE, open_session(client.app.state.store.engine, "boss"))  # type: ignore[attr-defined]
    return client


PAGES = sorted(p for (m, p) in ROUTES if m in ("GET", "MOUNT") and p not in STREAMS)


@pytest.mark.parametrize("path", PAGES)
def test_headers_on_every_page_and_api_answer(client: TestClient, path: str) -> None:
    answer = _signed_in(client).get(url_of(path), follow_redirects=False)
    expected = {k: v for k, v in HEADERS.items() if not (path.startswith(("/docs", "/redoc"))
                                                          and k == "content-security-policy")}
    assert {k: answer.headers.get(k) for k in expected} == expected


def test_headers_csp_allows_no_inline_script_and_no_framing() -> None:
    policy = dict(d.strip().split(" ", 1) for d in HEADERS["content-security-policy"].split(";"))
    assert policy["script-src"] == "'self'" and policy["frame-ancestors"] == "'none'"
    assert HEADERS["x-frame-options"] == "DENY" and HEADERS["referrer-policy"] == "same-origin"


def test_console_templates_have_no_inline_script_for_the_csp_to_block() -> None:
    found = []
    for template in sorted(TEMPLATES.glob("*.html")):
        text = template.read_text(encoding="utf-8")
        found += [f"{template.name}: {m}" for m in re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", text)]
        found += [f"{template.name}: {m}" for m in re.findall(r"\son[a-z]+\s*=", text)]
        found += [f"{template.name}: javascript: URL" for _ in re.findall(r"javascript:", text, re.I)]
    assert found == []


def test_console_escapes_stored_text(client: TestClient) -> None:
    pages = {path: _signed_in(client).get(path).text for path in ("/console/flows", "/console/flows/hostile")}
    assert "&lt;script&gt;alert" in pages["/console/flows/hostile"]
    assert not [path for path, text in pages.items() if "<script>alert" in text or "<img src=x" in text]


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/console\\..\\\\evil.example",
                                    "/console/x\r\nSet-Cookie: a=b", "/consolesomething"])
def test_console_login_next_is_never_an_open_redirect(client: TestClient, target: str) -> None:
    form = client.get("/console/login", params={"next": target})
    assert 'name="next_path" value="/console/"' in form.text
    token = re.search(r'name="csrf" value="([^"]+)"', form.text).group(1)  # type: ignore[union-attr]
    answer = client.post("/console/login", data={"username": "boss", "password": PASSWORD, "csrf": token,
                                                 "next_path": target}, follow_redirects=False)
    assert (answer.status_code, answer.headers["location"]) == (303, "/console/")


def test_console_session_cookie_is_secure_over_tls(client: TestClient) -> None:
    secure = TestClient(client.app, base_url="https://testserver")  # type: ignore[arg-type]
    form = secure.get("/console/login")
    token = re.search(r'name="csrf" value="([^"]+)"', form.text).group(1)  # type: ignore[union-attr]
    answer = secure.post("/console/login", data={"username": "boss", "password": PASSWORD, "csrf": token},
                         follow_redirects=False)
    cookie = answer.headers["set-cookie"].lower()
    assert "smartlab_session=" in cookie and "secure" in cookie and "httponly" in cookie and "samesite=strict" in cookie


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_login_lockout_holds_for_the_lockout_then_lifts() -> None:
    clock = Clock()
    limiter = RateLimiter(limit=3, lockout=900, clock=clock)
    for _ in range(3):
        limiter.failed("1.2.3.4|boss")
    assert limiter.blocked("1.2.3.4|boss") and not limiter.blocked("1.2.3.4|clerk")
    clock.now += 899
    assert limiter.blocked("1.2.3.4|boss")
    clock.now += 1
    assert not limiter.blocked("1.2.3.4|boss")


def test_login_success_clears_the_failures() -> None:
    limiter = RateLimiter(limit=3, lockout=900, clock=Clock())
    limiter.failed("k")
    limiter.failed("k")
    limiter.succeeded("k")
    limiter.failed("k")
    assert not limiter.blocked("k")


def test_login_lockout_follows_its_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SMARTLAB_LOGIN_ATTEMPTS", "2")
    monkeypatch.setenv("SMARTLAB_LOGIN_LOCKOUT", "60")
    limiter = RateLimiter()
    assert (limiter.limit, limiter.lockout) == (2, 60.0)
