"""The secrets package's errors; none of them ever carries a secret's value.

    SmartLabError
    └── SecretsError            anything about secrets
        ├── SecretMissing       no provider has a secret a flow needs (also a RunError)
        ├── SecretNotFound      removing a secret the file does not hold
        ├── SecretNameError     a name that cannot be a secret's (not letters, digits, _)
        ├── SecretKeyMissing    no key to open the secrets file (no env var, no keyring entry)
        └── SecretsFileError    the file or key is unusable: wrong key, damaged file, bad key text
"""

from __future__ import annotations

from rpa.errors import RunError, SmartLabError


class SecretsError(SmartLabError):
    """Root of the secrets package's errors."""


class SecretMissing(SecretsError, RunError):
    """A run cannot start without this secret; the message says how to provide it."""


class SecretNotFound(SecretsError):
    """The secrets file holds no secret of that name (the API answers 404)."""


class SecretNameError(SecretsError):
    """A secret's name must be an identifier so that `secrets.NAME` works in templates."""


class SecretKeyMissing(SecretsError):
    """The secrets file exists (or is being written) but no key is available."""


class SecretsFileError(SecretsError):
    """The secrets file cannot be read or written with the key in force."""
