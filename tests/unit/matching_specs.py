"""Builders of matcher inputs for the matching tests: a plain eligible talent and request
in 長野市, changed by keyword."""

from dataclasses import replace

from talentpool.matching import RequestSpec, TalentProfile

BASE_TALENT = TalentProfile(
    id="T0",
    prefecture_code="20",
    kind="external",
    cio_candidate=False,
    work_style="hybrid",
    available_hours=30,
    area_municipality_codes=None,
    skills=frozenset(),
    experience="",
    qualifications="",
    active=True,
    admin_training_done=True,
)
BASE_REQUEST = RequestSpec(
    id="R0",
    prefecture_code="20",
    municipality_code="202011",
    title="",
    description="",
    skills=frozenset(),
    hours_per_month=20,
    headcount=1,
    onsite_required=False,
    wants_cio=False,
)


def talent(id: str, **kw) -> TalentProfile:
    return replace(BASE_TALENT, id=id, **kw)


def request(id: str = "R1", **kw) -> RequestSpec:
    return replace(BASE_REQUEST, id=id, **kw)
