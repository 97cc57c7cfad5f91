"""The access matrix (issue 15): every route of the app — API, console and the pages plugins
add by entry point — for anonymous, staff, supervisor (the reviewer), developer and admin,
and a forged POST. The routes are read from the app itself, so a new route without an entry
in ROUTES fails `test_access_matrix_covers_every_route`.

Expected answers: an anonymous caller gets 401 (API, /openapi.json) or a redirect to sign-in
(console, /docs) everywhere but the public routes (sign-in, language, static files, and
/api/health, which tells a stranger only that the server is up); a
role without the route's action gets 403; a role with it is let through (any answer but
401/403, and never a 5xx); a console POST with a wrong CSRF token gets 403 even for an admin,
and the API does not take the console's cookie in place of a token (a cross-site POST
carries cookies only). Allowed POSTs are not sent (they would act); live streams are not
opened for allowed roles (they never end).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from starlette.routing import Mount

from rpa.auth import add_user, issue_token
from rpa.auth.roles import PERMISSIONS
from rpa.web import create_app
from rpa.web.console.guard import COOKIE, CSRF_HEADER
from rpa.web.console.sessions import open_session

PUBLIC = "public"
SIGNED_IN = "signed in"  # any role; a stranger is refused
ROUTES: dict[tuple[str, str], str] = {
    ("GET", "/openapi.json"): SIGNED_IN, ("GET", "/docs"): SIGNED_IN, ("GET", "/api/health"): PUBLIC,
    ("POST", "/api/runs"): "runs.start", ("GET", "/api/runs"): "runs.read",
    ("GET", "/api/runs/{run_id}"): "runs.read", ("POST", "/api/runs/{run_id}/cancel"): "runs.cancel",
    ("GET", "/api/queues"): "queues.read", ("GET", "/api/queues/{queue}/items"): "queues.read",
    ("POST", "/api/queues/{queue}/items"): "queues.add", ("GET", "/api/tasks"): "tasks.read",
    ("GET", "/api/tasks/{task_id}"): "tasks.read", ("POST", "/api/tasks/{task_id}/complete"): "tasks.complete",
    ("GET", "/api/users"): "users.manage", ("PUT", "/api/secrets/{name}"): "secrets.manage",
    ("DELETE", "/api/secrets/{name}"): "secrets.manage", ("GET", "/api/audit"): "audit.read",
    ("MOUNT", "/console/static"): PUBLIC,
    ("GET", "/console/login"): PUBLIC, ("POST", "/console/login"): PUBLIC,
    ("POST", "/console/logout"): "runs.read", ("GET", "/console/lang/{code}"): PUBLIC,
    ("GET", "/console/"): "runs.read", ("GET", "/console/flows"): "runs.read",
    ("GET", "/console/flows/{name}"): "runs.read", ("POST", "/console/flows/{name}/start"): "runs.start",
    ("GET", "/console/runs"): "runs.read", ("GET", "/console/runs/{run_id}"): "runs.read",
    ("GET", "/console/runs/{run_id}/artifacts/{name}"): "runs.read",
    ("POST", "/console/runs/{run_id}/cancel"): "runs.cancel", ("POST", "/console/runs/{run_id}/retry"): "runs.start",
    ("POST", "/console/runs/{run_id}/resume"): "runs.start", ("GET", "/console/runs/{run_id}/stream"): "runs.read",
    ("GET", "/console/inbox"): "tasks.read", ("GET", "/console/tasks/{task_id}"): "tasks.read",
    ("GET", "/console/tasks/{task_id}/image/{page_no}"): "tasks.read",
    ("POST", "/console/tasks/{task_id}/complete"): "tasks.complete",
    ("GET", "/console/queues"): "queues.read",
    ("POST", "/console/queues/items/{item_id}/abandon"): "queues.manage",
    ("POST", "/console/queues/items/{item_id}/retry"): "queues.manage",
    ("POST", "/console/queues/items/{item_id}/priority"): "queues.manage",
    ("GET", "/console/upload"): "queues.add", ("POST", "/console/upload"): "queues.add",
    ("GET", "/console/audit"): "audit.read", ("GET", "/console/users"): "users.manage",
    ("GET", "/console/secrets"): "secrets.manage", ("POST", "/console/secrets"): "secrets.manage",
    ("GET", "/console/events"): "runs.read",
    # receptionist_robot's console page, added through the smartlab.console entry point
    ("GET", "/console/robot"): "runs.read", ("POST", "/console/robot/tour"): "runs.start",
    ("POST", "/console/robot/goto"): "runs.start", ("POST", "/console/robot/{command}"): "runs.start",
    ("GET", "/console/robot/events"): "runs.read",
    # bots.form_processing's "Save as template" on the review page (smartlab.console entry point)
    ("POST", "/console/tasks/{task_id}/template"): "tasks.complete",
}
STREAMS = {"/console/events", "/console/runs/{run_id}/stream", "/console/robot/events"}
LOGOUT = ("POST", "/console/logout")  # any signed-in person; its CSRF is checked like the rest
PARAMS = {"run_id": "nope", "name": "nope", "code": "en", "task_id": "nope", "page_no": "1",
          "queue": "q", "item_id": "1", "command": "pause"}
ROLES = ("staff", "supervisor", "developer", "admin")


def app_routes(app: object) -> set[tuple[str, str]]:
    """(method, path) of every route, walking the routers FastAPI includes."""
    return set(_walk(app.routes))  # type: ignore[attr-defined]


def _walk(routes: list[object], prefix: str = "") -> Iterator[tuple[str, str]]:
    for route in routes:
        if hasattr(route, "original_router"):  # FastAPI's lazily included router
            yield from _walk(route.original_router.routes, prefix + route.include_context.prefix)
        elif isinstance(route, Mount):
            yield "MOUNT", prefix + route.path
        else:
            yield from ((m, prefix + route.path) for m in sorted(route.methods - {"HEAD"}))


def url_of(path: str) -> str:
    return path.format(**PARAMS) if path != "/console/static" else "/console/static/console.css"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    root = tmp_path_factory.mktemp("matrix")
    (root / "flows").mkdir()
    app = create_app(f"sqlite:///{root / 'm.db'}", root / "flows")
    engine = app.state.store.engine
    people: dict[str, dict[str, str]] = {}
    for role in ROLES:
        add_user(engine, role, role, "a long enough password", actor="test")
        people[role] = {"token": issue_token(engine, role, actor="test"), "session": open_session(engine, role)}
    return {"app": app, "people": people}


def call(site: dict[str, object], method: str, path: str, who: str | None, csrf: str | None = None) -> int:
    client = TestClient(site["app"], raise_server_exceptions=False)  # type: ignore[arg-type]
    headers = {CSRF_HEADER: csrf} if csrf is not None else {}
    if who is not None:
        person = site["people"][who]  # type: ignore[index]
        if path.startswith("/api"):
            headers["Authorization"] = f"Bearer {person['token']}"
        client.cookies.set(COOKIE, person["session"])
    method = "GET" if method == "MOUNT" else method
    return client.request(method, url_of(path), headers=headers, follow_redirects=False).status_code


def test_access_matrix_covers_every_route(site: dict[str, object]) -> None:
    found = app_routes(site["app"])
    assert sorted(found - set(ROUTES)) == [], "a new route needs its entry in ROUTES"
    assert sorted(set(ROUTES) - found) == [], "ROUTES names a route the app no longer has"


@pytest.mark.parametrize(("method", "path"), sorted(ROUTES))
def test_access_matrix_anonymous(site: dict[str, object], method: str, path: str) -> None:
    status = call(site, method, path, None)
    if (method, path) == ("POST", "/console/login"):
        assert status == 403  # without the sign-in form's CSRF cookie (tests/rpa/web/console/test_http.py)
    elif ROUTES[method, path] == PUBLIC:
        assert status not in (401, 403) and status < 500, status
    elif path.startswith("/api") or path == "/openapi.json":
        assert status == 401
    else:
        assert status == 303  # to the sign-in page


def _allowed(method: str, path: str, role: str) -> bool:
    return ROUTES[method, path] == SIGNED_IN or ROUTES[method, path] in PERMISSIONS[role]


def _sent(method: str, path: str, role: str) -> bool:
    """Every cell but an allowed live stream (it never ends) or allowed console action (it would act)."""
    allowed = _allowed(method, path, role)
    return not (allowed and (path in STREAMS or (method != "GET" and not path.startswith("/api"))))


CELLS = [(m, p, r) for (m, p), v in sorted(ROUTES.items()) if v != PUBLIC for r in ROLES if _sent(m, p, r)]


@pytest.mark.parametrize(("method", "path", "role"), CELLS)
def test_access_matrix_roles(site: dict[str, object], method: str, path: str, role: str) -> None:
    allowed = _allowed(method, path, role)
    status = call(site, method, path, role)
    if allowed:
        assert status not in (401, 403) and status < 500, status
    else:
        assert status == 403


@pytest.mark.parametrize(("method", "path"), sorted(k for k in ROUTES if k[0] == "POST" and k[1] != "/console/login"))
def test_access_matrix_forged_post(site: dict[str, object], method: str, path: str) -> None:
    if path.startswith("/api"):  # a cross-site POST carries the console's cookie, never a token
        client = TestClient(site["app"], raise_server_exceptions=False)  # type: ignore[arg-type]
        client.cookies.set(COOKIE, site["people"]["admin"]["session"])  # type: ignore[index]
        assert client.post(url_of(path), json={}).status_code == 401
    else:
        assert call(site, method, path, "admin", csrf="forged") == 403


def test_access_matrix_staff_cannot_reach_admin_routes(site: dict[str, object]) -> None:
    admin_only = sorted(k for k, v in ROUTES.items() if v in ("users.manage", "secrets.manage"))
    assert admin_only and all(call(site, m, p, "staff", csrf="x") == 403 for m, p in admin_only)


def test_access_matrix_anonymous_health_says_only_that_the_server_is_up(site: dict[str, object]) -> None:
    client = TestClient(site["app"])  # type: ignore[arg-type]
    assert client.get("/api/health").json() == {"status": "ok"}
    assert client.get("/api/health", headers={"Authorization": "Bearer wrong"}).json() == {"status": "ok"}
    token = site["people"]["staff"]["token"]  # type: ignore[index]
    detailed = client.get("/api/health", headers={"Authorization": f"Bearer {token}"}).json()
    assert {"runs", "flows", "flow_problems", "auth"} <= detailed.keys()


def test_access_matrix_api_docs_need_a_token_or_a_session(site: dict[str, object]) -> None:
    client = TestClient(site["app"])  # type: ignore[arg-type]
    assert client.get("/docs", follow_redirects=False).headers["location"] == "/console/login?next=/docs"
    assert client.get("/openapi.json", headers={"Authorization": "Bearer wrong"}).status_code == 401
    token = site["people"]["developer"]["token"]  # type: ignore[index]
    schema = client.get("/openapi.json", headers={"Authorization": f"Bearer {token}"}).json()
    assert "/api/runs" in schema["paths"] and "/docs" not in schema["paths"]
    assert client.get("/redoc").status_code == 404  # FastAPI's other page is off
