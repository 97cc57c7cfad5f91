"""Resolving secrets: env first, then the encrypted file; clear one-line errors otherwise."""

from __future__ import annotations

from pathlib import Path

import keyring
import pytest
from cryptography.fernet import Fernet
from sqlalchemy import Engine

from rpa.errors import RunError
from rpa.secrets import (
    SecretKeyMissing,
    SecretMissing,
    SecretNameError,
    SecretsError,
    SecretsFileError,
    known_secrets,
    list_secrets,
    remove_secret,
    resolve,
    set_secret,
)

from .conftest import MemoryKeyring, NoKeyring


def test_resolve_reads_env_var_by_upper_case_name(environ: dict[str, str]) -> None:
    environ["SMARTLAB_SECRET_CASE_PASSWORD"] = "from-env"
    assert resolve(["case_password"], environ) == {"case_password": "from-env"}


def test_resolve_reads_the_encrypted_file(engine: Engine, environ: dict[str, str]) -> None:
    set_secret(engine, "ada", "case_password", "from-file", environ)
    assert resolve(["case_password", "CASE_PASSWORD"], environ) == {
        "case_password": "from-file", "CASE_PASSWORD": "from-file"}


def test_resolve_prefers_env_over_file(engine: Engine, environ: dict[str, str]) -> None:
    set_secret(engine, "ada", "token", "from-file", environ)
    environ["SMARTLAB_SECRET_TOKEN"] = "from-env"
    assert resolve(["token"], environ) == {"token": "from-env"}


def test_resolve_adds_values_to_the_process_masker(environ: dict[str, str]) -> None:
    environ["SMARTLAB_SECRET_PIN"] = "pin-8e1d7c"
    resolve(["pin"], environ)
    assert known_secrets("pin is pin-8e1d7c") == "pin is ***"


def test_resolve_missing_names_env_var_and_command(environ: dict[str, str]) -> None:
    with pytest.raises(SecretMissing) as caught:
        resolve(["api_key"], environ)
    message = str(caught.value)
    assert "SMARTLAB_SECRET_API_KEY" in message and "smartlab secrets set api_key" in message
    assert isinstance(caught.value, RunError)  # the runner cannot start the run


def test_resolve_without_file_needs_no_key(environ: dict[str, str]) -> None:
    del environ["SMARTLAB_SECRETS_KEY"]
    with pytest.raises(SecretMissing):
        resolve(["x"], environ)
    assert resolve([], environ) == {}


def test_file_without_key_says_how_to_make_one(engine: Engine, environ: dict[str, str]) -> None:
    set_secret(engine, "ada", "x", "value-1", environ)
    del environ["SMARTLAB_SECRETS_KEY"]
    with pytest.raises(SecretKeyMissing) as caught:
        resolve(["x"], environ)
    assert "smartlab secrets keygen" in str(caught.value) and "\n" not in str(caught.value)


def test_file_key_comes_from_the_os_keyring(engine: Engine, environ: dict[str, str],
                                            memory_keyring: MemoryKeyring) -> None:
    memory_keyring.set_password("smartlab", "secrets-key", environ.pop("SMARTLAB_SECRETS_KEY"))
    set_secret(engine, "ada", "x", "kept-by-keyring", environ)
    assert resolve(["x"], environ) == {"x": "kept-by-keyring"}


def test_file_key_env_var_wins_over_keyring(engine: Engine, environ: dict[str, str],
                                            memory_keyring: MemoryKeyring) -> None:
    memory_keyring.set_password("smartlab", "secrets-key", Fernet.generate_key().decode())
    set_secret(engine, "ada", "x", "env-key", environ)
    assert resolve(["x"], environ) == {"x": "env-key"}


def test_file_with_failing_keyring_is_a_missing_key(engine: Engine,
                                                    environ: dict[str, str]) -> None:
    set_secret(engine, "ada", "x", "value-1", environ)
    keyring.set_keyring(NoKeyring())
    del environ["SMARTLAB_SECRETS_KEY"]
    with pytest.raises(SecretKeyMissing):
        resolve(["x"], environ)


def test_file_with_wrong_key_is_a_clear_error(engine: Engine, environ: dict[str, str]) -> None:
    set_secret(engine, "ada", "x", "value-1", environ)
    environ["SMARTLAB_SECRETS_KEY"] = Fernet.generate_key().decode()
    with pytest.raises(SecretsFileError, match="wrong key or damaged file"):
        resolve(["x"], environ)


@pytest.mark.parametrize("key", ["not-a-key", "é" * 44, "QUJD"])
def test_file_with_malformed_key_is_a_clear_error(engine: Engine, environ: dict[str, str],
                                                  key: str) -> None:
    set_secret(engine, "ada", "x", "value-1", environ)
    environ["SMARTLAB_SECRETS_KEY"] = key
    with pytest.raises(SecretsFileError, match="SMARTLAB_SECRETS_KEY is not a valid secrets key"):
        resolve(["x"], environ)


def test_file_damaged_is_a_clear_error(engine: Engine, environ: dict[str, str]) -> None:
    set_secret(engine, "ada", "x", "value-1", environ)
    path = Path(environ["SMARTLAB_SECRETS_FILE"])
    path.write_bytes(path.read_bytes()[:-3] + b"AAA")
    with pytest.raises(SecretsFileError, match="damaged"):
        resolve(["x"], environ)


@pytest.mark.parametrize("name", ["", "1abc", "has space", "dash-name", "x.y"])
def test_set_secret_rejects_bad_names(engine: Engine, environ: dict[str, str], name: str) -> None:
    with pytest.raises(SecretNameError):
        set_secret(engine, "ada", name, "value", environ)


def test_set_secret_rejects_empty_value(engine: Engine, environ: dict[str, str]) -> None:
    with pytest.raises(SecretsError, match="cannot be empty"):
        set_secret(engine, "ada", "x", "", environ)


def test_set_secret_reports_new_then_replaced(engine: Engine, environ: dict[str, str]) -> None:
    assert set_secret(engine, "ada", "x", "one-value", environ) is True
    assert set_secret(engine, "ada", "X", "two-value", environ) is False
    assert resolve(["x"], environ) == {"x": "two-value"}


def test_set_secret_file_is_private_and_not_plain(engine: Engine, environ: dict[str, str]) -> None:
    set_secret(engine, "ada", "x", "plain-text-4f2a", environ)
    path = Path(environ["SMARTLAB_SECRETS_FILE"])
    assert path.stat().st_mode & 0o777 == 0o600
    assert b"plain-text-4f2a" not in path.read_bytes()


def test_remove_secret_then_missing(engine: Engine, environ: dict[str, str]) -> None:
    set_secret(engine, "ada", "x", "value-1", environ)
    remove_secret(engine, "ada", "x", environ)
    with pytest.raises(SecretMissing):
        resolve(["x"], environ)
    with pytest.raises(SecretsError, match="no secret 'x'"):
        remove_secret(engine, "ada", "x", environ)


def test_list_secrets_names_each_winning_provider(engine: Engine, environ: dict[str, str]) -> None:
    set_secret(engine, "ada", "both", "file-value", environ)
    set_secret(engine, "ada", "only_file", "file-value", environ)
    environ.update(SMARTLAB_SECRET_BOTH="env-value", SMARTLAB_SECRET_ONLY_ENV="env-value",
                   SMARTLAB_SECRET_EMPTY="")
    assert list_secrets(environ) == [("both", "env"), ("only_env", "env"), ("only_file", "file")]
