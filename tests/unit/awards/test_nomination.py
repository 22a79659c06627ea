"""The nomination aggregate: receiving, returning, suspending, concluding, revoking."""

from __future__ import annotations

from datetime import date

import pytest

from contracts.awards import (
    AwardRevoked,
    DecisionIssued,
    NominationApproved,
    NominationRejected,
    NominationReturned,
    NominationSuspended,
)
from contracts.common import TitleCode
from services.awards.domain import nomination as n
from services.awards.rules.base import Verdict, refusal
from tests.unit.awards.builders import dossier

TODAY = date(2018, 12, 11)


def submitted(**changes: object) -> n.Nomination:
    d = dossier(**changes)  # type: ignore[arg-type]
    return n.replay(
        d.nomination_id,
        n.submit(
            n.Nomination(d.nomination_id), d, dossier_deadline=None, open_case=None, today=TODAY
        ),
    )


def decision(**changes: object) -> DecisionIssued:
    data: dict[str, object] = {
        "decision_id": "qd-250",
        "department_code": "sct-gialai",
        "number": "250/QĐ-SCT",
        "issued_on": date(2018, 12, 25),
        "issuer": {"name": "Sở Công Thương Gia Lai"},
        "authority": "department_director",
        "nomination_ids": ["x"],
    }
    data.update(changes)
    return DecisionIssued.model_validate(data)


def test_a_late_dossier_is_received_and_returned_and_may_come_back() -> None:
    d = dossier(received_on=date(2018, 12, 11))
    events = n.submit(
        n.Nomination(d.nomination_id),
        d,
        dossier_deadline=date(2018, 12, 10),
        open_case=None,
        today=TODAY,
    )
    assert [type(e) for e in events] == [type(d), NominationReturned]
    state = n.replay(d.nomination_id, events)
    assert state.status is n.Status.RETURNED
    again = d.model_copy(update={"late_override": {"reason": "Đồng ý", "approved_by": "Giám đốc"}})
    assert n.submit(
        state, again, dossier_deadline=date(2018, 12, 10), open_case=None, today=TODAY
    ) == [again]


def test_a_dossier_under_an_open_case_is_suspended() -> None:
    d = dossier()
    events = n.submit(
        n.Nomination(d.nomination_id), d, dossier_deadline=None, open_case="vv-1", today=TODAY
    )
    assert isinstance(events[-1], NominationSuspended)
    state = n.replay(d.nomination_id, events)
    assert n.open_for_vote(state) == []
    assert {r.code for r in n.open_for_decision(state)} == {"awards.nomination_suspended"}


def test_the_same_nomination_is_not_received_twice() -> None:
    state = submitted()
    with pytest.raises(n.Refused) as refused:
        n.submit(state, dossier(), dossier_deadline=None, open_case=None, today=TODAY)
    assert refused.value.reasons[0].code == "awards.nomination_exists"


def test_ldtt_for_a_collective_is_refused() -> None:
    d = dossier(TitleCode.LDTT, nominee_kind="collective", nominee_id="sct-gialai/qltt")
    with pytest.raises(n.Refused):
        n.submit(
            n.Nomination(d.nomination_id), d, dossier_deadline=None, open_case=None, today=TODAY
        )


def test_an_approved_nomination_carries_its_cash_and_can_be_revoked_once() -> None:
    state = submitted()
    approved = n.conclude(state, decision(), Verdict("nd-91-2017", ()))
    assert isinstance(approved, NominationApproved)
    assert (approved.cash_vnd, approved.base_salary_vnd) == (417_000, 1_390_000)
    state = state.apply(approved)
    assert {r.code for r in n.open_for_decision(state)} == {"awards.nomination_decided"}
    revocation = AwardRevoked(
        nomination_id=state.nomination_id,
        department_code="sct-gialai",
        decision_number="31/QĐ-SCT",
        revoked_on=date(2019, 3, 1),
        reason="Sai sót hồ sơ",
    )
    state = state.apply(n.revoke(state, revocation)[0])
    assert state.status is n.Status.REVOKED
    with pytest.raises(n.Refused):
        n.revoke(state, revocation)


def test_a_rejected_nomination_keeps_its_reasons() -> None:
    reasons = tuple(refusal("ldtt_rating_too_low", "Chưa đạt"))
    rejected = n.conclude(submitted(), decision(), Verdict("nd-91-2017", reasons))
    assert isinstance(rejected, NominationRejected)
    assert rejected.reasons[0].code == "awards.ldtt_rating_too_low"
    with pytest.raises(n.Refused):
        n.revoke(
            submitted().apply(rejected),
            AwardRevoked(
                nomination_id="x",
                department_code="sct-gialai",
                decision_number="31/QĐ-SCT",
                revoked_on=date(2019, 3, 1),
                reason="r",
            ),
        )


def test_imported_titles_count_in_the_chain_and_cannot_be_revoked_here() -> None:
    from datetime import date

    from contracts.awards import AwardImported, AwardRevoked
    from contracts.common import TitleCode
    from services.awards.domain.chains import consecutive_years
    from services.awards.domain.claims import held_titles
    from services.awards.domain.nomination import Nomination, Status, revoke
    from thidua.es.rejections import Refused

    def imported(year: int) -> AwardImported:
        return AwardImported(
            nomination_id=f"sct-gialai/cb-0001/lich-su/{year}/cstdcs",
            department_code="sct-gialai",
            year=year,
            title=TitleCode.CSTDCS,
            nominee_kind="individual",
            nominee_id="sct-gialai/cb-0001",
            decision_number=f"{year - 2000}/QĐ-SCT",
            decision_date=date(year, 12, 28),
        )  # type: ignore[arg-type]

    titles: tuple = ()  # type: ignore[type-arg]
    for year in (2016, 2017, 2018):
        titles = held_titles(titles, imported(year))
    assert consecutive_years(titles, TitleCode.CSTDCS, 2018) == 3
    state = Nomination("sct-gialai/cb-0001/lich-su/2016/cstdcs").apply(imported(2016))
    assert state.status is Status.APPROVED
    revocation = AwardRevoked(
        nomination_id=state.nomination_id,
        department_code="sct-gialai",
        decision_number="1/QĐ-SCT",
        revoked_on=date(2019, 1, 2),
        reason="Thử",
    )
    with pytest.raises(Refused) as refused:
        revoke(state, revocation)
    assert refused.value.reasons[0].code == "awards.imported_title"
