"""A verified token is remembered until it expires, and only then: the cache never answers for
a token it has not verified, nor for one past its expiry (pure unit test, no identity
provider: the issuer here is an address where nothing listens)."""

from __future__ import annotations

import time

import pytest

from thidua.auth import verify
from thidua.auth.principal import Principal

WHO = Principal(subject="u1", username="can-bo", roles=frozenset({"department"}), department="d")


def verifier() -> verify.TokenVerifier:
    return verify.TokenVerifier("http://127.0.0.1:9/realms/none")


async def test_a_remembered_token_is_answered_without_the_identity_provider() -> None:
    v = verifier()
    v._verified["token-a"] = (time.time() + 300, WHO)
    assert await v.verify("token-a") == WHO


async def test_an_expired_token_is_verified_again_not_answered_from_memory() -> None:
    v = verifier()
    v._verified["token-a"] = (time.time() - verify.LEEWAY_SECONDS - 1, WHO)
    with pytest.raises(ConnectionError):  # it asks the (absent) identity provider again
        await v.verify("token-a")
    assert "token-a" not in v._verified


async def test_an_unknown_token_is_never_answered_from_memory() -> None:
    v = verifier()
    v._verified["token-a"] = (time.time() + 300, WHO)
    with pytest.raises(ConnectionError):
        await v.verify("token-b")


async def test_the_memory_is_bounded_least_recently_used_out(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(verify, "REMEMBERED_TOKENS", 2)
    v = verifier()
    soon = time.time() + 300
    v._remember("t1", soon, WHO)
    v._remember("t2", soon, WHO)
    assert await v.verify("t1") == WHO  # t1 is now the most recently used
    v._remember("t3", soon, WHO)
    assert list(v._verified) == ["t1", "t3"]
    with pytest.raises(ConnectionError):
        await v.verify("t2")
