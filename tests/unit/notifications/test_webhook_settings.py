"""Where webhooks may go, and the secret they are signed with."""

from __future__ import annotations

import pytest

from services.notifications.app import MissingWebhookSecret, Settings
from services.notifications.channels import WebhookAddresses


def test_the_webhook_secret_is_required_outside_local_development() -> None:
    with pytest.raises(MissingWebhookSecret, match="THIDUA_WEBHOOK_SECRET"):
        Settings.from_env({})
    with pytest.raises(MissingWebhookSecret):
        Settings.from_env({"THIDUA_ENV": "production"})
    assert Settings.from_env({"THIDUA_ENV": "local"}).dispatch.webhook_secret == ""
    assert Settings.from_env({"THIDUA_WEBHOOK_SECRET": "k"}).dispatch.webhook_secret == "k"


@pytest.mark.parametrize(
    ("address", "allowed"),
    [
        ("https://he-thong.sct.gialai.gov.vn/hook?x=1", True),
        ("https://he-thong.vn:8443/", True),
        ("http://127.0.0.1:8080/hook", True),
        ("http://localhost/hook", True),
        ("http://[::1]:9000/", True),
        ("http://hooks.internal/hook", True),  # allow-listed below
        ("http://x:abc/", False),
        ("http://he-thong.vn/hook", False),
        ("https://he-thong.vn:99999/", False),
        ("https://1.2.3.999/", False),
        ("ftp://he-thong.vn/", False),
        ("https:///hook", False),
        ("he-thong.vn/hook", False),
    ],
)
def test_webhooks_go_over_https_or_to_an_allow_listed_local_host(
    address: str, allowed: bool
) -> None:
    addresses = WebhookAddresses.from_env({"THIDUA_WEBHOOK_HTTP_HOSTS": "hooks.internal, "})
    refusal = addresses.refusal(address)
    assert (refusal is None) is allowed, refusal
    if refusal is not None:
        assert refusal.startswith("Địa chỉ webhook")
