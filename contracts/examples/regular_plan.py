"""The seed plan of a regular (thường xuyên) yearly campaign: Sở Công Thương Gia Lai's plan
for 2018, with its phases, economic and emulation targets and deadlines.

Apart from the topical plans because it is the one plan with every kind of target, the one
the scenarios and most tests build their campaigns on. How a seed plan is read from its
document: see ``contracts.examples.seeds``.
"""

from __future__ import annotations

from contracts.examples.shared import GL, Json

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
