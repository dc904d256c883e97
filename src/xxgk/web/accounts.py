"""Users, roles, passwords (argon2), API tokens and browser sessions.

Passwords are hashed with argon2id (argon2-cffi). API tokens and session ids are random
(`secrets`, 256 bits) and only their SHA-256 is stored: a leaked database gives no usable token.
Roles (issue 13 item 1): a viewer reads; a supervisor reads everything and decides findings; an
office reads, and writes only for its own agency (its drafts, its corrections); an admin does
everything, including managing users.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from collections import deque
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select

from xxgk.audit.agencies import agency_key
from xxgk.errors import XxgkError
from xxgk.storage.db import Database
from xxgk.web.auditlog import record
from xxgk.web.models import ROLES, ApiToken, User, WebSession

_hasher = PasswordHasher()  # argon2id with the library's RFC 9106 defaults
MIN_PASSWORD = 8


def use_password_hasher(hasher: PasswordHasher) -> None:
    """Swap the argon2 parameters (tests use cheap ones; a deployment keeps the defaults)."""
    global _hasher
    _hasher = hasher


class AccountError(XxgkError, ValueError):
    """A user-facing problem with an account request; str() is the one-line reason."""


@dataclass(frozen=True)
class Account:
    """The logged-in person, detached from the database session."""

    id: int
    name: str
    role: str
    agency: str | None

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def can_decide(self) -> bool:
        return self.role in ("admin", "supervisor")

    @property
    def can_upload(self) -> bool:
        """Put reports into the audit database (offices self-check drafts instead)."""
        return self.role in ("admin", "supervisor")

    def can_write_for(self, agency: str | None) -> bool:
        """Corrections: supervisors and admins anywhere, an office only for its own agency."""
        if self.role in ("admin", "supervisor"):
            return True
        return self.role == "office" and same_agency(self.agency, agency)


def same_agency(a: str | None, b: str | None) -> bool:
    return bool(a and b and agency_key(a) and agency_key(a) == agency_key(b))


def _account(u: User) -> Account:
    return Account(u.id, u.name, u.role, u.agency)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


# --------------------------------------------------------------------------- users
def add_user(
    db: Database, name: str, role: str, password: str, agency: str | None = None, *, actor: str = "cli"
) -> Account:
    """Create a user; AccountError names what is wrong (role, name taken, short password, ...)."""
    name = name.strip()
    if not name or len(name) > 64 or any(c.isspace() for c in name):
        raise AccountError(f"user name {name!r}: 1–64 characters, no spaces")
    if role not in ROLES:
        raise AccountError(f"role must be one of {', '.join(ROLES)}, not {role!r}")
    if role == "office" and not (agency and agency.strip()):
        raise AccountError("an office user needs --agency (the agency whose drafts it writes)")
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"the password must have at least {MIN_PASSWORD} characters")
    with db.session() as s:
        if s.scalar(select(User.id).where(User.name == name)) is not None:
            raise AccountError(f"user {name!r} already exists")
        user = User(
            name=name,
            password_hash=_hasher.hash(password),
            role=role,
            agency=agency.strip() if agency else None,
            created_at=_now(),
            active=True,
        )
        s.add(user)
        s.flush()
        record(s, actor, "user.add", f"user:{name}", None, {"role": role, "agency": user.agency})
        return _account(user)


def list_users(db: Database) -> list[Account]:
    with db.session() as s:
        return [_account(u) for u in s.scalars(select(User).order_by(User.name))]


def authenticate(db: Database, name: str, password: str) -> Account | None:
    with db.session() as s:
        user = s.scalar(select(User).where(User.name == name, User.active.is_(True)))
        if user is None:
            _hasher.hash(password)  # same cost whether or not the name exists
            return None
        try:
            _hasher.verify(user.password_hash, password)
        except (VerificationError, InvalidHashError):
            return None
        if _hasher.check_needs_rehash(user.password_hash):
            user.password_hash = _hasher.hash(password)
        return _account(user)


def issue_token(db: Database, name: str, *, actor: str = "cli") -> str:
    """A new API token for `name`, returned once; only its SHA-256 is kept."""
    token = "xxgk_" + secrets.token_urlsafe(32)
    with db.session() as s:
        user = s.scalar(select(User).where(User.name == name))
        if user is None:
            raise AccountError(f"no user {name!r}")
        s.add(ApiToken(user_id=user.id, token_hash=_digest(token), created_at=_now()))
        record(s, actor, "token.issue", f"user:{name}")
    return token


def account_for_token(db: Database, token: str) -> Account | None:
    with db.session() as s:
        user = s.scalar(
            select(User)
            .join(ApiToken, ApiToken.user_id == User.id)
            .where(ApiToken.token_hash == _digest(token), User.active.is_(True))
        )
        return _account(user) if user else None


# --------------------------------------------------------------------------- sessions
@dataclass(frozen=True)
class BrowserSession:
    token: str  # goes into the cookie; never stored
    csrf: str


def open_session(db: Database, account: Account, hours: int) -> BrowserSession:
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    now = _now()
    with db.session() as s:
        s.execute(delete(WebSession).where(WebSession.expires_at < now))
        s.add(
            WebSession(
                token_hash=_digest(token),
                user_id=account.id,
                csrf=csrf,
                created_at=now,
                expires_at=now + timedelta(hours=hours),
            )
        )
        record(s, account.name, "login", f"user:{account.name}")
    return BrowserSession(token, csrf)


def session_account(db: Database, token: str) -> tuple[Account, str] | None:
    """The account and CSRF token of a live session cookie, or None."""
    with db.session() as s:
        row = s.execute(
            select(User, WebSession.csrf)
            .join(WebSession, WebSession.user_id == User.id)
            .where(
                WebSession.token_hash == _digest(token),
                WebSession.expires_at > _now(),
                User.active.is_(True),
            )
        ).first()
        return (_account(row[0]), row[1]) if row else None


def close_session(db: Database, token: str, actor: str) -> None:
    with db.session() as s:
        s.execute(delete(WebSession).where(WebSession.token_hash == _digest(token)))
        record(s, actor, "logout", f"user:{actor}")


class LoginThrottle:
    """At most `attempts` failed logins per (name, address) within `window` seconds."""

    def __init__(self, attempts: int, window: float) -> None:
        self.attempts, self.window = attempts, window
        self._failures: dict[tuple[str, str], deque[float]] = {}

    def _recent(self, key: tuple[str, str]) -> deque[float]:
        q = self._failures.setdefault(key, deque())
        cutoff = time.monotonic() - self.window
        while q and q[0] < cutoff:
            q.popleft()
        return q

    def blocked(self, name: str, address: str) -> bool:
        return len(self._recent((name.lower(), address))) >= self.attempts

    def failed(self, name: str, address: str) -> None:
        self._recent((name.lower(), address)).append(time.monotonic())

    def succeeded(self, name: str, address: str) -> None:
        self._failures.pop((name.lower(), address), None)
