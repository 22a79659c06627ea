"""The bench's generated reporting history: the events of 50 departments over two campaign years.

Ten provinces x five ministries, ``people`` staff in each department; each person joins,
registers each year and gets an LĐTT nomination and decision each year, one in five a CSTĐCS
too (>= 100k events at 260 staff). Apart from the bench that measures it
(``thidua.bench.history``): the http and awards benches build on the same history, and making
it needs no stack.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from contracts import awards as aw
from contracts import registration as rg
from contracts.base import EventData
from contracts.envelope import CloudEvent
from thidua.bench import search as search_bench
from thidua.bench.names import person_name, unit_name

PROVINCES = 10
MINISTRIES = 5
UNITS = 4
YEARS = (2023, 2024)
BASE_SALARY = 2_340_000


@dataclass
class History:
    registration: list[tuple[bytes, bytes]] = field(default_factory=list)
    awards: list[tuple[bytes, bytes]] = field(default_factory=list)
    provinces: list[str] = field(default_factory=list)
    ministries: list[str] = field(default_factory=list)
    people: list[search_bench.Person] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.registration) + len(self.awards)


def generate(people: int, seed: int = 7) -> History:
    rnd = random.Random(seed)
    names = random.Random(seed + 1)  # its own draws: the other values stay as they were
    h = History()

    def reg(payload: EventData, key: str, department: str | None = None) -> None:
        event = CloudEvent.new(
            payload, source="urn:thidua:service:registration", department=department
        )
        h.registration.append((key.encode(), event.to_json()))

    def award(payload: EventData, key: str, department: str) -> None:
        event = CloudEvent.new(payload, source="urn:thidua:service:awards", department=department)
        h.awards.append((key.encode(), event.to_json()))

    h.ministries = [f"bo-{m}" for m in range(MINISTRIES)]
    h.provinces = [f"tinh-{p}" for p in range(PROVINCES)]
    for m in h.ministries:
        reg(rg.MinistryRegistered(ministry_id=m, name=f"Bộ {m}", sector_code=f"nganh-{m}"), "ref")
    for p in h.provinces:
        reg(rg.ProvinceRegistered(province_id=p, name=f"Tỉnh {p}"), "ref")
    departments = [(f"so-{p}-{m}", p, m) for p in h.provinces for m in h.ministries]
    for d, (code, p, m) in enumerate(departments):
        reg(
            rg.DepartmentRegistered(
                department_code=code, name=f"Sở {m} {p}", province_id=p, ministry_id=m
            ),
            "ref",
        )
        for u in range(UNITS):
            reg(
                rg.UnitEstablished.model_validate(
                    {
                        "unit_id": f"{code}/u{u}",
                        "department_code": code,
                        "name": unit_name(d * UNITS + u),
                        "kind": "section",
                        "established_on": "2020-01-01",
                    }
                ),
                f"{code}/u{u}",
                code,
            )
        for year in YEARS:
            reg(campaign(code, year), f"{code}/{year}", code)
    nomination = 0
    for code, province, _ in departments:
        for i in range(people):
            person, unit = f"{code}/p{i:04d}", f"{code}/u{i % UNITS}"
            name = person_name(names)
            h.people.append(search_bench.Person(person, name, code, province, unit))
            reg(
                rg.PersonJoined.model_validate(
                    {
                        "person_id": person,
                        "department_code": code,
                        "unit_id": unit,
                        "full_name": name,
                        "sex": "female" if rnd.random() < 0.5 else "male",
                        "is_leader": i % 25 == 0,
                        "joined_on": "2020-01-06",
                    }
                ),
                person,
                code,
            )
            for year in YEARS:
                reg(
                    rg.IndividualRegistered.model_validate(
                        {
                            "campaign_id": f"{code}/{year}",
                            "department_code": code,
                            "person_id": person,
                            "unit_id": unit,
                            "titles": ["LDTT"],
                            "registered_on": f"{year}-0{rnd.randint(1, 8)}-{rnd.randint(10, 28)}",
                        }
                    ),
                    f"reg:{person}",
                    code,
                )
                for title, coefficient in (("LDTT", 0.3), ("CSTDCS", 1.0)):
                    if title == "CSTDCS" and i % 5:
                        continue
                    nomination += 1
                    nid = f"{code}/{year}/{title}/{i}"
                    common = {
                        "nomination_id": nid,
                        "department_code": code,
                        "year": year,
                        "title": title,
                        "nominee_kind": "individual",
                        "nominee_id": person,
                        "unit_id": unit,
                    }
                    award(
                        aw.NominationSubmitted.model_validate(
                            {
                                **common,
                                "campaign_id": f"{code}/{year}",
                                "received_on": f"{year}-12-0{rnd.randint(1, 9)}",
                            }
                        ),
                        f"nomination:{nid}",
                        code,
                    )
                    award(
                        aw.NominationApproved.model_validate(
                            {
                                **common,
                                "method": "regular",
                                "decision_number": f"{nomination}/QĐ-SCT",
                                "decision_date": f"{year}-12-2{rnd.randint(0, 8)}",
                                "authority": "department_director",
                                "cash_vnd": round(coefficient * BASE_SALARY),
                                "base_salary_vnd": BASE_SALARY,
                                "coefficient": coefficient,
                            }
                        ),
                        f"nomination:{nid}",
                        code,
                    )
    return h


def campaign(code: str, year: int) -> rg.CampaignLaunched:
    return rg.CampaignLaunched.model_validate(
        {
            "campaign_id": f"{code}/{year}",
            "department_code": code,
            "number": f"{year % 100}/KH-SO",
            "issued_on": f"{year}-01-10",
            "issuer": {"org_id": code, "name": f"Sở {code}"},
            "title": f"Kế hoạch phát động phong trào thi đua năm {year}",
            "kind": "regular",
            "year": year,
            "period": {"start": f"{year}-01-01", "end": f"{year}-12-31"},
            "phases": [
                {"number": 1, "start": f"{year}-01-01", "end": f"{year}-06-30"},
                {"number": 2, "start": f"{year}-07-01", "end": f"{year}-12-31"},
            ],
            "emulation_targets": [
                {
                    "title": "LDTT",
                    "measure": "percent",
                    "basis": "all_staff",
                    "comparator": "gte",
                    "value": 90,
                },
                {
                    "title": "CSTDCS",
                    "measure": "percent",
                    "basis": "staff_excluding_leaders",
                    "comparator": "gte",
                    "value": 15,
                },
            ],
            "deadlines": {"registration": f"{year}-08-30", "dossier": f"{year}-12-10"},
        }
    )
