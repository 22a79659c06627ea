"""One or more JSON payload examples for every event type.

They go into the generated JSON Schema and AsyncAPI documents (for departments' developers),
the tests validate and round-trip them, and other tests may reuse them as scenario data. The
campaign examples are the plans of the source documents in /work/shared/seeds (DOMAIN.md).
"""

from __future__ import annotations

from typing import Any

from contracts import awards, notifications, registration, rejections
from contracts.base import EventData

Json = dict[str, Any]

GL = "sct-gialai"  # Sở Công Thương Gia Lai
BL = "sct-baclieu"  # Sở Công Thương Bạc Liêu

# --- the seed plans --------------------------------------------------------------------------
#
# Each plan is its source document in /work/shared/seeds (named in SEED_FILES), read in full:
# every movement, target, date, number and recipient the text states, in its own words
# (tests/unit/test_seed_fidelity.py checks them against the text). What the text does not
# state but a campaign needs (a period, the issuer's full name, a parent the news item leaves
# out) is filled in and its field path listed in ``inferred``. "Nơi nhận" lists the recipients
# without the archive line (Lưu: VT, ...).

GIA_LAI_2018_PLAN: Json = {
    "campaign_id": "sct-gialai/2018/phat-dong",
    "department_code": GL,
    "number": None,
    "document_kind": "KH",
    "issuer": {"org_id": GL, "name": "Sở Công Thương Gia Lai", "abbreviation": "SCT"},
    "signer": {
        "name": "Đào Thị Thu Nguyệt",
        "position": "Phó Giám đốc",
        "on_behalf_of": "Giám đốc",
    },
    "launching_level": "department",
    "parents": [
        {
            "number": "01/CTLT-BCT-CDCT",
            "issued_on": "2018-01-16",
            "issuer": "Bộ Công Thương - Công đoàn Công Thương Việt Nam",
            "title": "Về tổ chức phong trào thi đua năm 2018",
        },
        {
            "number": "02/CT-UBND",
            "issued_on": "2018-01-08",
            "issuer": "Ủy ban nhân dân tỉnh Gia Lai",
            "title": "Về việc phát động thi đua thực hiện thắng lợi nhiệm vụ phát triển kinh tế - "
            "xã hội năm 2018",
        },
        {
            "issuer": "Khối thi đua các sở, ngành kinh tế tỉnh",
            "title": "Phong trào thi đua 2018 của Khối thi đua các sở, ngành kinh tế tỉnh với chủ "
            "đề “Kỷ cương - Hành động - Chung tay cùng tỉnh Gia Lai phát triển”",
        },
    ],
    "title": "Kế hoạch phát động phong trào thi đua năm 2018",
    "theme": "Kỷ cương - Hành động - Chung tay cùng tỉnh Gia Lai phát triển",
    "slogan": "Đồng thuận cao, thi đua giỏi, về đích sớm",
    "kind": "regular",
    "year": 2018,
    "period": {"start": "2018-01-01", "end": "2018-12-31"},
    "sub_movements": [
        "Doanh nghiệp Việt Nam hội nhập và phát triển",
        "Lao động giỏi, lao động sáng tạo",
        "Năng suất - Chất lượng - Hiệu quả",
        "Giỏi việc nước, đảm việc nhà",
        "Gia Lai chung sức xây dựng nông thôn mới",
        "Gia Lai chung tay vì người nghèo",
        "Gia Lai chung tay vì An toàn giao thông",
        "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
        "Xây dựng phong cách, tác phong công tác của người đứng đầu, của cán bộ, đảng viên "
        "trong học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
        "Người Việt Nam ưu tiên dùng hàng Việt Nam",
        "Chương trình mục tiêu Quốc gia về sử dụng điện tiết kiệm",
    ],
    "phases": [
        {
            "number": 1,
            "name": "Thi đua lập thành tích chào mừng kỷ niệm 70 năm ngày Chủ tịch Hồ Chí Minh "
            "ra Lời kêu gọi thi đua ái quốc (11/6/1948 - 11/6/2018)",
            "start": "2018-01-01",
            "end": "2018-06-30",
        },
        {
            "number": 2,
            "name": "Thi đua phấn đấu về đích sớm, vượt mức các chỉ tiêu, nhiệm vụ được giao "
            "trong năm 2018",
            "start": "2018-07-01",
            "end": "2018-12-31",
        },
    ],
    "economic_targets": [
        {
            "indicator": "Giá trị sản xuất công nghiệp",
            "unit_of_measure": "tỷ đồng",
            "value": 19663,
            "growth_percent": 8.76,
            "note": "Theo giá so sánh 2010",
        },
        {
            "indicator": "Tổng mức bán lẻ hàng hoá và doanh thu dịch vụ",
            "unit_of_measure": "tỷ đồng",
            "value": 57500,
            "growth_percent": 12.09,
        },
        {
            "indicator": "Tổng kim ngạch xuất khẩu",
            "unit_of_measure": "triệu USD",
            "value": 470,
            "growth_percent": 4.44,
        },
        {
            "indicator": "Tổng kim ngạch nhập khẩu",
            "unit_of_measure": "triệu USD",
            "value": 86,
            "growth_percent": -31.2,
        },
    ],
    "emulation_targets": [
        {
            "title": "LDTT",
            "measure": "percent",
            "value": 90,
            "comparator": "gte",
            "basis": "all_staff",
        },
        {
            "title": "CSTDCS",
            "measure": "percent",
            "value": 15,
            "comparator": "eq",
            "basis": "staff_excluding_leaders",
            "note": "Lãnh đạo Sở không tính vào tỷ lệ %",
        },
        {
            "title": "TTLDTT",
            "measure": "percent",
            "value": 100,
            "comparator": "eq",
            "basis": "units",
        },
        {
            "title": "TTLDXS",
            "measure": "percent",
            "value": 30,
            "comparator": "gte",
            "basis": "units",
        },
        {
            "title": "CO_THI_DUA",
            "measure": "count",
            "value": 1,
            "comparator": "eq",
            "basis": "organisation",
            "note": "Cờ thi đua của Bộ Công Thương hoặc UBND tỉnh",
        },
    ],
    "qualitative_targets": [
        "Phấn đấu hoàn thành xuất sắc nhiệm vụ chuyên môn; đạt và vượt chỉ tiêu, kế hoạch do Hội "
        "đồng nhân dân tỉnh và Ủy ban nhân dân tỉnh giao năm 2018",
        "100% công chức, viên chức và người lao động trong các cơ quan được quán triệt các chủ "
        "trương, đường lối, Nghị quyết của Đảng và chính sách, pháp luật của Nhà nước",
        "100% công chức, viên chức và người lao động thực hiện tốt chủ trương, đường lối, Nghị "
        "quyết của Đảng và chính sách, pháp luật của Nhà nước",
        "Không có công chức, viên chức và người lao động bị vi phạm kỷ luật từ cảnh cáo trở lên",
        "100% công chức, viên chức và người lao động hoàn thành nhiệm vụ được giao",
        "Xây dựng tổ chức đoàn thể hoạt động tốt, phấn đấu đến cuối năm Đảng bộ, Chi bộ đạt trong "
        "sạch vững mạnh; Công đoàn, Chi đoàn vững mạnh toàn diện; Cơ quan đạt công sở văn hoá, "
        "đạt tiêu chuẩn an toàn về an ninh trật tự",
        "Triển khai thực hiện tốt các phong trào thi đua do cấp trên phát động và thực hiện chính "
        "sách, pháp luật của Nhà nước về thi đua, khen thưởng",
        "Thực hiện tốt công tác cải cách hành chính, tập trung nâng cao hiệu quả, hiệu lực nền "
        "hành chính; thực hiện công khai, minh bạch các thủ tục hành chính; đổi mới tác phong làm "
        "việc",
        "Nâng cao năng lực quản lý, điều hành và trách nhiệm của người đứng đầu; làm tốt công tác "
        "phối hợp; nâng cao chất lượng, chủ động trong tham mưu, đề xuất các công việc được Ủy ban "
        "nhân dân tỉnh giao",
    ],
    "deadlines": {"registration": "2018-08-30", "dossier": "2018-12-10"},
    "participants": "Công chức, viên chức và người lao động của cơ quan, đơn vị thuộc Sở",
    "recipients": [
        "Ban TĐKT tỉnh (b/c)",
        "Các tổ chức, đơn vị thuộc Sở",
        "Các đoàn thể thuộc Sở",
        "Đảng ủy Sở",
        "Lãnh đạo Sở",
        "Website Sở",
    ],
    "inferred": [
        "issuer.name",
        "parents.1.issuer",
        "emulation_targets.0.comparator",
        "emulation_targets.1.comparator",
    ],
}

