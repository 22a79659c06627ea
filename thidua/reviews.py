"""The review reports of a loaded scenario, written to disk (issue 17's "Must show").

After ``thidua up`` has loaded the scenario, the main department's campaign gets its mid-term
reviews (sơ kết, one per phase of its plan) and its final review (tổng kết), each as DOCX and
PDF, downloaded from the reporting API as any client would (``GET /v1/campaigns/{id}/reports/
...``) and kept under ``<state dir>/reports/``. A document the API cannot produce is an error,
not a missing file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import httpx

from contracts.registration import CampaignLaunched
from scenarios import Scenario, seeds
from thidua.auth.client import service_auth

FORMATS = ("docx", "pdf")
SIGNATURES = {"docx": b"PK\x03\x04", "pdf": b"%PDF"}


@dataclass(frozen=True)
class ReviewDocument:
    campaign_id: str
    name: str
    """``so-ket-dot-<n>`` or ``tong-ket``."""
    path: Path


def main_campaign(scenario: Scenario) -> str:
    """The campaign of the seed plan the scenario is built on: Sở Công Thương Gia Lai's."""
    department = f"{scenario.prefix}{seeds.GIA_LAI}"
    campaigns = scenario.by_department[department].campaigns
    if not campaigns:
        raise ValueError(f"the scenario's {department} launches no campaign")
    return campaigns[0]


def phases_of(scenario: Scenario, campaign_id: str) -> int:
    """How many phases (đợt) the campaign's plan has, as the scenario launches it."""
    for submission in scenario.submissions():
        event = submission.event
        if event.type == CampaignLaunched.type_name() and event.data["campaign_id"] == campaign_id:
            return len(event.data.get("phases") or [])
    raise ValueError(f"the scenario does not launch {campaign_id}")


def review_names(phases: int) -> list[str]:
    return [*(f"so-ket-dot-{n}" for n in range(1, phases + 1)), "tong-ket"]


async def write_review_documents(
    reporting_url: str, scenario: Scenario, directory: Path
) -> list[ReviewDocument]:
    """Download every review of the scenario's main campaign (a mid-term review per phase and
    the final one) in both formats into ``directory``; raises ``RuntimeError`` naming the first
    document the API refused."""
    campaign = main_campaign(scenario)
    phases = phases_of(scenario, campaign)
    target = directory / campaign.replace("/", "_")
    target.mkdir(parents=True, exist_ok=True)
    written: list[ReviewDocument] = []
    base = f"/v1/campaigns/{quote(campaign, safe='/')}/reports"
    async with httpx.AsyncClient(
        base_url=reporting_url, timeout=120, auth=service_auth()
    ) as client:
        for name in review_names(phases):
            for extension in FORMATS:
                response = await client.get(f"{base}/{name}.{extension}")
                if response.status_code != 200 or not response.content.startswith(
                    SIGNATURES[extension]
                ):
                    raise RuntimeError(
                        f"{name}.{extension} of {campaign}: HTTP {response.status_code} "
                        f"{response.text[:200]}"
                    )
                path = target / f"{name}.{extension}"
                path.write_bytes(response.content)
                written.append(ReviewDocument(campaign, name, path))
    return written
