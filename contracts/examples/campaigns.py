"""Examples of registration's facts within a campaign or a year: the seed plans launched,
amended and closed, registrations, initiatives and research, ratings, discipline and cases,
their corrections (issue 15), and economic results.

Apart from the directory examples as ``contracts.registration`` keeps its campaigns apart
from its directory; ``contracts.examples.EXAMPLES`` joins them.
"""

from __future__ import annotations

from contracts import registration
from contracts.base import EventData
from contracts.examples.seeds import SEED_PLANS
from contracts.examples.shared import GL, Json

CAMPAIGN_EXAMPLES: dict[type[EventData], list[Json]] = {
    registration.CampaignLaunched: list(SEED_PLANS.values()),
    registration.CampaignAmended: [
        {
            "campaign_id": "sct-gialai/2018/phat-dong",
            "amended_on": "2018-08-01",
            "document": {
                "number": "12/KH-SCT",
                "issued_on": "2018-08-01",
                "issuer": "Sở Công Thương Gia Lai",
            },
            "deadlines": {"registration": "2018-09-15", "dossier": "2018-12-10"},
        }
    ],
    registration.CampaignClosed: [
        {"campaign_id": "sct-gialai/2018/phat-dong", "closed_on": "2018-12-28"}
    ],
    registration.UnitRegistered: [
        {
            "campaign_id": "sct-gialai/2018/phat-dong",
            "department_code": GL,
            "unit_id": "sct-gialai/qltt",
            "titles": ["TTLDXS"],
            "initiatives": [
                {
                    "title": "Quy trình kiểm tra hàng hóa lưu thông trên địa bàn",
                    "kind": "operational",
                }
            ],
            "registered_on": "2018-03-10",
        }
    ],
    registration.IndividualRegistered: [
        {
            "campaign_id": "sct-gialai/2018/phat-dong",
            "department_code": GL,
            "person_id": "sct-gialai/p-0042",
            "unit_id": "sct-gialai/vp",
            "titles": ["LDTT", "CSTDCS"],
            "research_topics": [{"title": "Ứng dụng phần mềm quản lý văn bản điện tử"}],
            "initiatives": [{"title": "Số hóa hồ sơ thi đua khen thưởng", "kind": "management"}],
            "registered_on": "2018-03-12",
        }
    ],
    registration.RegistrationWithdrawn: [
        {
            "campaign_id": "sct-gialai/2018/phat-dong",
            "department_code": GL,
            "registrant_kind": "individual",
            "registrant_id": "sct-gialai/p-0042",
            "withdrawn_on": "2018-06-01",
            "reason": "Chuyển công tác",
        }
    ],
    registration.InitiativeSubmitted: [
        {
            "initiative_id": "sct-gialai/sk-2018-07",
            "department_code": GL,
            "unit_id": "sct-gialai/vp",
            "title": "Số hóa hồ sơ thi đua khen thưởng",
            "kind": "management",
            "scope": "unit",
            "authors": [{"person_id": "sct-gialai/p-0042", "full_name": "Nguyễn Thị Lan"}],
            "campaign_id": "sct-gialai/2018/phat-dong",
            "submitted_on": "2018-10-15",
            "applied_since": "2018-06-01",
        }
    ],
    registration.InitiativeReviewed: [
        {
            "initiative_id": "sct-gialai/sk-2018-07",
            "members_total": 9,
            "members_present": 8,
            "approve_votes": 7,
            "reviewed_on": "2018-11-05",
        }
    ],
    registration.InitiativeRecognized: [
        {
            "initiative_id": "sct-gialai/sk-2018-07",
            "level": "unit",
            "recognized_on": "2018-11-10",
            "decision": {
                "number": "215/QĐ-SCT",
                "issued_on": "2018-11-10",
                "issuer": "Sở Công Thương Gia Lai",
            },
        }
    ],
    registration.InitiativeRejected: [
        {
            "initiative_id": "sct-gialai/sk-2018-09",
            "rejected_on": "2018-11-10",
            "reasons": [
                {
                    "code": "registration.initiative_not_applied",
                    "message": "Giải pháp chưa được áp dụng tại đơn vị",
                }
            ],
        }
    ],
    registration.ResearchAccepted: [
        {
            "research_id": "sct-gialai/dt-2018-01",
            "department_code": GL,
            "unit_id": "sct-gialai/p-qlcn",
            "title": "Đánh giá tiềm năng phát triển điện mặt trời tỉnh Gia Lai",
            "authors": [{"full_name": "Trần Văn Minh"}],
            "level": "ministry_province",
            "accepted_on": "2018-11-20",
        }
    ],
    registration.PerformanceRated: [
        {
            "department_code": GL,
            "subject_kind": "individual",
            "subject_id": "sct-gialai/p-0042",
            "unit_id": "sct-gialai/vp",
            "year": 2018,
            "rating": "excellent",
            "rated_on": "2018-12-20",
        }
    ],
    registration.DisciplineImposed: [
        {
            "person_id": "sct-gialai/p-0077",
            "department_code": GL,
            "unit_id": "sct-gialai/qltt",
            "level": "warning",
            "imposed_on": "2018-09-01",
            "decision_number": "180/QĐ-SCT",
            "case_id": "sct-gialai/vv-2018-03",
        }
    ],
    registration.CaseOpened: [
        {
            "case_id": "sct-gialai/vv-2018-03",
            "kind": "discipline",
            "department_code": GL,
            "subject_kind": "individual",
            "subject_id": "sct-gialai/p-0077",
            "opened_on": "2018-07-15",
        }
    ],
    registration.CaseClosed: [
        {"case_id": "sct-gialai/vv-2018-03", "closed_on": "2018-09-01", "outcome": "substantiated"}
    ],
    registration.PersonDetailsCorrected: [
        {
            "person_id": "sct-gialai/p-0042",
            "department_code": GL,
            "full_name": "Nguyễn Thị Hoa",
            "sex": "female",
            "birth_year": 1985,
            "joined_on": "2010-03-01",
            "corrected_on": "2018-12-22",
            "reason": "Nhập sai năm sinh",
        }
    ],
    registration.EconomicResultReported: [
        {
            "campaign_id": "sct-gialai/2018/phat-dong",
            "department_code": GL,
            "indicator": "Giá trị sản xuất công nghiệp",
            "period": {"start": "2018-01-01", "end": "2018-12-31"},
            "value": 20112.6,
            "unit_of_measure": "tỷ đồng",
            "reported_on": "2018-12-15",
            "note": "Ước thực hiện cả năm 2018 (minh họa)",
        }
    ],
    registration.EconomicResultCorrected: [
        {
            "campaign_id": "sct-gialai/2018/phat-dong",
            "department_code": GL,
            "indicator": "Giá trị sản xuất công nghiệp",
            "period": {"start": "2018-01-01", "end": "2018-12-31"},
            "value": 20154.3,
            "unit_of_measure": "tỷ đồng",
            "previous_value": 18079.2,
            "corrected_on": "2019-01-20",
            "reason": "Số liệu chính thức của Cục Thống kê thay số ước (minh họa)",
        }
    ],
    registration.RatingCorrected: [
        {
            "department_code": GL,
            "subject_kind": "individual",
            "subject_id": "sct-gialai/p-0042",
            "unit_id": "sct-gialai/vp",
            "year": 2018,
            "rating": "good",
            "corrected_on": "2018-12-27",
            "reason": "Hội đồng đánh giá lại theo Kết luận số 12/KL-SCT",
        }
    ],
    registration.InitiativeDetailsCorrected: [
        {
            "initiative_id": "sct-gialai/sk-2018-07",
            "department_code": GL,
            "unit_id": "sct-gialai/p-qlcn",
            "title": "Số hóa hồ sơ cấp phép hoạt động điện lực",
            "kind": "technical",
            "scope": "unit",
            "authors": [{"full_name": "Trần Văn Minh"}],
            "corrected_on": "2018-10-02",
            "reason": "Ghi thiếu tên sáng kiến",
        }
    ],
    registration.InitiativeWithdrawn: [
        {
            "initiative_id": "sct-gialai/sk-2018-07",
            "department_code": GL,
            "withdrawn_on": "2019-01-10",
            "reason": "Sáng kiến trùng với giải pháp đã được công nhận năm 2016",
        }
    ],
    registration.ResearchWithdrawn: [
        {
            "research_id": "sct-gialai/dt-2018-01",
            "department_code": GL,
            "withdrawn_on": "2019-01-10",
            "reason": "Hủy kết quả nghiệm thu theo Quyết định số 05/QĐ-SKHCN",
        }
    ],
    registration.DisciplineLifted: [
        {
            "person_id": "sct-gialai/p-0077",
            "department_code": GL,
            "imposed_on": "2018-09-01",
            "lifted_on": "2018-11-15",
            "annulled": True,
            "decision_number": "215/QĐ-SCT",
            "reason": "Hủy quyết định kỷ luật sau khi giải quyết khiếu nại",
        }
    ],
}
