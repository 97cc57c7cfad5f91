"""Users, roles and API tokens: who may use SmartLab, and what each role may do.

Passwords are hashed with argon2id and tokens with SHA-256; neither is stored in clear.
`can(user, action)` reads the role table; the JSON API calls `authenticate` then `require`.
"""

from rpa.auth.errors import AuthError, Forbidden, RoleError, UnknownUser, UserExists, WeakPassword
from rpa.auth.roles import ACTIONS, PERMISSIONS, ROLES, can, require
from rpa.auth.users import (
    User,
    add_user,
    authenticate,
    get_user,
    issue_token,
    list_users,
    verify_password,
)

__all__ = ["ACTIONS", "AuthError", "Forbidden", "PERMISSIONS", "ROLES", "RoleError",
           "UnknownUser", "User", "UserExists", "WeakPassword", "add_user", "authenticate",
           "can", "get_user", "issue_token", "list_users", "require", "verify_password"]
