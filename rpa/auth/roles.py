"""Who may do what: a table from role to the actions it allows.

Staff trigger bots and handle tasks; supervisors also cancel runs, manage queues and read the
audit log; developers work on runs and queues but do not complete citizens' tasks; admins may
do everything, and only they manage secrets and users.
"""

from __future__ import annotations

from typing import Protocol

from rpa.auth.errors import Forbidden, RoleError

ACTIONS = frozenset({
    "audit.read", "queues.add", "queues.manage", "queues.read", "runs.cancel", "runs.read",
    "runs.start", "secrets.manage", "tasks.complete", "tasks.read", "users.manage",
})
_STAFF = frozenset({"queues.add", "queues.read", "runs.read", "runs.start", "tasks.complete",
                    "tasks.read"})

PERMISSIONS: dict[str, frozenset[str]] = {
    "staff": _STAFF,
    "supervisor": _STAFF | {"audit.read", "queues.manage", "runs.cancel"},
    "developer": (_STAFF - {"tasks.complete"}) | {"audit.read", "queues.manage", "runs.cancel"},
    "admin": ACTIONS,
}
ROLES = tuple(PERMISSIONS)


class HasRole(Protocol):
    @property
    def role(self) -> str: ...


def check_role(role: str) -> str:
    if role not in PERMISSIONS:
        raise RoleError(f"unknown role '{role}': choose one of {', '.join(ROLES)}")
    return role


def can(user: HasRole | None, action: str) -> bool:
    """Whether `user` may do `action`; an unknown action is a programming error, not a no."""
    if action not in ACTIONS:
        raise RoleError(f"unknown action '{action}': known are {', '.join(sorted(ACTIONS))}")
    return user is not None and action in PERMISSIONS.get(user.role, frozenset())


def require(user: HasRole | None, action: str) -> None:
    """Raise Forbidden unless `user` may do `action` (the API turns it into HTTP 403)."""
    if not can(user, action):
        who = f"role '{user.role}'" if user is not None else "an anonymous caller"
        raise Forbidden(f"{who} may not {action}")
