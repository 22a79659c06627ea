"""Examples of the awards service's facts: nominations, votes and decisions, revocations,
imported titles, exemplary models and conferences, their corrections, and the commendation
fund.

Apart from registration's examples as the contracts are: one owner each;
``contracts.examples.EXAMPLES`` joins them.
"""

from __future__ import annotations

from contracts import awards
from contracts.base import EventData
from contracts.examples.shared import GL, Json

_REASON = {
    "code": "awards.dossier_incomplete",
    "message": "Hồ sơ thiếu biên bản họp Hội đồng Thi đua - Khen thưởng",
    "field": "evidence.documents",
}

AWARDS_EXAMPLES: dict[type[EventData], list[Json]] = {
    awards.NominationSubmitted: [
        {
            "nomination_id": "sct-gialai/2018/cstdcs-0042",
            "department_code": GL,
            "campaign_id": "sct-gialai/2018/phat-dong",
            "year": 2018,
            "title": "CSTDCS",
            "nominee_kind": "individual",
            "nominee_id": "sct-gialai/p-0042",
            "unit_id": "sct-gialai/vp",
            "evidence": {
                "rating": "excellent",
                "htxsnv": True,
                "initiative_ids": ["sct-gialai/sk-2018-07"],
            },
            "received_on": "2018-12-05",
        },
        {
            "nomination_id": "sct-gialai/2018/ttldxs-qltt",
            "department_code": GL,
            "campaign_id": "sct-gialai/2018/phat-dong",
            "year": 2018,
            "title": "TTLDXS",
            "nominee_kind": "collective",
            "nominee_id": "sct-gialai/qltt",
            "received_on": "2018-12-12",
            "late_override": {
                "reason": "Đơn vị gửi đúng hạn qua bưu điện",
                "approved_by": "Chánh Văn phòng Sở",
            },
        },
    ],
    awards.NominationReturned: [
        {
            "nomination_id": "sct-gialai/2018/ttldxs-qltt",
            "returned_on": "2018-12-13",
            "late": False,
            "reasons": [_REASON],
        }
    ],
    awards.NominationForwarded: [
        {
            "nomination_id": "sct-gialai/2018/cstd-tinh-0042",
            "department_code": "sct-gialai",
            "board_code": "gia-lai-board",
            "province_id": "gia-lai",
            "title": "CSTD_BO_TINH",
            "forwarded_on": "2018-12-07",
        }
    ],
    awards.NominationVoted: [
        {
            "nomination_id": "sct-gialai/2018/cstd-tinh-0042",
            "session_id": "gia-lai-board/hdtdkt/2018",
            "department_code": "gia-lai-board",
            "council_level": "province",
            "members_total": 11,
            "members_present": 10,
            "yes_votes": 10,
            "threshold_percent": 90,
            "reached": True,
            "voted_on": "2018-12-27",
        }
    ],
    awards.NominationSuspended: [
        {
            "nomination_id": "sct-gialai/2018/ldtt-0077",
            "case_id": "sct-gialai/vv-2018-03",
            "suspended_on": "2018-12-11",
        }
    ],
    awards.NominationResumed: [
        {
            "nomination_id": "sct-gialai/2018/ldtt-0077",
            "case_id": "sct-gialai/vv-2018-03",
            "resumed_on": "2019-01-05",
        }
    ],
    awards.CouncilVoted: [
        {
            "session_id": "sct-gialai/hdtdkt/2018-12-18",
            "department_code": GL,
            "council_level": "department",
            "members_total": 9,
            "members_present": 9,
            "session_on": "2018-12-18",
            "results": [{"nomination_id": "sct-gialai/2018/cstdcs-0042", "yes_votes": 8}],
        }
    ],
    awards.DecisionIssued: [
        {
            "decision_id": "sct-gialai/qd-2018-250",
            "department_code": GL,
            "number": "250/QĐ-SCT",
            "issued_on": "2018-12-25",
            "issuer": {"org_id": GL, "name": "Sở Công Thương Gia Lai", "abbreviation": "SCT"},
            "signer": {"name": "Nguyễn Văn A", "position": "Giám đốc"},
            "authority": "department_director",
            "nomination_ids": ["sct-gialai/2018/cstdcs-0042"],
        }
    ],
    awards.NominationApproved: [
        {
            "nomination_id": "sct-gialai/2018/cstdcs-0042",
            "department_code": GL,
            "year": 2018,
            "title": "CSTDCS",
            "nominee_kind": "individual",
            "nominee_id": "sct-gialai/p-0042",
            "unit_id": "sct-gialai/vp",
            "decision_id": "sct-gialai/qd-2018-250",
            "decision_number": "250/QĐ-SCT",
            "decision_date": "2018-12-25",
            "authority": "department_director",
            "cash_vnd": 1390000,
            "base_salary_vnd": 1390000,
            "coefficient": 1,
            "rule_set": "nd-91-2017",
        }
    ],
    awards.NominationRejected: [
        {
            "nomination_id": "sct-gialai/2018/cstdcs-0051",
            "rejected_on": "2018-12-20",
            "reasons": [
                {
                    "code": "awards.cstdcs_without_ldtt",
                    "message": "Chưa đạt danh hiệu Lao động tiên tiến năm 2018",
                }
            ],
            "rule_set": "nd-91-2017",
        }
    ],
    awards.AwardRevoked: [
        {
            "nomination_id": "sct-gialai/2018/cstdcs-0042",
            "department_code": GL,
            "decision_number": "31/QĐ-SCT",
            "revoked_on": "2019-03-01",
            "reason": "Sáng kiến đã được sử dụng để đề nghị khen thưởng khác",
        }
    ],
    awards.AwardImported: [
        {
            "nomination_id": "sct-gialai/cb-0042/lich-su/2016/cstdcs",
            "department_code": GL,
            "year": 2016,
            "title": "CSTDCS",
            "nominee_kind": "individual",
            "nominee_id": "sct-gialai/cb-0042",
            "unit_id": "sct-gialai/qltt",
            "decision_number": "125/QĐ-SCT",
            "decision_date": "2016-12-28",
        }
    ],
    awards.ExemplaryModelChosen: [
        {
            "exemplary_id": "sct-gialai/dhtt-2018-01",
            "department_code": GL,
            "year": 2018,
            "subject_kind": "collective",
            "subject_id": "sct-gialai/qltt",
            "achievement": "Dẫn đầu phong trào chống buôn lậu, gian lận thương mại",
            "chosen_on": "2018-12-26",
        }
    ],
    awards.ConferenceHeld: [
        {
            "conference_id": "sct-khanhhoa/hn-dhtt-2020",
            "department_code": "sct-khanhhoa",
            "kind": "exemplary_models",
            "level": "department",
            "format": "delegates",
            "held_on": "2020-05-20",
            "delegates_total": 150,
            "exemplary_delegates": 105,
            "guest_delegates": 45,
            "report_due": "2020-06-03",
            "review_period": {"start": "2015-01-01", "end": "2020-12-31"},
            "campaign_id": "sct-khanhhoa/2020/hoi-nghi-dhtt",
        }
    ],
    awards.NominationWithdrawn: [
        {
            "nomination_id": "sct-gialai/2018/cstdcs-0042",
            "department_code": GL,
            "withdrawn_on": "2018-12-12",
            "reason": "Đơn vị rút hồ sơ để bổ sung thành tích",
        }
    ],
    awards.ExemplaryModelCorrected: [
        {
            "exemplary_id": "sct-gialai/dh-2018-01",
            "department_code": GL,
            "year": 2018,
            "subject_kind": "collective",
            "subject_id": "sct-gialai/qltt",
            "achievement": "Dẫn đầu phong trào chống buôn lậu, gian lận thương mại và hàng giả",
            "chosen_on": "2018-12-26",
            "corrected_on": "2019-01-05",
            "reason": "Ghi thiếu thành tích",
        }
    ],
    awards.ExemplaryModelWithdrawn: [
        {
            "exemplary_id": "sct-gialai/dh-2018-01",
            "department_code": GL,
            "withdrawn_on": "2019-01-05",
            "reason": "Chọn nhầm đơn vị",
        }
    ],
    awards.ConferenceCorrected: [
        {
            "conference_id": "sct-khanhhoa/hn-dhtt-2020",
            "department_code": "sct-khanhhoa",
            "kind": "exemplary_models",
            "level": "department",
            "format": "delegates",
            "held_on": "2020-05-20",
            "delegates_total": 140,
            "exemplary_delegates": 98,
            "guest_delegates": 42,
            "report_due": "2020-06-03",
            "review_period": {"start": "2015-01-01", "end": "2020-12-31"},
            "campaign_id": "sct-khanhhoa/2020/hoi-nghi-dhtt",
            "corrected_on": "2020-05-25",
            "reason": "Số đại biểu dự thực tế là 140",
        }
    ],
    awards.ConferenceReported: [
        {
            "conference_id": "sct-khanhhoa/hn-dhtt-2020",
            "department_code": "sct-khanhhoa",
            "reported_on": "2020-06-01",
            "document_number": "45/BC-SCT",
            "summary": "Báo cáo kết quả Hội nghị điển hình tiên tiến ngành Công Thương Khánh Hòa",
        }
    ],
    awards.AwardFlaggedForReview: [
        {
            "nomination_id": "sct-gialai/2018/cstdcs-0042",
            "department_code": GL,
            "flagged_on": "2019-01-10",
            "cause_type": "vn.thidua.registration.InitiativeWithdrawn.v1",
            "cause_event_id": "6a1f0b2c-3d4e-4f50-8a6b-7c8d9e0f1a2b",
            "reasons": [
                {
                    "code": "awards.evidence_withdrawn",
                    "message": "Sáng kiến sct-gialai/sk-2018-07 làm căn cứ khen thưởng đã bị rút",
                }
            ],
        }
    ],
    awards.FundAllocated: [
        {
            "department_code": GL,
            "year": 2018,
            "amount_vnd": 250_000_000,
            "legal_basis": {
                "number": "1024/QĐ-UBND",
                "issued_on": "2017-12-20",
                "issuer": "UBND tỉnh Gia Lai",
                "title": "Giao dự toán ngân sách nhà nước năm 2018",
            },
            "allocated_on": "2018-01-05",
            "regular_expenditure_vnd": 30_000_000_000,
            "upland": True,
        }
    ],
    awards.FundAdjusted: [
        {
            "department_code": GL,
            "year": 2018,
            "delta_vnd": -20_000_000,
            "reason": "Cắt giảm 10% chi thường xuyên",
            "legal_basis": {"number": "512/QĐ-UBND", "issuer": "UBND tỉnh Gia Lai"},
            "adjusted_on": "2018-07-02",
        }
    ],
    awards.FundDrawn: [
        {
            "department_code": GL,
            "year": 2018,
            "decision_id": "sct-gialai/qd-250-2018",
            "decision_number": "250/QĐ-SCT",
            "decided_on": "2018-12-25",
            "amount_vnd": 57_820_000,
            "balance_vnd": 172_180_000,
        }
    ],
    awards.FundOverdrawn: [
        {
            "department_code": "gia-lai-board",
            "year": 2018,
            "decision_id": "gia-lai-board/qd-2871-2018",
            "decision_number": "2871/QĐ-UBND",
            "decided_on": "2018-12-28",
            "amount_vnd": 41_700_000,
            "balance_vnd": -1_700_000,
            "available_vnd": 40_000_000,
        }
    ],
    awards.FundRecovered: [
        {
            "department_code": GL,
            "year": 2018,
            "decision_id": "sct-gialai/qd-250-2018",
            "decision_number": "250/QĐ-SCT",
            "decided_on": "2018-12-25",
            "amount_vnd": 1_390_000,
            "balance_vnd": 173_570_000,
            "nomination_id": "sct-gialai/2018/cstdcs-0042",
            "revoked_by": "31/QĐ-SCT",
            "recovered_on": "2019-04-10",
        }
    ],
}
