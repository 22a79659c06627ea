"""What each role may read (pure rules over claims and places) and where a login may return."""

from __future__ import annotations

import pytest

from thidua.auth import Place, Principal
from thidua.auth.login import _safe_next

GIA_LAI_SCT = Place("department", "sct-gialai", "sct-gialai", "gia-lai", "bct")
GIA_LAI_SCT_UNIT = Place("unit", "sct-gialai/vp", "sct-gialai", "gia-lai", "bct")
BAC_LIEU_SCT = Place("department", "sct-baclieu", "sct-baclieu", "bac-lieu", "bct")
GIA_LAI = Place("province", "gia-lai", province="gia-lai")
BCT = Place("ministry", "bct", ministry="bct")


def principal(**claims: object) -> Principal:
    return Principal.from_claims({"sub": "x", "preferred_username": "u", **claims})


BOARD = principal(roles=["board"], province="gia-lai")
MINISTRY = principal(roles=["ministry"], ministry="bct")
DEPARTMENT = principal(roles=["department"], department="sct-gialai")
OPERATOR = principal(roles=["operator"])
TOOLS = principal(roles=["operator", "board", "ministry"], province="*", ministry="*")


@pytest.mark.parametrize(
    ("who", "place", "allowed"),
    [
        (BOARD, GIA_LAI, True),
        (BOARD, GIA_LAI_SCT, True),
        (BOARD, GIA_LAI_SCT_UNIT, True),
        (BOARD, BAC_LIEU_SCT, False),
        (BOARD, BCT, False),
        (MINISTRY, BCT, True),
        (MINISTRY, GIA_LAI_SCT, True),
        (MINISTRY, BAC_LIEU_SCT, True),
        (MINISTRY, GIA_LAI, False),
        (DEPARTMENT, GIA_LAI_SCT, True),
        (DEPARTMENT, GIA_LAI_SCT_UNIT, True),
        (DEPARTMENT, BAC_LIEU_SCT, False),
        (DEPARTMENT, GIA_LAI, False),
        (DEPARTMENT, BCT, False),
        (OPERATOR, GIA_LAI_SCT, False),
        (TOOLS, BAC_LIEU_SCT, True),
        (TOOLS, BCT, True),
    ],
)
def test_each_role_reads_its_own_scope_only(who: Principal, place: Place, allowed: bool) -> None:
    assert who.may_read(place) is allowed


def test_a_role_without_its_scope_claim_reads_nothing() -> None:
    assert not principal(roles=["department"]).may_read(GIA_LAI_SCT)
    assert not principal(roles=["board"]).may_read(Place("province", "x"))


def test_roles_come_from_the_flat_claim_or_keycloaks_realm_access_and_unknown_ones_drop() -> None:
    assert principal(roles=["board", "admin"]).roles == {"board"}
    assert principal(realm_access={"roles": ["operator", "offline_access"]}).roles == {"operator"}
    assert not principal(roles=["operator"]).reads_data


@pytest.mark.parametrize(
    ("target", "safe"),
    [
        ("/tinh/gia-lai?nam=2018", "/tinh/gia-lai?nam=2018"),
        (None, "/"),
        ("https://evil.example/", "/"),
        ("//evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("tinh", "/"),
    ],
)
def test_a_login_returns_only_to_a_path_of_this_site(target: str | None, safe: str) -> None:
    assert _safe_next(target) == safe


@pytest.mark.parametrize(
    ("who", "code", "allowed"),
    [
        (DEPARTMENT, "sct-gialai", True),
        (DEPARTMENT, "sct-baclieu", False),
        (DEPARTMENT, "gia-lai-board", False),
        (BOARD, "gia-lai-board", True),
        (BOARD, "bac-lieu-board", False),
        (BOARD, "sct-gialai", False),  # a board reads its departments, it does not post for them
        (MINISTRY, "sct-gialai", False),
        (OPERATOR, "sct-gialai", False),
        (TOOLS, "gia-lai-board", False),  # "*" reads everywhere but writes nowhere
        (principal(roles=["department"], department="*"), "sct-gialai", False),
    ],
)
def test_who_may_post_to_a_department_s_http_door(who: Principal, code: str, allowed: bool) -> None:
    assert who.may_submit(code) is allowed
