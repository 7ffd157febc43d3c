"""Who gets what from every route: the table tests/test_access_matrix.py checks.

Format — one row per endpoint of app.url_map (except 'static'):

    "blueprint.endpoint": rule(<groups>, args={...}, method="POST", data={...}),

- A group says what some roles get: ok(200), redirect(302 elsewhere than the login page),
  see_other(303), bad(400), forbidden(403), hidden(404), conflict(409), e.g.
  `ok(COORD_A, OFFICER_A)`. Roles not named get FORBIDDEN (403) when logged in and LOGIN (a
  redirect to the login page) when anonymous; change those with `default=` and `anon=`.
- The roles (see ROLES): ANON; ADMIN (national admin); COORD_A (岩手 03) and COORD_B (長野 20);
  OFFICER_A (盛岡市 032018) and OFFICER_A2 (花巻市 032051, same prefecture); TALENT_X and
  TALENT_Y (both in 岩手's pool). Role groups: COORDINATORS, OFFICERS, ALL_STAFF, TALENT,
  LOGGED_IN, EVERYONE.
- URL arguments come from the objects the test builds, all owned by prefecture A, municipality
  盛岡 and talent X (see OBJECTS in the test): talent_id → talent X, request_id → a 盛岡
  request, offer_id → an unanswered offer to X, assignment_id → X's active assignment in 盛岡,
  and so on. `args=` overrides one (a name of OBJECTS or a literal).
- The probe: GET when the route has GET, else a POST with `data` (default: an empty form —
  CSRF is off in tests, so an empty POST reaches the view and shows its access checks; where
  the view accepts it, the outcome is what the empty form gives: 400, 302, 303…). `method=`
  overrides. Each probe runs in a savepoint that is rolled back, so rows are independent.
- The wrong method is checked for every route without a row: a method the rule lacks
  answers 405.

Adding a route: add its row here (one line); the test fails naming any endpoint without one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ANON, ADMIN = "anon", "admin"
COORD_A, COORD_B = "coord_a", "coord_b"
OFFICER_A, OFFICER_A2 = "officer_a", "officer_a2"
TALENT_X, TALENT_Y = "talent_x", "talent_y"

COORDINATORS = (COORD_A, COORD_B)
OFFICERS = (OFFICER_A, OFFICER_A2)
ALL_STAFF = COORDINATORS + OFFICERS
TALENT = (TALENT_X, TALENT_Y)
LOGGED_IN = (ADMIN, *ALL_STAFF, *TALENT)
EVERYONE = (ANON, *LOGGED_IN)
ROLES = EVERYONE
#: The owner side of every object: A's coordinator, 盛岡's officer, talent X.
OWNERS = (COORD_A, OFFICER_A, TALENT_X)

LOGIN = "login"  # a 302 to the login page
OK, REDIRECT, SEE_OTHER, BAD, FORBIDDEN, NOT_FOUND, CONFLICT = 200, 302, 303, 400, 403, 404, 409


def _group(outcome):
    def roles(*names: str) -> dict[str, int | str]:
        return dict.fromkeys(names, outcome)

    return roles


ok, redirect, see_other = _group(OK), _group(REDIRECT), _group(SEE_OTHER)
bad, forbidden, hidden, conflict = (
    _group(BAD),
    _group(FORBIDDEN),
    _group(NOT_FOUND),
    _group(CONFLICT),
)
to_login = _group(LOGIN)


@dataclass(frozen=True)
class Rule:
    expect: dict[str, int | str]
    args: dict[str, object] = field(default_factory=dict)
    method: str | None = None
    data: dict[str, str] = field(default_factory=dict)


def rule(
    *groups: dict,
    default: int | str = FORBIDDEN,
    anon: int | str = LOGIN,
    args: dict | None = None,
    method: str | None = None,
    data: dict | None = None,
) -> Rule:
    """Expected outcome per role: the groups, then `default` for logged-in roles not named and
    `anon` for the anonymous visitor (unless a group names ANON)."""
    expect: dict[str, int | str] = dict.fromkeys(LOGGED_IN, default)
    expect[ANON] = anon
    for group in groups:
        expect.update(group)
    return Rule(expect, args or {}, method, data or {})


#: An object of A / 盛岡 / X: its owners in the prefecture see it, the other tenant gets 404.
def staff_object(*more: dict, ok_status=ok, **options) -> Rule:
    return rule(ok_status(COORD_A, OFFICER_A), hidden(COORD_B, OFFICER_A2), *more, **options)


RULES: dict[str, Rule] = {
    # --- public and account pages ---
    "main.healthz": rule(ok(*EVERYONE)),
    "main.favicon": rule(ok(*EVERYONE)),
    "main.home": rule(ok(*LOGGED_IN)),
    "main.set_language": rule(redirect(*EVERYONE)),
    "auth.login": rule(ok(ANON), redirect(*LOGGED_IN)),
    "auth.logout": rule(to_login(*LOGGED_IN)),  # back to the login page, logged out
    "auth.accept_invitation": rule(hidden(*EVERYONE), args={"token": "not-a-real-token"}),
    "auth.forgot_password": rule(ok(*EVERYONE)),
    "auth.reset_password": rule(hidden(*EVERYONE), args={"token": "not-a-real-token"}),
    "auth.change_password": rule(ok(*LOGGED_IN)),
    "accounts.invitations": rule(ok(ADMIN, *COORDINATORS)),
    "accounts.invite_talent": rule(redirect(COORD_A), hidden(COORD_B)),
    "accounts.invite_talent_bulk": rule(see_other(*COORDINATORS)),  # nothing chosen: back
    # an invitation of A's pool: A's coordinators manage it; the national admin manages
    # coordinators' invitations only
    "accounts.invitation_detail": rule(ok(COORD_A), hidden(COORD_B, ADMIN)),
    "accounts.resend_invitation": rule(redirect(COORD_A), hidden(COORD_B, ADMIN)),
    "accounts.revoke_invitation": rule(ok(COORD_A), hidden(COORD_B, ADMIN)),  # confirmation
    "accounts.invite_and_offer": rule(
        ok(COORD_A), hidden(COORD_B), args={"item_id": "uninvited_item"}
    ),
    # the national admin manages coordinators only, so A's officer is "not found" to them
    "accounts.unlock": rule(redirect(COORD_A), hidden(COORD_B, ADMIN)),
    "accounts.reset_password": rule(redirect(COORD_A), hidden(COORD_B, ADMIN)),
    "audit.index": rule(ok(ADMIN, *COORDINATORS)),
    "audit.talent_history": rule(ok(COORD_A), hidden(COORD_B)),
    "audit.request_history": staff_object(),
    "audit.offer_history": rule(ok(COORD_A), hidden(COORD_B)),
    "audit.assignment_history": rule(ok(COORD_A), hidden(COORD_B)),
    "audit.leader_history": staff_object(),
    "notifications.index": rule(ok(*LOGGED_IN)),
    "notifications.outbox": rule(ok(*LOGGED_IN)),
    "notifications.read_all": rule(redirect(*LOGGED_IN)),
    "notifications.open_notification": rule(redirect(TALENT_X), default=NOT_FOUND),
    "notifications.settings": rule(ok(*LOGGED_IN)),
    "notifications.mail_status": rule(ok(ADMIN, *COORDINATORS)),
    # mail to A's talent is looked after by A's coordinators; the national admin looks after
    # mail to coordinators and administrators only
    "notifications.retry_mail": rule(see_other(COORD_A), hidden(COORD_B, ADMIN)),
    # --- pool ---
    "pool.index": rule(ok(*COORDINATORS)),
    "pool.export": rule(ok(*COORDINATORS)),
    "pool.create": rule(ok(*COORDINATORS)),
    "pool.import_upload": rule(ok(*COORDINATORS)),
    "pool.import_commit": rule(see_other(*COORDINATORS)),
    "pool.import_template_download": rule(ok(*COORDINATORS)),
    "pool.detail": rule(ok(COORD_A), hidden(COORD_B, TALENT_Y), redirect(TALENT_X)),
    "pool.edit": rule(ok(COORD_A), hidden(COORD_B)),
    "pool.set_active": rule(bad(COORD_A), hidden(COORD_B)),
    "pool.anonymize": rule(bad(COORD_A), hidden(COORD_B)),
    "pool.my_profile": rule(ok(*TALENT)),
    "pool.my_data": rule(ok(*TALENT), args={"fmt": "json"}),
    # --- national list ---
    "national.index": rule(ok(ADMIN, *COORDINATORS)),
    "national.detail": rule(ok(ADMIN, *COORDINATORS)),
    "national.copy": rule(redirect(*COORDINATORS)),
    "national.create": rule(ok(ADMIN)),
    "national.edit": rule(ok(ADMIN)),
    "national.export": rule(ok(ADMIN)),
    "national.import_upload": rule(ok(ADMIN)),
    "national.import_commit": rule(see_other(ADMIN)),
    "national.import_template_download": rule(ok(ADMIN)),
    "national.set_entry_active": rule(bad(ADMIN)),
    # --- requests ---
    "requests.index": rule(ok(*ALL_STAFF)),
    "requests.new": rule(ok(*ALL_STAFF)),
    "requests.export": rule(ok(*ALL_STAFF)),
    "requests.import_template": rule(ok(*ALL_STAFF)),
    "requests.import_upload": rule(ok(*ALL_STAFF)),
    "requests.import_commit": rule(see_other(*ALL_STAFF)),
    "requests.detail": staff_object(),
    "requests.edit": staff_object(),
    "requests.transition": staff_object(ok_status=conflict, args={"name": "publish"}),
    # --- offers and assignments ---
    "offers.index": rule(ok(*ALL_STAFF, *TALENT)),
    "offers.calendar": rule(ok(*ALL_STAFF, *TALENT)),
    "offers.choose_request": rule(ok(*COORDINATORS)),
    "offers.new": rule(ok(COORD_A), hidden(COORD_B)),
    "offers.detail": rule(ok(COORD_A, TALENT_X), default=NOT_FOUND),
    # irreversible actions answer an unconfirmed POST with their confirmation page
    "offers.withdraw": rule(ok(COORD_A), hidden(COORD_B)),
    "offers.accept": rule(redirect(TALENT_X), hidden(TALENT_Y)),
    "offers.decline": rule(bad(TALENT_X), hidden(TALENT_Y)),
    "offers.assignment_detail": rule(ok(*OWNERS), default=NOT_FOUND),
    "offers.log_activity": rule(bad(TALENT_X), hidden(TALENT_Y)),
    "offers.complete": rule(ok(COORD_A), hidden(COORD_B)),
    "offers.overdue": rule(ok(*COORDINATORS)),
    "offers.complete_many": rule(bad(*COORDINATORS)),  # nothing chosen
    "offers.end_early": rule(bad(COORD_A), hidden(COORD_B)),
    "offers.set_fee": rule(redirect(COORD_A), hidden(COORD_B)),
    "offers.rate": rule(bad(OFFICER_A), hidden(OFFICER_A2)),
    # matching: the coordinator of the request's / plan's prefecture only
    "matching.request_ranking": rule(ok(COORD_A), hidden(COORD_B)),
    "matching.plan": rule(ok(*COORDINATORS)),
    "matching.compute": rule(redirect(*COORDINATORS)),
    "matching.plan_detail": rule(redirect(COORD_A), hidden(COORD_B)),  # current draft → /plan
    "matching.remove_item": rule(redirect(COORD_A), hidden(COORD_B)),
    "matching.swap_item": rule(ok(COORD_A), hidden(COORD_B)),
    "matching.send": rule(bad(COORD_A), hidden(COORD_B)),
    "matching.learning": rule(ok(*COORDINATORS)),
    "matching.learn": rule(bad(*COORDINATORS)),  # too few outcomes: nothing changes
    "matching.switch_weights": rule(bad(*COORDINATORS)),
    # reports: coordinators see their own prefecture's figures; the national admin the overview
    "reports.dashboard": rule(ok(*COORDINATORS)),
    "reports.dashboard_csv": rule(ok(*COORDINATORS)),
    "reports.fiscal_workbook": rule(ok(*COORDINATORS)),
    "reports.national": rule(ok(ADMIN)),
    "reports.national_csv": rule(ok(ADMIN)),
    "reports.national_matching": rule(ok(ADMIN)),
    "reports.national_matching_csv": rule(ok(ADMIN)),
    "reports.recruitment": rule(ok(*COORDINATORS)),
    "reports.recruitment_edit": rule(ok(COORD_A), hidden(COORD_B)),
    "reports.recruitment_void": rule(bad(COORD_A), hidden(COORD_B)),
    # --- training ---
    "training.index": rule(ok(*ALL_STAFF, *TALENT)),
    "training.programs": rule(ok(*COORDINATORS)),
    "training.settings": rule(ok(*COORDINATORS)),
    "training.targets": rule(ok(*COORDINATORS)),
    "training.import_targets": rule(bad(*COORDINATORS)),
    "training.targets_template": rule(ok(*COORDINATORS)),
    "training.talent_list": rule(ok(*COORDINATORS)),
    "training.talent_record": rule(ok(COORD_A), hidden(COORD_B)),
    "training.enroll_talent": rule(bad(COORD_A), hidden(COORD_B)),
    "training.import_upload": rule(ok(*ALL_STAFF)),
    "training.import_template": rule(ok(*ALL_STAFF)),
    "training.import_commit": rule(see_other(*ALL_STAFF)),
    "training.export": rule(ok(*ALL_STAFF)),
    "training.municipality": staff_object(),
    "training.new_leader": staff_object(),
    "training.leader": staff_object(),
    "training.edit_leader": staff_object(),
    "training.enroll_leader": staff_object(ok_status=bad),
    "training.complete": staff_object(ok_status=bad),
    "training.withdraw": staff_object(ok_status=bad),
}