BAC_LIEU_53_KH_SCT: Json = {
    "campaign_id": "sct-baclieu/2019/53-KH-SCT",
    "department_code": BL,
    "number": "53/KH-SCT",
    "document_kind": "KH",
    "issued_on": "2019-08-02",
    "issuer": {"org_id": BL, "name": "Sở Công Thương Bạc Liêu", "abbreviation": "SCT"},
    "signer": {"name": "Phan Văn Sáu", "position": "Giám đốc"},
    "parents": [
        {
            "number": "95/KH-UBND",
            "issued_on": "2019-07-29",
            "issuer": "Chủ tịch Ủy ban nhân dân tỉnh Bạc Liêu",
            "title": "Về việc tổ chức phong trào thi đua phát huy sáng kiến, cải tiến kỹ thuật "
            "lập thành tích chào mừng các ngày lễ lớn năm 2019",
        }
    ],
    "title": "Tổ chức phong trào thi đua phát huy sáng kiến, cải tiến kỹ thuật lập thành tích "
    "chào mừng các ngày lễ lớn năm 2019",
    "theme": "Phát huy sáng kiến, cải tiến kỹ thuật; đoàn kết, sáng tạo, thi đua xây dựng và "
    "bảo vệ tổ quốc",
    "kind": "topical",
    "year": 2019,
    "period": {"start": "2019-08-02", "end": "2019-12-31"},
    "sub_movements": [
        "Phong trào thi đua phát huy sáng kiến, cải tiến kỹ thuật và nghiên cứu khoa học phục "
        "vụ sản xuất, kinh doanh, công tác và đời sống trong CBCCVCLĐ"
    ],
    "qualitative_targets": [
        "Tiếp tục tăng cường công tác tuyên truyền các quy định pháp luật về thi đua khen thưởng "
        "đến toàn thể CBCCVCLĐ trong ngành",
        "Tích cực hưởng ứng các phong trào thi đua yêu nước, phát huy sáng kiến để phát hiện, bồi "
        "dưỡng, nhân rộng điển hình tiên tiến trong các phong trào thi đua yêu nước của CBCCVCLĐ",
    ],
    "participants": "Cán bộ, công chức, viên chức và người lao động (CBCCVCLĐ) trong ngành "
    "Công Thương",
    "recipients": ["GĐ và các PGĐ", "Các phòng chuyên môn", "TTKC&XTTM"],
    "inferred": ["issuer.name", "period.start", "period.end"],
}

