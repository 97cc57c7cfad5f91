"""Logging at start-up: one line format, quiet chatter, and every record masked.

Each entry point calls one of these before anything logs: the `smartlab` command
(`mask_every_logger`, so a secret never reaches stderr), `smartlab serve` and `smartlab
worker` (`start_logging`, which also sends INFO lines to stderr), and the web app.
Masking works on the record as it is made, so it covers loggers and handlers that
libraries set up later (uvicorn configures its own when it starts).
"""

from __future__ import annotations

import logging

FORMAT = "%(asctime)s %(name)s %(levelname)s %(message)s"
QUIET = {"transitions": logging.WARNING}  # one line per state change is noise


def mask_every_logger() -> None:
    """Mask known secrets, in every encoding, in every log record of this process."""
    from rpa.secrets.mask import install_log_masking

    install_log_masking(handlers=())


def start_logging(verbose: bool = False) -> None:
    """INFO (DEBUG with `verbose`) lines to stderr, every record masked."""
    mask_every_logger()
    logging.basicConfig(level=logging.DEBUG if verbose else logging.INFO, format=FORMAT)
    for name, level in QUIET.items():
        logging.getLogger(name).setLevel(level)
