"""Small builders for the awards rules' unit tests."""

from __future__ import annotations

from datetime import date
from typing import Any

from contracts.awards import Evidence, NominationSubmitted
from contracts.common import AwardMethod, Rating, SubjectKind, TitleCode
from services.awards.domain.facts import Facts, HeldTitle
from services.awards.rules import RULESET_2017, RULESET_2022

DEPT = "sct-gialai"
PROVINCE = "gia-lai"
BOARD = "gia-lai-board"
CAMPAIGN = "sct-gialai/2018/phat-dong"
PERSON = "sct-gialai/p-0042"
UNIT = "sct-gialai/qltt"
P17, P22 = RULESET_2017.params, RULESET_2022.params
"""The parameters of the rule sets of NĐ 91/2017 and of the 2022 law, to call one rule with."""


def dossier(
    title: TitleCode = TitleCode.LDTT, year: int = 2018, **changes: Any
) -> NominationSubmitted:
    collective = title in {TitleCode.TTLDTT, TitleCode.TTLDXS, TitleCode.CO_THI_DUA}
    data: dict[str, Any] = {
        "nomination_id": f"{DEPT}/{year}/{title.lower()}",
        "department_code": DEPT,
        "campaign_id": CAMPAIGN,
        "year": year,
        "title": title,
        "nominee_kind": SubjectKind.COLLECTIVE if collective else SubjectKind.INDIVIDUAL,
        "nominee_id": UNIT if collective else PERSON,
        "received_on": date(year, 12, 5),
    }
    evidence = changes.pop("evidence", None)
    data.update(changes)
    if evidence is not None:
        data["evidence"] = evidence if isinstance(evidence, Evidence) else Evidence(**evidence)
    return NominationSubmitted(**data)


def facts(title: TitleCode = TitleCode.LDTT, *, year: int = 2018, **changes: Any) -> Facts:
    d = changes.pop("dossier", None) or dossier(title, year)
    base: dict[str, Any] = {"dossier": d, "registered": True, "rating": Rating.GOOD}
    base.update(changes)
    return Facts(**base)


def held(
    title: TitleCode, *years: int, method: AwardMethod = AwardMethod.REGULAR, revoked: bool = False
) -> tuple[HeldTitle, ...]:
    return tuple(
        HeldTitle(
            year=y, title=title, method=method, revoked=revoked, nomination_id=f"n-{title}-{y}"
        )
        for y in years
    )


def codes(reasons: list[Any] | tuple[Any, ...]) -> set[str]:
    return {r.code for r in reasons}