BAC_LIEU_CITY_129_KH_UBND: Json = {
    "campaign_id": "ubnd-tp-baclieu/2019/129-KH-UBND",
    "department_code": "ubnd-tp-baclieu",
    "number": "129/KH-UBND",
    "issued_on": "2019-08-22",
    "issuer": {"name": "Ủy ban nhân dân thành phố Bạc Liêu", "abbreviation": "UBND"},
    "launching_level": "city",
    "parents": [
        {
            "number": "95/KH-UBND",
            "issued_on": "2019-07-29",
            "issuer": "Chủ tịch Ủy ban nhân dân tỉnh Bạc Liêu",
        }
    ],
    "title": "Tổ chức phong trào thi đua phát huy sáng kiến, cải tiến kỹ thuật lập thành tích "
    "chào mừng các ngày lễ lớn - năm 2019",
    "theme": "Phát huy sáng kiến, cải tiến kỹ thuật; Đoàn kết, sáng tạo, thi đua xây dựng và "
    "bảo vệ Tổ Quốc",
    "kind": "topical",
    "year": 2019,
    "period": {"start": "2019-08-22", "end": "2019-12-31"},
    "sub_movements": [
        "Tay nghề giỏi",
        "Sáng kiến kỹ thuật",
        "Bàn tay vàng",
        "Xanh - sạch - đẹp - văn minh, đảm bảo an toàn vệ sinh lao động",
        "Thi đua liên kết phục vụ sản xuất nông nghiệp - phát triển nông thôn mới theo hướng "
        "bền vững",
        "Học tập nâng cao trình độ về mọi mặt đáp ứng yêu cầu công nghiệp hóa, hiện đại hóa đất "
        "nước",
        "Đấu tranh phòng, chống tham nhũng, lãng phí, tiêu cực và các tệ nạn xã hội khác",
    ],
    "qualitative_targets": [
        "Tuyên truyền các quy định pháp luật về thi đua khen thưởng đến toàn thể công chức, viên "
        "chức, người lao động biết, hiểu và năng động, chủ động sáng tạo",
        "Phát huy thành tích, nâng cao hiệu quả góp phần hoàn thành nhiệm vụ chính trị, kinh tế - "
        "xã hội năm 2019",
        "Qua từng phong trào thi đua phải tiến hành sơ kết, tổng kết rút kinh nghiệm và khen "
        "thưởng kịp thời những tập thể, cá nhân tiêu biểu xuất sắc, chú trọng là đối tượng đoàn "
        "viên và người lao động trực tiếp lao động sản xuất, kinh doanh, dịch vụ",
        "Xây dựng và nhân rộng điển hình tiên tiến, nêu gương người tốt, việc tốt, đảm bảo công "
        "khai, dân chủ trong đánh giá, xếp loại, khen thưởng",
    ],
    "deadlines": {"review": "2019-12-01"},
    "participants": "Cán bộ, công chức, viên chức và người lao động trực thuộc các Phòng, Ban, "
    "Ngành, Đoàn thể, Mặt trận Tổ quốc, các đơn vị sự nghiệp cấp thành phố, UBND các phường, xã, "
    "công nhân lao động tại các doanh nghiệp trên địa bàn thành phố",
    # The news item names no parent: the city's plan implements the province's, as 53/KH-SCT says.
    "inferred": ["parents.0", "period.start", "period.end"],
}

