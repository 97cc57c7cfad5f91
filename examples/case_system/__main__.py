"""`python -m examples.case_system --port N --db FILE`: run the sample case system."""

from __future__ import annotations

import argparse
import os
import signal
import threading
from pathlib import Path

from examples.case_system.server import serve


def main(argv: list[str] | None = None) -> None:
    args = _parser().parse_args(argv)
    users = {args.user: os.environ.get("CASE_SYSTEM_PASSWORD", "officer-pass")}
    running = serve(args.db, port=args.port, users=users, submit_delay=args.submit_delay)
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    print(f"case system ready at {running.url} (user {args.user}, database {args.db})", flush=True)
    stop.wait()
    running.stop()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m examples.case_system",
        description="The sample back-office case system (loopback only).")
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0: a free one)")
    parser.add_argument("--db", type=Path, default=Path(".smartlab/case_system.db"),
                        help="SQLite file holding the cases")
    parser.add_argument("--user", default="officer",
                        help="the officer's user name; the password is $CASE_SYSTEM_PASSWORD "
                             "(default officer-pass)")
    parser.add_argument("--submit-delay", type=float, default=0.0,
                        help="seconds to hold the answer after saving a case (failure injection)")
    return parser


if __name__ == "__main__":
    main()
