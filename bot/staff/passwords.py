"""Password hashing with argon2id (argon2-cffi's maintained defaults)."""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

MIN_LENGTH = 12


@cache
def hasher() -> PasswordHasher:
    """One hasher per process; its parameters follow RFC 9106's recommendations."""
    return PasswordHasher()


def hash_password(password: str) -> str:
    """An argon2id hash of ``password``."""
    return hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Whether ``password`` matches; never raises for a wrong password or a broken hash."""
    try:
        return hasher().verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """Whether the hash was made with weaker parameters than today's defaults."""
    return hasher().check_needs_rehash(password_hash)


# A fixed hash to verify against when the username is unknown, so that the time a failed
# login takes does not reveal whether an account exists.
@cache
def dummy_hash() -> str:
    """A hash of a random string, computed once."""
    import secrets

    return hash_password(secrets.token_urlsafe(16))