THAI_NGUYEN_60_KH_KHCN: Json = {
    "campaign_id": "skhcn-thainguyen/2019/60-KH-KHCN",
    "department_code": "skhcn-thainguyen",
    "number": "60/KH-KHCN",
    "issued_on": "2019-08-26",
    "issuer": {
        "org_id": "skhcn-thainguyen",
        "name": "Sở Khoa học và Công nghệ Thái Nguyên",
        "abbreviation": "KHCN",
    },
    "signer": {"name": "Đinh Bộ Sơn", "position": "Phó Giám đốc", "on_behalf_of": "Giám đốc"},
    "parents": [
        {
            "number": "109/KH-UBND",
            "issued_on": "2019-08-06",
            "issuer": "Ủy ban nhân dân tỉnh Thái Nguyên",
            "title": "Tổ chức Đại hội Thi đua yêu nước các cấp tiến tới Đại hội Thi đua yêu nước "
            "toàn quốc lần thứ X",
        }
    ],
    "title": "Tuyên truyền, phổ biến, quán triệt thực hiện Đại hội Thi đua yêu nước tỉnh lần thứ V",
    "kind": "topical",
    "year": 2019,
    "period": {"start": "2019-08-26", "end": "2020-12-31"},
    "sub_movements": [
        "Thái Nguyên chung tay vì người nghèo, không để ai bị bỏ lại phía sau",
        "Cán bộ, công chức, viên chức thi đua thực hiện văn hóa công sở",
        "Thái Nguyên chung sức xây dựng nông thôn mới",
    ],
    "qualitative_targets": [
        "Tuyên truyền về chủ trương, đường lối của Đảng, chính sách, pháp luật của Nhà nước, tư "
        "tưởng Hồ Chí Minh về thi đua yêu nước; tuyên truyền về Đại hội thi đua, biểu dương ghi "
        "nhận những thành quả của phong trào thi đua yêu nước trên các lĩnh vực của đời sống xã "
        "hội",
        "Phát động phong trào gắn với học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí "
        "Minh",
        "Tiếp tục quán triệt, tổ chức thực hiện tốt Luật Thi đua, khen thưởng và các văn bản "
        "hướng dẫn thi hành",
        "Xây dựng và nhân rộng điển hình tiên tiến, mô hình điểm ở các phòng, đơn vị theo từng "
        "phong trào",
        "Tập trung thực hiện tốt công tác phát hiện, bồi dưỡng, tổng kết và nhân rộng các điển "
        "hình tiên tiến",
    ],
    "participants": "Công chức, viên chức và người lao động trong cơ quan",
    "recipients": ["Lãnh đạo Sở", "Các phòng, đơn vị thuộc Sở"],
    "inferred": ["issuer.name", "period.start", "period.end"],
}

