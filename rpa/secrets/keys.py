"""The key that opens the secrets file: from `SMARTLAB_SECRETS_KEY`, else the OS keyring.

The key never lives next to the file it opens; a file copied off the machine is useless alone.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from cryptography.fernet import Fernet

from rpa.secrets.errors import SecretKeyMissing, SecretsError, SecretsFileError

KEY_ENV = "SMARTLAB_SECRETS_KEY"
KEYRING_SERVICE = "smartlab"
KEYRING_USER = "secrets-key"
HOW_TO = (f"run `smartlab secrets keygen` and export {KEY_ENV}=<the key>, "
          "or `smartlab secrets keygen --keyring` to keep it in the OS keyring")


def new_key() -> str:
    return Fernet.generate_key().decode("ascii")


def _from_env(environ: Mapping[str, str]) -> str | None:
    return environ.get(KEY_ENV) or None


def _from_keyring(_environ: Mapping[str, str]) -> str | None:
    try:
        import keyring
        from keyring.errors import KeyringError
    except ImportError:  # keyring is optional: without it only the env var serves
        return None
    try:
        return keyring.get_password(KEYRING_SERVICE, KEYRING_USER)
    except KeyringError:  # no usable backend (a server without a desktop session)
        return None


# Where a key may come from, in order of precedence.
KEY_SOURCES: dict[str, Callable[[Mapping[str, str]], str | None]] = {
    KEY_ENV: _from_env,
    "the OS keyring": _from_keyring,
}


def find_key(environ: Mapping[str, str]) -> tuple[str, str] | None:
    """The first key found and where it came from, or None."""
    for source, lookup in KEY_SOURCES.items():
        key = lookup(environ)
        if key:
            return key.strip(), source
    return None


def load_fernet(environ: Mapping[str, str]) -> tuple[Fernet, str]:
    found = find_key(environ)
    if found is None:
        raise SecretKeyMissing(f"no key for the secrets file: {HOW_TO}")
    key, source = found
    try:
        return Fernet(key.encode("ascii")), source
    except ValueError as exc:  # also a key with non-ASCII text
        raise SecretsFileError(f"the key from {source} is not a valid secrets key: "
                               f"{HOW_TO}") from exc


def store_in_keyring(key: str) -> None:
    try:
        import keyring
        from keyring.errors import KeyringError
    except ImportError as exc:
        raise SecretsError("the `keyring` package is not installed; use "
                           f"{KEY_ENV} instead") from exc
    try:
        keyring.set_password(KEYRING_SERVICE, KEYRING_USER, key)
    except KeyringError as exc:
        raise SecretsError(f"no usable OS keyring ({exc}); export {KEY_ENV} instead") from exc
