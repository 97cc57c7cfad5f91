"""The role table: who may do what, and typos caught instead of read as 'no'."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from rpa.auth import ACTIONS, PERMISSIONS, ROLES, Forbidden, RoleError, can, require


@dataclass(frozen=True)
class Someone:
    role: str


ALLOWED = [
    ("staff", "runs.start", True),
    ("staff", "tasks.complete", True),
    ("staff", "runs.cancel", False),
    ("staff", "secrets.manage", False),
    ("staff", "users.manage", False),
    ("staff", "audit.read", False),
    ("supervisor", "runs.cancel", True),
    ("supervisor", "audit.read", True),
    ("supervisor", "secrets.manage", False),
    ("supervisor", "users.manage", False),
    ("developer", "queues.manage", True),
    ("developer", "tasks.complete", False),
    ("developer", "secrets.manage", False),
    ("admin", "secrets.manage", True),
    ("admin", "users.manage", True),
]


@pytest.mark.parametrize(("role", "action", "allowed"), ALLOWED)
def test_can_follows_the_role_table(role: str, action: str, allowed: bool) -> None:
    assert can(Someone(role), action) is allowed


def test_roles_are_the_four_named_and_admin_has_every_action() -> None:
    assert set(ROLES) == {"staff", "supervisor", "developer", "admin"}
    assert PERMISSIONS["admin"] == ACTIONS
    assert all(p <= ACTIONS for p in PERMISSIONS.values())


def test_can_unknown_action_raises_instead_of_denying() -> None:
    with pytest.raises(RoleError, match="unknown action 'secret.manage'"):
        can(Someone("admin"), "secret.manage")


@pytest.mark.parametrize("who", [None, Someone("intern")])
def test_can_nobody_and_unknown_roles_may_do_nothing(who: Someone | None) -> None:
    assert not any(can(who, action) for action in ACTIONS)


def test_require_raises_forbidden_naming_role_and_action() -> None:
    require(Someone("admin"), "users.manage")
    with pytest.raises(Forbidden, match="role 'staff' may not secrets.manage"):
        require(Someone("staff"), "secrets.manage")
    with pytest.raises(Forbidden, match="anonymous"):
        require(None, "runs.read")
