"""Forms of the national list (the profile forms it shares with the pool are in
talentpool.web.profiles)."""

from talentpool.web.profiles import ProfileFilterForm, active_filter


class NationalFilterForm(ProfileFilterForm):
    active = active_filter()