_KHANH_HOA_SHARES: Json = {
    "exemplary_share_percent": 70,
    "guest_share_percent": 30,
    "shares_approximate": True,
}

KHANH_HOA_2020_CONFERENCE_PLAN: Json = {
    "campaign_id": "sct-khanhhoa/2020/hoi-nghi-dhtt",
    "department_code": "sct-khanhhoa",
    "issuer": {"org_id": "sct-khanhhoa", "name": "Sở Công Thương Khánh Hòa", "abbreviation": "SCT"},
    "signer": {"name": "Lê Thu Hải", "position": "Giám đốc"},
    "parents": [
        {
            "number": "7185/KH-UBND",
            "issued_on": "2019-07-22",
            "issuer": "UBND tỉnh Khánh Hòa",
            "title": "Về tổ chức Đại hội thi đua và Hội nghị điển hình tiên tiến các cấp tiến tới "
            "Đại hội thi đua yêu nước toàn tỉnh lần thứ V năm 2020",
        },
        {
            "number": "5677/KH-BCT",
            "issued_on": "2019-08-07",
            "issuer": "Bộ Công Thương",
            "title": "Tổ chức Đại hội thi đua yêu nước các cấp tiến tới Đại hội thi đua yêu nước "
            "ngành Công Thương lần thứ III và Đại hội thi đua yêu nước toàn quốc lần thứ X",
        },
    ],
    "title": "Tổ chức Hội nghị điển hình tiên tiến ngành Công Thương Khánh Hòa tiến tới Đại hội "
    "Thi đua yêu nước tỉnh Khánh Hòa lần thứ V năm 2020 và Đại hội thi đua yêu nước ngành Công "
    "Thương lần thứ III",
    "kind": "topical",
    "year": 2020,
    "period": {"start": "2020-01-01", "end": "2020-06-30"},
    "phases": [
        {
            "number": 1,
            "name": "Hội nghị điển hình tiên tiến cấp cơ sở",
            "start": "2020-01-01",
            "end": "2020-03-31",
        },
        {
            "number": 2,
            "name": "Hội nghị điển hình tiên tiến ngành Công Thương Khánh Hòa",
            "start": "2020-05-01",
            "end": "2020-05-31",
        },
    ],
    "sub_movements": [
        "Doanh nghiệp Việt Nam hội nhập và phát triển",
        "Cả nước chung tay vì người nghèo, không để ai bị bỏ lại phía sau",
        "Doanh nghiệp tỉnh Khánh Hòa sản xuất giỏi, kinh doanh giỏi, hoàn thành vượt mức các chỉ "
        "tiêu",
        "Cả nước chung sức xây dựng nông thôn mới",
        "Cán bộ, công chức, viên chức thi đua thực hiện văn hóa công sở",
    ],
    "qualitative_targets": [
        "Tổ chức Hội nghị điển hình tiên tiến các cấp trong ngành Công Thương bảo đảm trang "
        "trọng, thiết thực, tiết kiệm, tránh phô trương, hình thức",
        "Các cơ quan, đơn vị, doanh nghiệp cần có kế hoạch, biện pháp thi đua cụ thể, phấn đấu "
        "thực hiện thắng lợi nhiệm vụ phát triển kinh tế - xã hội của tỉnh",
        "Chú trọng việc phát hiện các điển hình và nhân tố mới thực sự tiêu biểu trong các phong "
        "trào thi đua yêu nước được quần chúng, tập thể suy tôn để biểu dương, tôn vinh kịp thời "
        "và đề nghị các hình thức khen thưởng phù hợp, xứng đáng",
    ],
    "participants": "Cán bộ, công chức, viên chức, người lao động trong toàn ngành Công Thương",
    "recipients": [
        "Bộ Công Thương",
        "Ban TĐKT Tỉnh (báo cáo)",
        "Ban Giám đốc Sở (VBĐT)",
        "Trưởng Khối Thi đua DN NNN",
        "Các DN ngành Công Thương",
        "Các đơn vị thuộc, trực thuộc Sở (VBĐT)",
        "Trang thông tin điện tử Sở",
    ],
    "conference": {
        "kind": "exemplary_models",
        "levels": [
            {
                "level": "unit",
                "forms": [
                    "Hội nghị điển hình tiên tiến",
                    "Hội nghị biểu dương người tốt, việc tốt",
                    "Hội nghị biểu dương những người lao động giỏi, lao động sáng tạo",
                ],
                "held_within": {"start": "2020-01-01", "end": "2020-03-31"},
                "duration_days": 0.5,
                **_KHANH_HOA_SHARES,
                "delegates_above_staff": 200,
                "report_due_days": 14,
            },
            {
                "level": "department",
                "forms": ["Hội nghị điển hình tiên tiến ngành Công Thương Khánh Hòa"],
                "held_within": {"start": "2020-05-01", "end": "2020-05-31"},
                "duration_days": 0.5,
                "max_delegates": 150,
                **_KHANH_HOA_SHARES,
                "report_due_days": 14,
            },
        ],
    },
    # The plan asks the units for a report 2 weeks after their conference; the department's
    # own report to the province (DOMAIN rule 25) is given the same delay.
    "inferred": [
        "issuer.name",
        "period.start",
        "phases.0.name",
        "conference.levels.1.report_due_days",
    ],
}

