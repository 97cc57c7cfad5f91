"""A secret's name: an identifier, case-insensitive, and the env var that can hold it."""

from __future__ import annotations

import re

from rpa.secrets.errors import SecretNameError

ENV_PREFIX = "SMARTLAB_SECRET_"
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def canonical(name: str) -> str:
    """Lower case, so `CASE_PASSWORD`, `case_password` and the env var all meet."""
    if not _IDENT.fullmatch(name):
        raise SecretNameError(f"'{name}' cannot name a secret: use letters, digits and _ "
                              "(not starting with a digit)")
    return name.lower()


def env_var(name: str) -> str:
    return ENV_PREFIX + canonical(name).upper()
