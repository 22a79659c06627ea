"""Examples of what departments are told: the notifications service's subscriptions and
deliveries, and the inputs refused on their ingress topics (rejections).

Apart from the examples of registration and awards, whose facts these report on;
``contracts.examples.EXAMPLES`` joins them.
"""

from __future__ import annotations

from contracts import notifications, rejections
from contracts.base import EventData
from contracts.examples.shared import GL, Json

NOTICE_EXAMPLES: dict[type[EventData], list[Json]] = {
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
