"""Where a secret's value comes from: a table of providers, asked in order.

Environment variables come first so that a deployment (or a test) can override the file.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Protocol

from rpa.secrets.errors import SecretMissing
from rpa.secrets.mask import known_secrets
from rpa.secrets.names import ENV_PREFIX, canonical, env_var
from rpa.secrets.vault import SecretsFile


class Provider(Protocol):
    def __init__(self, environ: Mapping[str, str]) -> None: ...
    def get(self, name: str) -> str | None: ...
    def names(self) -> list[str]: ...


class EnvProvider:
    """`SMARTLAB_SECRET_<NAME>` variables; an empty variable counts as unset."""

    def __init__(self, environ: Mapping[str, str]) -> None:
        self.environ = environ

    def get(self, name: str) -> str | None:
        return self.environ.get(env_var(name)) or None

    def names(self) -> list[str]:
        return sorted(k[len(ENV_PREFIX):].lower() for k, v in self.environ.items()
                      if k.startswith(ENV_PREFIX) and v)


class FileProvider:
    """The encrypted file, decrypted at most once per provider (once per `resolve`)."""

    def __init__(self, environ: Mapping[str, str]) -> None:
        self.file = SecretsFile(environ)
        self._found: dict[str, str] | None = None

    def _all(self) -> dict[str, str]:
        if self._found is None:
            self._found = self.file.read()
        return self._found

    def get(self, name: str) -> str | None:
        return self._all().get(canonical(name))

    def names(self) -> list[str]:
        return sorted(self._all())


PROVIDERS: dict[str, type[Provider]] = {"env": EnvProvider, "file": FileProvider}


def _environ(environ: Mapping[str, str] | None) -> Mapping[str, str]:
    return os.environ if environ is None else environ


def resolve(names: list[str], environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """Each name's value from the first provider that has it; adds them to `known_secrets`."""
    chain = [provider(_environ(environ)) for provider in PROVIDERS.values()]
    found = {name: _lookup(chain, name) for name in names}
    known_secrets.add(*found.values())
    return found


def _lookup(chain: list[Provider], name: str) -> str:
    for provider in chain:
        value = provider.get(name)
        if value:
            return value
    raise SecretMissing(f"secret '{name}' is not set: export {env_var(name)}=... "
                        f"or run `smartlab secrets set {canonical(name)}`")


def list_secrets(environ: Mapping[str, str] | None = None) -> list[tuple[str, str]]:
    """(name, provider) for every secret available, names only, the provider that wins."""
    seen: dict[str, str] = {}
    for label, provider in PROVIDERS.items():
        for name in provider(_environ(environ)).names():
            seen.setdefault(name, label)
    return sorted(seen.items())
