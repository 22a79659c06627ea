"""The seed plans of topical (chuyên đề) campaigns: 53/KH-SCT of Sở Công Thương Bạc Liêu and
129/KH-UBND of the city of Bạc Liêu (initiatives and technical improvements, 2019),
60/KH-KHCN of Sở Khoa học và Công nghệ Thái Nguyên (the province's emulation congress), and
Sở Công Thương Khánh Hòa's 2020 plan of conferences of exemplary models.

Apart from the regular yearly plan because each serves one purpose and states its targets in
words only (no economic or emulation targets); Khánh Hòa's is the one with a conference plan
(``conference``). How a seed plan is read from its document: see ``contracts.examples.seeds``.
"""

from __future__ import annotations

from contracts.examples.shared import BL, Json

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
