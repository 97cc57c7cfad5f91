"""Users, passwords and tokens in a real SQLite file (and PostgreSQL); only hashes are stored, changes audited."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, update

from rpa.audit import entries, verify
from rpa.auth import (
    AuthError,
    RoleError,
    UnknownUser,
    UserExists,
    WeakPassword,
    add_user,
    authenticate,
    can,
    get_user,
    issue_token,
    list_users,
    verify_password,
)
from rpa.auth.schema import users
from rpa.store import open_engine

pytestmark = pytest.mark.postgresql  # also run on a throwaway PostgreSQL server

PASSWORD = "correct horse 7"


def test_add_user_then_list_by_name(engine: Engine) -> None:
    add_user(engine, "zoe", "staff", PASSWORD, actor="root@cli")
    add_user(engine, "ada", "admin", PASSWORD, actor="root@cli")
    assert [(u.name, u.role) for u in list_users(engine)] == [("ada", "admin"), ("zoe", "staff")]


@pytest.mark.parametrize(("name", "role", "password", "error"), [
    ("ada", "boss", PASSWORD, RoleError),
    ("ada", "staff", "short", WeakPassword),
    ("Ada Lovelace", "staff", PASSWORD, AuthError),
    ("", "staff", PASSWORD, AuthError),
])
def test_add_user_rejects_bad_input_and_stores_nothing(engine: Engine, name: str, role: str,
                                                       password: str, error: type) -> None:
    with pytest.raises(error):
        add_user(engine, name, role, password, actor="root@cli")
    assert list_users(engine) == [] and entries(engine) == []


def test_add_user_twice_is_user_exists(engine: Engine) -> None:
    add_user(engine, "ada", "staff", PASSWORD, actor="root@cli")
    with pytest.raises(UserExists, match="'ada' already exists"):
        add_user(engine, "ada", "admin", PASSWORD, actor="root@cli")


def test_verify_password_accepts_only_the_right_one(engine: Engine) -> None:
    add_user(engine, "ada", "supervisor", PASSWORD, actor="root@cli")
    user = verify_password(engine, "ada", PASSWORD)
    assert user is not None and user.role == "supervisor"
    assert verify_password(engine, "ada", PASSWORD + "x") is None
    assert verify_password(engine, "nobody", PASSWORD) is None


def test_verify_password_upgrades_an_old_weaker_hash(engine: Engine) -> None:
    from argon2 import PasswordHasher

    weak = PasswordHasher(time_cost=1, memory_cost=8192).hash(PASSWORD)
    add_user(engine, "ada", "staff", PASSWORD, actor="root@cli")
    with engine.begin() as conn:
        conn.execute(update(users).values(password_hash=weak))
    assert verify_password(engine, "ada", PASSWORD) is not None
    with engine.connect() as conn:
        assert conn.execute(users.select()).one().password_hash != weak


def test_disabled_user_cannot_sign_in_or_use_tokens(engine: Engine) -> None:
    add_user(engine, "ada", "staff", PASSWORD, actor="root@cli")
    token = issue_token(engine, "ada", actor="root@cli")
    with engine.begin() as conn:
        conn.execute(update(users).values(disabled=True))
    assert verify_password(engine, "ada", PASSWORD) is None and authenticate(engine, token) is None


def test_authenticate_finds_the_token_holder(engine: Engine) -> None:
    add_user(engine, "staffer", "staff", PASSWORD, actor="root@cli")
    add_user(engine, "boss", "admin", PASSWORD, actor="root@cli")
    first = issue_token(engine, "staffer", actor="x")
    second = issue_token(engine, "boss", actor="x")
    staffer, boss = authenticate(engine, first), authenticate(engine, second)
    assert staffer is not None and boss is not None
    assert (staffer.name, boss.name) == ("staffer", "boss")
    assert not can(staffer, "secrets.manage") and can(boss, "users.manage")
    assert authenticate(engine, first + "x") is None and authenticate(engine, "") is None


def test_issue_token_for_unknown_user(engine: Engine) -> None:
    with pytest.raises(UnknownUser, match="no user 'ghost'"):
        issue_token(engine, "ghost", actor="root@cli")
    with pytest.raises(UnknownUser):
        get_user(engine, "ghost")


def test_passwords_and_tokens_never_reach_the_sqlite_file(db_path: Path) -> None:
    engine = open_engine(f"sqlite:///{db_path}")  # the file's bytes are read: SQLite only
    add_user(engine, "ada", "admin", PASSWORD, actor="root@cli")
    token = issue_token(engine, "ada", actor="root@cli")
    assert authenticate(engine, token) is not None
    engine.dispose()
    stored = b"".join(p.read_bytes() for p in db_path.parent.glob("smartlab.db*"))
    assert b"$argon2id$" in stored
    assert PASSWORD.encode() not in stored and token.encode() not in stored


def test_user_changes_are_audited_without_secrets(engine: Engine) -> None:
    add_user(engine, "ada", "developer", PASSWORD, actor="root@cli")
    token = issue_token(engine, "ada", actor="boss")
    found = [(e.actor, e.action, e.target, e.data) for e in reversed(entries(engine))]
    assert found == [("root@cli", "user.add", "ada", {"role": "developer"}),
                     ("boss", "user.token", "ada", {})]
    assert verify(engine) is None
    assert all(token not in e.detail and PASSWORD not in e.detail for e in entries(engine))
