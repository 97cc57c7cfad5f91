"""`http.request`: httpx, with the run's idempotency key sent as an `Idempotency-Key` header.

The one place httpx exceptions become SmartLab errors: connection trouble, timeouts, 5xx and
429 are ApplicationErrors (retry may help); other 4xx are BusinessErrors (the request is wrong).
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any, Literal

from rpa.activities.context import Context
from rpa.activities.spec import activity
from rpa.errors import ApplicationError, BusinessError

if TYPE_CHECKING:  # httpx is imported by the call, not with the activity list
    import ssl

    import httpx

Method = Literal["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"]
_RETRYABLE = {408, 425, 429}


@activity("http.request", effect=True)
def request(
    ctx: Context,
    url: str,
    method: Method = "GET",
    json: Any = None,
    data: dict[str, Any] | None = None,
    params: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 30.0,
    raise_for_status: bool = True,
) -> dict[str, Any]:
    """Send an HTTP request; returns `{status, headers, json, text}`."""
    import httpx

    sent = dict(headers or {})
    if ctx.idempotency_key:
        sent.setdefault("Idempotency-Key", ctx.idempotency_key)
    limit = ctx.remaining(default=timeout)
    try:
        response = httpx.request(method, url, json=json, data=data, params=params,
                                 headers=sent, timeout=min(timeout, limit), verify=_tls())
    except httpx.TimeoutException as exc:
        raise ApplicationError(f"{method} {url}: timed out") from exc
    except httpx.HTTPError as exc:
        raise ApplicationError(f"{method} {url}: {exc}") from exc
    if raise_for_status:
        _check_status(method, url, response)
    return _result(response)


@cache
def _tls() -> ssl.SSLContext:
    """One TLS context per process: building one loads the whole CA bundle (about 80 ms of CPU
    under load, more than the rest of a queue item's run), and httpx builds one per request."""
    import httpx

    return httpx.create_ssl_context()


def _check_status(method: str, url: str, response: httpx.Response) -> None:
    code = response.status_code
    if code < 400:
        return
    message = f"{method} {url}: HTTP {code} {response.reason_phrase}"
    if code >= 500 or code in _RETRYABLE:
        raise ApplicationError(message)
    raise BusinessError(message)


def _result(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        body = None
    return {
        "status": response.status_code,
        "headers": dict(response.headers),
        "json": body,
        "text": response.text if body is None else "",
    }
