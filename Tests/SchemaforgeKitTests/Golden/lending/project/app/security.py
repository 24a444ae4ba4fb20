"""Passwords (Argon2, with pwdlib), access tokens (JWT, with PyJWT), refresh tokens and
login throttling."""

import hashlib
import math
import secrets
import time
from collections import deque
from datetime import datetime, timedelta, timezone

import jwt
from pwdlib import PasswordHash
from pwdlib.exceptions import UnknownHashError
from pwdlib.hashers.argon2 import Argon2Hasher
from pwdlib.hashers.bcrypt import BcryptHasher

from app.config import settings

# New hashes are Argon2; bcrypt hashes (imported from an older system) still verify, and
# are replaced by an Argon2 hash at the next login.
password_hash = PasswordHash((Argon2Hasher(), BcryptHasher()))
# Checked when a login is unknown: it costs the time a wrong password costs.
DUMMY_HASH = password_hash.hash("not a password of anyone")


def hash_password(password: str) -> str:
    return password_hash.hash(password)


def verify_password(password: str, hashed: str) -> tuple[bool, str | None]:
    """Whether the password matches, and a new hash when the stored one is outdated."""
    try:
        return password_hash.verify_and_update(password, hashed)
    except UnknownHashError:  # not a hash of a scheme we know: no match
        return False, None


def create_access_token(subject: str) -> str:
    """A signed JWT for `subject` that expires after `access_token_minutes`."""
    now = datetime.now(timezone.utc)
    claims = {
        "sub": subject,
        "iat": now,
        "exp": now + timedelta(minutes=settings.access_token_minutes),
    }
    return jwt.encode(claims, settings.jwt_secret, algorithm=settings.jwt_algorithm)


def token_subject(token: str) -> str | None:
    """The subject of a valid, unexpired access token; None for any other token."""
    try:
        claims = jwt.decode(
            token,
            settings.jwt_secret,
            algorithms=[settings.jwt_algorithm],
            options={"require": ["exp", "sub"]},
        )
    except jwt.InvalidTokenError:
        return None
    subject = claims.get("sub")
    return subject if isinstance(subject, str) else None


def new_refresh_token() -> tuple[str, str]:
    """A refresh token and its hash: only the hash is stored."""
    token = secrets.token_urlsafe(32)
    return token, refresh_token_hash(token)


def refresh_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class LoginThrottle:
    """Failed logins per key (a login, a client address) in a sliding window.

    The counts live in this process: behind several workers, each counts its own;
    use a shared store (Redis) when that is not enough.
    """

    def __init__(self, attempts: int, window_seconds: float) -> None:
        self.attempts = attempts
        self.window = window_seconds
        self._failures: dict[str, deque[float]] = {}

    def _recent(self, key: str, now: float) -> deque[float]:
        failures = self._failures.get(key, deque())
        while failures and failures[0] <= now - self.window:
            failures.popleft()
        if not failures:
            self._failures.pop(key, None)
        return failures

    def retry_after(self, *keys: str) -> int | None:
        """Seconds until one of `keys` may try again, or None when all may now."""
        now = time.monotonic()
        waits = [
            failures[0] + self.window - now
            for key in keys
            if len(failures := self._recent(key, now)) >= self.attempts
        ]
        return max(1, math.ceil(max(waits))) if waits else None

    def failed(self, *keys: str) -> None:
        now = time.monotonic()
        for key in keys:
            self._failures.setdefault(key, deque()).append(now)

    def succeeded(self, key: str) -> None:
        self._failures.pop(key, None)
