"""Accounts: argon2 hashes, hashed tokens, session cookies, CSRF on the login, throttling,
logout, login-required pages, the `xxgk users` commands, the audit log of logins."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select
from tests.web.helpers import PASSWORD, Web, csrf_of, login

from xxgk.web.accounts import AccountError, add_user
from xxgk.web.models import ApiToken, AuditLogEntry, User, WebSession


def test_login_sets_a_safe_cookie_and_logout_ends_the_session(web: Web) -> None:
    c = web.client()
    r = login(c, "viewer")
    assert r.status_code == 303 and r.headers["location"] == "/"
    cookie = r.headers["set-cookie"]
    assert "xxgk_session=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
    page = c.get("/")
    assert page.status_code == 200 and 'id="whoami">viewer' in page.text
    token = c.cookies["xxgk_session"]
    r = c.post("/logout", data={"csrf_token": csrf_of(page.text)}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login"
    again = web.client()
    again.cookies.set("xxgk_session", token)
    assert again.get("/", follow_redirects=False).status_code == 303  # the old cookie is dead
    with web.db.session() as s:
        actions = [e.action for e in s.scalars(select(AuditLogEntry).where(AuditLogEntry.actor == "viewer"))]
        assert actions == ["login", "logout"]


def test_wrong_password_and_throttling(web: Web) -> None:
    c = web.client()
    for _ in range(web.settings.login_attempts):
        r = login(c, "sup", "wrong password!")
        assert r.status_code == 401 and "用户名或密码错误" in r.text
    r = login(c, "sup")  # right password, but throttled now
    assert r.status_code == 429 and "xxgk_session" not in r.headers.get("set-cookie", "")
    assert login(web.client(), "viewer").status_code == 303  # another name is not affected


def test_login_needs_its_csrf_token(web: Web) -> None:
    c = web.client()
    c.get("/login")
    r = c.post("/login", data={"name": "sup", "password": PASSWORD, "csrf_token": "forged"})
    assert r.status_code == 403
    fresh = web.client()  # a cross-site form post has no login cookie at all
    r = fresh.post("/login", data={"name": "sup", "password": PASSWORD, "csrf_token": "x"})
    assert r.status_code == 403


def test_pages_need_login_unless_reading_is_public(web: Web) -> None:
    c = web.client()
    for path in ("/", "/findings", "/agencies", "/reports/1", "/upload", "/drafts", "/admin/users"):
        r = c.get(path, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/login"), path


def test_open_redirect_refused(web: Web) -> None:
    c = web.client()
    form = c.get("/login", params={"next": "//evil.example/x"}).text
    r = c.post(
        "/login",
        data={
            "name": "sup",
            "password": PASSWORD,
            "csrf_token": csrf_of(form),
            "next": "https://evil.example",
        },
        follow_redirects=False,
    )
    assert r.headers["location"] == "/"


def test_passwords_and_tokens_are_stored_hashed(web: Web) -> None:
    with web.db.session() as s:
        hashes = s.scalars(select(User.password_hash)).all()
        tokens = s.scalars(select(ApiToken.token_hash)).all()
        sessions = s.scalars(select(WebSession.token_hash)).all()
    assert all(h.startswith("$argon2id$") and PASSWORD not in h for h in hashes)
    assert not set(web.tokens.values()) & set(tokens)
    assert all(len(t) == 64 for t in tokens + sessions)


def test_roles_and_names_are_checked(web: Web) -> None:
    with pytest.raises(AccountError, match="role must be one of"):
        add_user(web.db, "x", "boss", PASSWORD)
    with pytest.raises(AccountError, match="already exists"):
        add_user(web.db, "sup", "viewer", PASSWORD)
    with pytest.raises(AccountError, match="needs --agency"):
        add_user(web.db, "o3", "office", PASSWORD)
    with pytest.raises(AccountError, match="at least 8"):
        add_user(web.db, "short", "viewer", "abc")


def test_admin_pages_are_for_admins(web: Web) -> None:
    for user in ("sup", "viewer", "office"):
        assert web.client(user).get("/admin/users").status_code == 403
    admin = web.client("admin")
    page = admin.get("/admin/users").text
    r = admin.post(
        "/admin/users",
        data={"csrf_token": csrf_of(page), "name": "newbie", "role": "viewer", "password": "long enough pw"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    assert login(web.client(), "newbie", "long enough pw").status_code == 303
    log = admin.get("/admin/log").text
    assert "user.add" in log and "newbie" in log


def _xxgk(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "xxgk", *args], input=stdin, capture_output=True, text=True, timeout=120
    )


def test_users_cli(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    r = _xxgk(
        "users", "add", "root", "--role", "admin", "--password-stdin", "--db", url, stdin="s3cret-password\n"
    )
    assert r.returncode == 0 and r.stdout.strip() == "added root (admin)"
    r = _xxgk(
        "users", "add", "root2", "--role", "boss", "--password-stdin", "--db", url, stdin="s3cret-password\n"
    )
    assert (
        r.returncode == 2 and r.stderr.startswith("xxgk: role must be one of") and "Traceback" not in r.stderr
    )
    r = _xxgk("users", "add", "root3", "--db", url)
    assert r.returncode == 2 and "--password-stdin" in r.stderr
    r = _xxgk("users", "token", "root", "--db", url)
    token = r.stdout.strip()
    assert r.returncode == 0 and token.startswith("xxgk_") and len(token) > 40
    r = _xxgk("users", "token", "nobody", "--db", url)
    assert r.returncode == 2 and r.stderr.strip() == "xxgk: no user 'nobody'"
    from xxgk.storage import open_db
    from xxgk.web.accounts import account_for_token

    with open_db(url) as db:
        account = account_for_token(db, token)
        assert account is not None and account.name == "root" and account.role == "admin"