SEED_PLANS: dict[str, Json] = {
    "002 Gia Lai 2018": GIA_LAI_2018_PLAN,
    "000 53/KH-SCT": BAC_LIEU_53_KH_SCT,
    "001 129/KH-UBND": BAC_LIEU_CITY_129_KH_UBND,
    "003 60/KH-KHCN": THAI_NGUYEN_60_KH_KHCN,
    "004 Khánh Hòa conference": KHANH_HOA_2020_CONFERENCE_PLAN,
}

SEED_FILES: dict[str, str] = {
    "000_e6fdd2ec7fbeb05b.txt": "000 53/KH-SCT",
    "001_f3976cf4a6f05f02.txt": "001 129/KH-UBND",
    "002_73bccf934d0e8e25.txt": "002 Gia Lai 2018",
    "003_798f61b7ee9d289f.txt": "003 60/KH-KHCN",
    "004_c7fc4f6aaea79dd6.txt": "004 Khánh Hòa conference",
}
"""The source document of each seed plan, a file of ../shared/seeds (the key of SEED_PLANS)."""

# --- everything else, one example per type ---------------------------------------------------

_RESOLUTION_202: Json = {
    "number": "202/2025/QH15",
    "issued_on": "2025-06-12",
    "issuer": "Quốc hội",
    "title": "Về việc sắp xếp đơn vị hành chính cấp tỉnh",
}
_RESTRUCTURING_2025_MINISTRIES: Json = {
    "number": "176/2025/QH15",
    "issued_on": "2025-02-18",
    "issuer": "Quốc hội",
    "title": "Về cơ cấu tổ chức của Chính phủ nhiệm kỳ Khóa XV",
}

_REASON = {
    "code": "awards.dossier_incomplete",
    "message": "Hồ sơ thiếu biên bản họp Hội đồng Thi đua - Khen thưởng",
    "field": "evidence.documents",
}

