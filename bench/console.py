"""The runs page with 10,000 runs: the whole page (HTTP, session, SQL, template) side by side
with the same page's SQL alone; with --review, ten form reviews in Chromium, today's way and
the new way side by side (bench/console_review.py).

    python bench/console.py [--runs 10000] [--repeat 30]
    python bench/console.py --review [--rounds 3]

1. Page: GET /console/runs through the ASGI app (session lookup, two queries, Jinja2), as a
   signed-in admin; the first page, a deep page, and a filtered page.
2. SQL alone: the page's own queries (one page of runs, the count, the flow names) on the
   same engine, without HTTP or templates.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path[0] = str(Path(__file__).resolve().parents[1])  # run from anywhere, never shadow stdlib

import argparse  # noqa: E402
import re  # noqa: E402
import statistics  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402

from fastapi.testclient import TestClient  # noqa: E402

from rpa.auth import add_user  # noqa: E402
from rpa.store.views import RunFilter, flow_names, list_runs  # noqa: E402
from rpa.web import create_app  # noqa: E402
from tests.rpa.web.console.seeding import seed_runs  # noqa: E402

PASSWORD = "bench password 1"
CASES = {"first page": ("", 1), "page 150": ("", 150), "status=failure": ("failure", 1)}


def _timed(call: Callable[[], object]) -> float:
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def _medians_ms(first: Callable[[], object], second: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Both calls timed in turn, so a busy machine slows both alike; medians in ms."""
    first(), second()  # warm caches (SQLite pages, compiled templates)
    pairs = [(_timed(first), _timed(second)) for _ in range(repeat)]
    return tuple(statistics.median(p[i] for p in pairs) * 1000 for i in (0, 1))  # type: ignore[return-value]


def _signed_in(client: TestClient) -> None:
    token = re.search(r'name="csrf" value="([^"]+)"', client.get("/console/login").text).group(1)
    client.post("/console/login", data={"username": "bench", "password": PASSWORD, "csrf": token})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--review", action="store_true", help="time ten form reviews in Chromium instead")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of ten reviews per way (--review)")
    args = parser.parse_args()
    if args.review:
        from bench.console_review import run

        run(args.rounds)
        return
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(f"sqlite:///{folder}/bench.db", Path(folder) / "no-flows")
        engine = app.state.store.engine
        add_user(engine, "bench", "admin", PASSWORD, actor="bench")
        seed_runs(engine, args.runs)
        client = TestClient(app)
        _signed_in(client)
        print(f"runs page with {args.runs} runs, median of {args.repeat}, timed in turn (ms)")
        print(f"{'case':<16} {'page':>8} {'SQL alone':>10} {'ratio':>7}")
        for name, (status, page_no) in CASES.items():
            url = f"/console/runs?status={status}&page_no={page_no}"
            page_ms, sql_ms = _medians_ms(lambda u=url: client.get(u).raise_for_status(),
                                          lambda s=status, p=page_no: (list_runs(engine, RunFilter(s), p),
                                                                       flow_names(engine)), args.repeat)
            print(f"{name:<16} {page_ms:8.2f} {sql_ms:10.2f} {page_ms / sql_ms:6.1f}x")


if __name__ == "__main__":
    main()
