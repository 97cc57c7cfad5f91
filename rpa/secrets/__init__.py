"""Secrets for flows: where values come from, and masking them wherever they could leak.

Providers are asked in order: `SMARTLAB_SECRET_<NAME>` variables, then the encrypted file
(`SMARTLAB_SECRETS_FILE`, default `.smartlab/secrets.enc`, opened with the key from
`SMARTLAB_SECRETS_KEY` or the OS keyring). Values are never written to the store, logs or
errors: `resolve` registers each value with `known_secrets`, which `SecretFilter` masks.
"""

from rpa.secrets.errors import (
    SecretKeyMissing,
    SecretMissing,
    SecretNameError,
    SecretNotFound,
    SecretsError,
    SecretsFileError,
)
from rpa.secrets.manage import remove_secret, set_secret
from rpa.secrets.mask import MASK, Masker, SecretFilter, install_log_masking, known_secrets
from rpa.secrets.names import env_var
from rpa.secrets.providers import PROVIDERS, list_secrets, resolve

__all__ = ["MASK", "Masker", "PROVIDERS", "SecretFilter", "SecretKeyMissing", "SecretMissing",
           "SecretNameError", "SecretNotFound", "SecretsError", "SecretsFileError", "env_var",
           "install_log_masking", "known_secrets", "list_secrets", "remove_secret", "resolve",
           "set_secret"]
