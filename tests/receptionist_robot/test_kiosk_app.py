"""The kiosk's own server answers strangers (visitors) with the kiosk and nothing else: no
OpenAPI map of its routes (issue 15). The routes are only listed, so no dialogue is needed."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from receptionist_robot.kiosk import create_app


@pytest.mark.parametrize("path", ["/docs", "/redoc", "/openapi.json", "/docs/oauth2-redirect"])
def test_kiosk_app_serves_no_api_documentation(path: str) -> None:
    assert TestClient(create_app(None)).get(path).status_code == 404  # type: ignore[arg-type]


def test_kiosk_app_still_sends_a_visitor_to_the_kiosk_page() -> None:
    answer = TestClient(create_app(None)).get("/", follow_redirects=False)  # type: ignore[arg-type]
    assert (answer.status_code, answer.headers["location"]) == (307, "/kiosk/")
