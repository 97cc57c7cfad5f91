"""Changing the secrets file; every change is written to the audit log (names, never values)."""

from __future__ import annotations

import os
from collections.abc import Mapping

from sqlalchemy import Engine

from rpa.audit import record
from rpa.secrets.errors import SecretNotFound, SecretsError
from rpa.secrets.mask import known_secrets
from rpa.secrets.names import canonical
from rpa.secrets.vault import SecretsFile


def set_secret(engine: Engine, actor: str, name: str, value: str,
               environ: Mapping[str, str] | None = None) -> bool:
    """Store `value` under `name`; True when the name is new. Audited as `secret.set`."""
    key = canonical(name)
    if not value:
        raise SecretsError(f"secret '{key}' cannot be empty")
    known_secrets.add(value)
    created: list[bool] = []

    def put(found: dict[str, str]) -> None:
        created.append(key not in found)
        found[key] = value

    SecretsFile(os.environ if environ is None else environ).update(put)
    record(engine, actor, "secret.set", key, {"created": created[0]})
    return created[0]


def remove_secret(engine: Engine, actor: str, name: str,
                  environ: Mapping[str, str] | None = None) -> None:
    """Delete `name` from the file. Audited as `secret.remove`."""
    key = canonical(name)
    SecretsFile(os.environ if environ is None else environ).update(lambda found: _pop(found, key))
    record(engine, actor, "secret.remove", key, {})


def _pop(found: dict[str, str], key: str) -> None:
    if key not in found:
        raise SecretNotFound(f"no secret '{key}' in the secrets file "
                           "(see `smartlab secrets list`)")
    del found[key]
