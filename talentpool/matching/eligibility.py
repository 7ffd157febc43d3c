"""Hard eligibility rules: an ineligible person is never proposed or planned.

Rules, in the order used to attribute each excluded person to one rule:

- ``prefecture``: talent serve only their own prefecture's municipalities;
- ``inactive``: the profile is not active;
- ``no_hours``: no available hours left this month;
- ``remote_only``: an on-site request never goes to remote-only talent;
- ``not_cio``: a CIO-assistant request goes only to CIO candidates;
- ``outside_area``: talent who limit their area serve only those municipalities;
- ``admin_training``: prefecture staff must have finished admin-practice training
  where the prefecture requires it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .specs import Policy, RequestSpec, TalentProfile

RULES = (
    "prefecture",
    "inactive",
    "no_hours",
    "remote_only",
    "not_cio",
    "outside_area",
    "admin_training",
)


def failed_rules(request: RequestSpec, talent: TalentProfile, policy: Policy) -> list[str]:
    """All rules ``talent`` fails for ``request`` (empty list = eligible)."""
    checks = {
        "prefecture": talent.prefecture_code != request.prefecture_code,
        "inactive": not talent.active,
        "no_hours": talent.available_hours <= 0,
        "remote_only": request.onsite_required and talent.work_style == "remote",
        "not_cio": request.wants_cio and not talent.cio_candidate,
        "outside_area": talent.area_municipality_codes is not None
        and request.municipality_code not in talent.area_municipality_codes,
        "admin_training": talent.kind == "staff"
        and not talent.admin_training_done
        and request.prefecture_code in policy.require_admin_training,
    }
    return [rule for rule in RULES if checks[rule]]


def is_eligible(request: RequestSpec, talent: TalentProfile, policy: Policy) -> bool:
    """True when ``talent`` may be proposed for ``request``."""
    return not failed_rules(request, talent, policy)


@dataclass(frozen=True)
class TalentArrays:
    """Per-talent rule inputs as arrays, so a chunk of requests is checked at once."""

    usable: np.ndarray  # active and hours > 0
    inactive: np.ndarray
    remote_only: np.ndarray
    cio: np.ndarray
    restricted: np.ndarray
    untrained_staff: np.ndarray
    area_members: dict[str, np.ndarray]  # municipality code -> talent positions allowed

    @classmethod
    def build(cls, talent: Sequence[TalentProfile]) -> TalentArrays:
        members: dict[str, list[int]] = {}
        for i, t in enumerate(talent):
            for code in t.area_municipality_codes or ():
                members.setdefault(code, []).append(i)
        active = np.array([t.active for t in talent], dtype=bool)
        hours = np.array([t.available_hours for t in talent], dtype=np.int64)
        return cls(
            usable=active & (hours > 0),
            inactive=~active,
            remote_only=np.array([t.work_style == "remote" for t in talent], dtype=bool),
            cio=np.array([t.cio_candidate for t in talent], dtype=bool),
            restricted=np.array([t.area_municipality_codes is not None for t in talent], bool),
            untrained_staff=np.array(
                [t.kind == "staff" and not t.admin_training_done for t in talent], dtype=bool
            ),
            area_members={k: np.array(v, dtype=np.int64) for k, v in members.items()},
        )


def chunk_eligibility(
    requests: Sequence[RequestSpec],
    pool: np.ndarray,
    arrays: TalentArrays,
    outside_prefecture: int,
    policy: Policy,
) -> tuple[np.ndarray, list[dict[str, int]]]:
    """Eligibility of ``pool`` (talent positions of the requests' one prefecture).

    Returns a (len(requests), len(pool)) boolean matrix and, per request, the count
    of excluded talent by first failing rule; ``outside_prefecture`` is how many
    talent of the whole index belong to other prefectures.
    """
    n_req = len(requests)
    inactive = np.broadcast_to(arrays.inactive[pool], (n_req, len(pool)))
    no_hours = np.broadcast_to(~arrays.usable[pool] & ~arrays.inactive[pool], inactive.shape)
    onsite = np.array([r.onsite_required for r in requests], dtype=bool)[:, None]
    wants_cio = np.array([r.wants_cio for r in requests], dtype=bool)[:, None]
    remote = onsite & arrays.remote_only[pool][None, :]
    not_cio = wants_cio & ~arrays.cio[pool][None, :]
    position = np.full(len(arrays.usable), -1, dtype=np.int64)
    position[pool] = np.arange(len(pool))
    outside = np.broadcast_to(arrays.restricted[pool], inactive.shape).copy()
    for row, request in enumerate(requests):
        allowed = arrays.area_members.get(request.municipality_code)
        if allowed is not None:
            local = position[allowed]
            outside[row, local[local >= 0]] = False
    prefecture = requests[0].prefecture_code if requests else ""
    training_required = prefecture in policy.require_admin_training
    training = np.broadcast_to(arrays.untrained_staff[pool] & training_required, inactive.shape)
    taken = np.zeros(inactive.shape, dtype=bool)
    counts: list[dict[str, int]] = [{"prefecture": outside_prefecture} for _ in requests]
    for rule, failing in (
        ("inactive", inactive),
        ("no_hours", no_hours),
        ("remote_only", remote),
        ("not_cio", not_cio),
        ("outside_area", outside),
        ("admin_training", training),
    ):
        new = failing & ~taken
        per_request = new.sum(axis=1)
        for row in range(n_req):
            counts[row][rule] = int(per_request[row])
        taken |= new
    return ~taken, counts
