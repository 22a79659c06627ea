"""Ways into the audit pages from the rest of the dashboard: the page's address for a subject,
a link, and the search box (no import of the dashboard: it imports this)."""

from __future__ import annotations

from html import escape
from urllib.parse import urlencode

PAGE_PATH = "/nhat-ky"
KIND_SLUGS: dict[str, str] = {
    "person": "ca-nhan",
    "unit": "don-vi",
    "nomination": "ho-so",
    "campaign": "phong-trao",
    "initiative": "sang-kien",
    "department": "so",
    "research": "de-tai",
    "decision": "quyet-dinh",
    "exemplary": "dien-hinh",
    "conference": "hoi-nghi",
    "case": "vu-viec",
    "bloc": "cum-khoi",
    "event": "su-kien",
}
"""The subjects one may look up, by their slug in the page's address (``loai=``)."""
SLUG_KINDS = {slug: kind for kind, slug in KIND_SLUGS.items()}
KIND_NAMES: dict[str, str] = {
    "person": "Cá nhân",
    "unit": "Đơn vị",
    "nomination": "Hồ sơ đề nghị khen thưởng",
    "campaign": "Phong trào thi đua",
    "initiative": "Sáng kiến",
    "department": "Sở",
    "research": "Đề tài nghiên cứu",
    "decision": "Quyết định",
    "exemplary": "Điển hình tiên tiến",
    "conference": "Hội nghị",
    "case": "Vụ việc",
    "bloc": "Cụm, khối thi đua",
    "event": "Sự kiện",
}


def audit_path(kind: str, subject_id: str) -> str:
    """``/nhat-ky?loai=ca-nhan&ma=sct-gialai/p-0042``."""
    return f"{PAGE_PATH}?{urlencode({'loai': KIND_SLUGS[kind], 'ma': subject_id})}"


def audit_link(kind: str, subject_id: str, text: str | None = None) -> str:
    label = text or f"Nhật ký của {KIND_NAMES[kind].lower()} {subject_id}"
    return (
        f'<a data-audit="{kind}" data-id="{escape(subject_id)}"'
        f' href="{escape(audit_path(kind, subject_id))}">{escape(label)}</a>'
    )


def search_form(kind: str = "person", subject_id: str = "") -> str:
    """The search box: a kind of subject and its id (mã)."""
    options = "".join(
        f'<option value="{slug}"{" selected" if k == kind else ""}>{escape(KIND_NAMES[k])}</option>'
        for k, slug in KIND_SLUGS.items()
    )
    return (
        f'<form class="filters" id="audit-search" method="get" action="{PAGE_PATH}">'
        f'<label>Đối tượng<select name="loai">{options}</select></label>'
        f'<label>Mã<input name="ma" value="{escape(subject_id)}" size="36"'
        ' placeholder="ví dụ sct-gialai/p-0042"></label>'
        "<button type=submit>Xem nhật ký</button></form>"
    )
