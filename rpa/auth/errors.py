"""The auth package's errors; none carries a password or a token.

    SmartLabError
    └── AuthError           anything about users, roles and tokens
        ├── UserExists      a user of that name is already there
        ├── UnknownUser     no user of that name
        ├── RoleError       a role or an action the role table does not know
        ├── WeakPassword    a password too short to keep
        └── Forbidden       the user's role does not allow the action (HTTP 403)
"""

from __future__ import annotations

from rpa.errors import SmartLabError


class AuthError(SmartLabError):
    """Root of the auth package's errors."""


class UserExists(AuthError):
    """Adding a user whose name is taken."""


class UnknownUser(AuthError):
    """Naming a user who does not exist."""


class RoleError(AuthError):
    """A role or action name that is not in the role table: a typo, caught at once."""


class WeakPassword(AuthError):
    """A password shorter than the minimum."""


class Forbidden(AuthError):
    """The user is known, but their role may not do this."""
