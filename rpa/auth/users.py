"""Users, passwords and API tokens in the store; every change is audited.

Functions take the engine from `rpa.store.open_engine`, which has made the tables (migrations).
"""

from __future__ import annotations

import hashlib
import re
import secrets
import time
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, Row, insert, select, update
from sqlalchemy.exc import IntegrityError

from rpa.audit import record
from rpa.auth.errors import AuthError, UnknownUser, UserExists
from rpa.auth.passwords import check_password, dummy_hash, hash_password, needs_rehash
from rpa.auth.roles import check_role
from rpa.auth.schema import tokens, users

TOKEN_PREFIX = "slt_"
_NAME = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")


@dataclass(frozen=True)
class User:
    id: int
    name: str
    role: str
    created_at: float
    disabled: bool = False


def _user(row: Row[Any]) -> User:
    m = row._mapping
    return User(m["id"], m["name"], m["role"], m["created_at"], bool(m["disabled"]))


def _check_name(name: str) -> str:
    if not _NAME.fullmatch(name):
        raise AuthError(f"'{name}' cannot name a user: use lower-case letters, digits, . _ - "
                        "(up to 64)")
    return name


def add_user(engine: Engine, name: str, role: str, password: str, *, actor: str) -> User:
    """Create a user; audited as `user.add` by `actor`."""
    values = {"name": _check_name(name), "role": check_role(role),
              "password_hash": hash_password(password), "created_at": time.time()}
    try:
        with engine.begin() as conn:
            conn.execute(insert(users).values(**values))
    except IntegrityError as exc:
        raise UserExists(f"user '{name}' already exists") from exc
    record(engine, actor, "user.add", name, {"role": role})
    return get_user(engine, name)


def get_user(engine: Engine, name: str) -> User:
    with engine.connect() as conn:
        return _user(_row(conn, name))


def _row(conn: Connection, name: str) -> Row[Any]:
    row = conn.execute(select(users).where(users.c.name == name)).first()
    if row is None:
        raise UnknownUser(f"no user '{name}' (see `smartlab users list`)")
    return row


def list_users(engine: Engine) -> list[User]:
    """Every user, by name."""
    with engine.connect() as conn:
        return [_user(row) for row in conn.execute(select(users).order_by(users.c.name))]


def verify_password(engine: Engine, name: str, password: str) -> User | None:
    """The user if `password` is theirs, else None; unknown names cost the same time."""
    with engine.connect() as conn:
        row = conn.execute(select(users).where(users.c.name == name)).first()
    if row is None or row.disabled:
        check_password(dummy_hash(), password)
        return None
    if not check_password(row.password_hash, password):
        return None
    if needs_rehash(row.password_hash):
        _set_hash(engine, row.id, hash_password(password))
    return _user(row)


def _set_hash(engine: Engine, user_id: int, stored: str) -> None:
    with engine.begin() as conn:
        conn.execute(update(users).where(users.c.id == user_id).values(password_hash=stored))


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue_token(engine: Engine, name: str, *, actor: str) -> str:
    """A new API token for `name`, returned once: only its hash is kept. Audited."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with engine.begin() as conn:
        user_id = _row(conn, name).id
        conn.execute(insert(tokens).values(user_id=user_id, token_hash=_token_hash(token),
                                           created_at=time.time()))
    record(engine, actor, "user.token", name, {})
    return token


def authenticate(engine: Engine, token: str) -> User | None:
    """The enabled user holding `token`, or None."""
    query = (select(users).join(tokens, tokens.c.user_id == users.c.id)
             .where(tokens.c.token_hash == _token_hash(token), users.c.disabled.is_(False)))
    with engine.connect() as conn:
        row = conn.execute(query).first()
    return _user(row) if row else None