EXAMPLES: dict[type[EventData], list[Json]] = {
    registration.MinistryRegistered: [
        {"ministry_id": "bct", "name": "Bộ Công Thương", "sector_code": "cong-thuong"}
    ],
    registration.ProvinceRegistered: [{"province_id": "gia-lai", "name": "Gia Lai"}],
    registration.DepartmentRegistered: [
        {
            "department_code": GL,
            "name": "Sở Công Thương Gia Lai",
            "province_id": "gia-lai",
            "ministry_id": "bct",
        }
    ],
    registration.MinistryRenamed: [
        {
            "ministry_id": "bnn",
            "name": "Bộ Nông nghiệp và Môi trường",
            "effective_on": "2025-03-01",
            "legal_basis": _RESTRUCTURING_2025_MINISTRIES,
        }
    ],
    registration.MinistryMerged: [
        {
            "ministry_id": "bkhdt",
            "into_ministry_id": "btc",
            "effective_on": "2025-03-01",
            "legal_basis": _RESTRUCTURING_2025_MINISTRIES,
        }
    ],
    registration.MinistryDissolved: [
        {"ministry_id": "bkhdt", "effective_on": "2025-03-01", "reason": "Sắp xếp tổ chức bộ máy"}
    ],
    registration.ProvinceRenamed: [
        {"province_id": "gia-lai", "name": "Gia Lai", "effective_on": "2025-07-01"}
    ],
    registration.ProvinceMerged: [
        {
            "province_id": "bac-lieu",
            "into_province_id": "ca-mau",
            "effective_on": "2025-07-01",
            "legal_basis": _RESOLUTION_202,
        }
    ],
    registration.ProvinceDissolved: [
        {"province_id": "bac-lieu", "effective_on": "2025-07-01", "legal_basis": _RESOLUTION_202}
    ],
    registration.DepartmentRenamed: [
        {
            "department_code": "snn-gialai",
            "name": "Sở Nông nghiệp và Môi trường Gia Lai",
            "effective_on": "2025-03-01",
        }
    ],
    registration.DepartmentMerged: [
        {
            "department_code": BL,
            "into_department_code": "sct-camau",
            "effective_on": "2025-07-01",
            "legal_basis": _RESOLUTION_202,
        }
    ],
    registration.DepartmentDissolved: [
        {"department_code": "skhdt-gialai", "effective_on": "2025-03-01"}
    ],
    registration.UnitTransferred: [
        {
            "unit_id": "sct-baclieu/qltt",
            "from_department_code": BL,
            "to_department_code": "sct-camau",
            "effective_on": "2025-07-01",
        }
    ],
    registration.CampaignTransferred: [
        {
            "campaign_id": "sct-baclieu/2025/phat-dong",
            "from_department_code": BL,
            "to_department_code": "sct-camau",
            "effective_on": "2025-07-01",
        }
    ],
    registration.UnitEstablished: [
        {
            "unit_id": "sct-gialai/qltt",
            "department_code": GL,
            "name": "Chi cục Quản lý thị trường",
            "kind": "attached_unit",
            "established_on": "2015-01-01",
        }
    ],
    registration.UnitRenamed: [
        {
            "unit_id": "sct-gialai/qltt",
            "name": "Cục Quản lý thị trường tỉnh Gia Lai",
            "effective_on": "2019-01-01",
        }
    ],
    registration.UnitMerged: [
        {
            "unit_id": "sct-gialai/p-qlnl",
            "into_unit_id": "sct-gialai/p-qlcn",
            "effective_on": "2025-07-01",
        }
    ],
    registration.UnitDissolved: [
        {
            "unit_id": "sct-gialai/p-qlnl",
            "effective_on": "2025-07-01",
            "reason": "Sắp xếp tổ chức bộ máy",
        }
    ],
    registration.BlocFormed: [
        {
            "bloc_id": "gia-lai/khoi-kinh-te",
            "name": "Khối thi đua các sở, ngành kinh tế tỉnh",
            "organiser": {"name": "Ủy ban nhân dân tỉnh Gia Lai"},
            "level": "province",
            "members": [{"member_kind": "department", "member_id": GL}],
            "formed_on": "2018-01-02",
        }
    ],
    registration.BlocRanked: [
        {
            "bloc_id": "gia-lai/khoi-kinh-te",
            "year": 2018,
            "ranked_on": "2018-12-15",
            "ranking": [
                {"member_kind": "department", "member_id": "sct-gialai", "rank": 1, "score": 96.5},
                {"member_kind": "department", "member_id": "skhdt-gialai", "rank": 2},
            ],
        }
    ],
    registration.BlocLeaderDesignated: [
        {
            "bloc_id": "gia-lai/khoi-kinh-te",
            "year": 2018,
            "leader": {"member_kind": "department", "member_id": GL},
            "designated_on": "2018-01-15",
        }
    ],
    registration.PersonJoined: [
        {
            "person_id": "sct-gialai/p-0042",
            "department_code": GL,
            "unit_id": "sct-gialai/vp",
            "full_name": "Nguyễn Thị Lan",
            "sex": "female",
            "birth_year": 1985,
            "position": "Chuyên viên",
            "is_leader": False,
            "is_direct_worker": False,
            "joined_on": "2010-09-01",
        }
    ],
    registration.PersonTransferred: [
        {
            "person_id": "sct-gialai/p-0042",
            "from_unit_id": "sct-gialai/vp",
            "to_unit_id": "sct-gialai/p-qlcn",
            "effective_on": "2018-04-01",
        }
    ],
    registration.PersonRoleChanged: [
        {
            "person_id": "sct-gialai/p-0042",
            "position": "Phó Trưởng phòng",
            "is_leader": True,
            "is_direct_worker": False,
            "effective_on": "2019-01-01",
        }
    ],
    registration.PersonLeft: [
        {
            "person_id": "sct-gialai/p-0042",
            "unit_id": "sct-gialai/p-qlcn",
            "left_on": "2040-06-30",
            "reason": "retired",
        }
    ],
    registration.OrganisationContactSet: [
        {
            "org_kind": "department",
            "org_id": GL,
            "email": "vanphong@sct.gialai.gov.vn",
            "webhook_url": "https://tdkt.sct.gialai.gov.vn/thidua/webhook",
        }
    ],
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
    notifications.SubscriptionCreated: [
        {
            "subscription_id": "sub-sct-gialai-email",
            "recipient_kind": "department",
            "recipient_id": GL,
            "channel": "email",
            "address": "vanphong@sct.gialai.gov.vn",
            "event_types": ["vn.thidua.awards.*", "vn.thidua.rejections.InputRejected.v1"],
            "department_code": GL,
        }
    ],
    notifications.SubscriptionCancelled: [
        {"subscription_id": "sub-sct-gialai-email", "reason": "Đổi địa chỉ nhận thông báo"}
    ],
    notifications.DeliveryPlanned: [
        {
            "notification_id": "0b5e4c1a-7f3d-5e2b-9c8a-1d2e3f4a5b6c",
            "cause_key": "5f0c6f1e-2b7e-4d59-9d43-0a3c7d1f2e11",
            "causation_event_id": "5f0c6f1e-2b7e-4d59-9d43-0a3c7d1f2e11",
            "correlation_id": "5f0c6f1e-2b7e-4d59-9d43-0a3c7d1f2e11",
            "department": "sct-gialai",
            "recipient_kind": "unit",
            "recipient_id": "sct-gialai/u003",
            "recipient_name": "Phòng Quản lý công nghiệp",
            "route": "contact",
            "template": "nomination_rejected",
            "subject": "[Khen thưởng] Không chấp thuận hồ sơ của Phòng Quản lý công nghiệp",
            "body": "Kính gửi: Phòng Quản lý công nghiệp.\n\nHồ sơ đề nghị khen thưởng ...",
            "data": {"type": "vn.thidua.awards.NominationRejected.v1", "id": "5f0c6f1e"},
            "planned_at": "2018-12-20T09:00:00+07:00",
        }
    ],
    notifications.NotificationSent: [
        {
            "notification_id": "ntf-0001",
            "subscription_id": "sub-sct-gialai-email",
            "channel": "email",
            "recipient": "vanphong@sct.gialai.gov.vn",
            "template": "nomination_returned",
            "attempt": 1,
            "causation_event_id": "5f0c6f1e-2b7e-4d59-9d43-0a3c7d1f2e11",
            "sent_at": "2018-12-13T08:30:00+07:00",
        }
    ],
    notifications.NotificationFailed: [
        {
            "notification_id": "ntf-0002",
            "channel": "webhook",
            "recipient": "https://tdkt.sct.gialai.gov.vn/thidua/webhook",
            "template": "nomination_returned",
            "attempt": 3,
            "causation_event_id": "5f0c6f1e-2b7e-4d59-9d43-0a3c7d1f2e11",
            "failed_at": "2018-12-13T08:45:00+07:00",
            "error": "HTTP 503 Service Unavailable",
            "will_retry": True,
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
    rejections.InputRejected: [
        {
            "original_id": "0b8e2c0e-9a51-4a8f-8f3e-3f2f0d9c1a77",
            "original_type": "vn.thidua.registration.IndividualRegistered.v1",
            "producer": "urn:thidua:department:sct-gialai",
            "department": GL,
            "topic": "thidua.ingress.sct-gialai",
            "partition": 0,
            "offset": 1234,
            "rejected_by": "registration",
            "reasons": [
                {
                    "code": "registration.deadline_passed",
                    "message": "Đăng ký sau hạn đăng ký thi đua ngày 30/08/2018",
                    "field": "registered_on",
                }
            ],
        }
    ],
}
