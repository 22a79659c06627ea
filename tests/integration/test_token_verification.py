"""Tokens checked against the real Keycloak of the suites' stack: its own verify; one signed
with another key under its key id, an unsigned one, one for another audience and one from
another realm do not."""

from __future__ import annotations

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.auth import user_token
from thidua.auth import InvalidToken, TokenVerifier
from thidua.settings import StackSettings
from thidua.stack import LocalStack


@pytest.fixture
async def token(stack: LocalStack, settings: StackSettings) -> str:
    return await user_token("sct-gialai", settings)


async def test_a_token_of_the_realm_verifies_into_its_roles_and_scope(
    token: str, settings: StackSettings
) -> None:
    who = await TokenVerifier(settings.oidc_issuer).verify(token)
    assert who.roles == {"department"}
    assert who.department == "sct-gialai" and who.username == "sct-gialai"


async def test_forged_unsigned_foreign_and_misaddressed_tokens_are_refused(
    token: str, settings: StackSettings
) -> None:
    verifier = TokenVerifier(settings.oidc_issuer)
    header = jwt.get_unverified_header(token)
    claims = jwt.decode(token, options={"verify_signature": False})
    other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    forged = jwt.encode(
        {**claims, "roles": ["board"], "province": "gia-lai"},
        other_key,
        algorithm="RS256",
        headers={"kid": header["kid"]},
    )
    unsigned = jwt.encode(claims, None, algorithm="none", headers={"kid": header["kid"]})
    for bad in (forged, unsigned, token + "x", "khong-phai-jwt"):
        with pytest.raises(InvalidToken):
            await verifier.verify(bad)
    with pytest.raises(InvalidToken):  # for another application of the realm
        await TokenVerifier(settings.oidc_issuer, audience="ung-dung-khac").verify(token)
    master = settings.oidc_issuer.rsplit("/", 1)[0] + "/master"
    with pytest.raises(InvalidToken):  # another realm's keys and issuer
        await TokenVerifier(master).verify(token)
