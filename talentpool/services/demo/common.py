"""What the demo loaders (demo.data_set, demo.history) share: the demo files'
calendar moved to today, and talent logins."""

from __future__ import annotations

import calendar
from datetime import date

from talentpool import fiscal
from talentpool.extensions import db
from talentpool.models import Role, Talent, User
from talentpool.services.accounts.users import create_user, find_user_by_email
from talentpool.services.clock import today

#: The day the demo files describe as "today". Seeding on another day moves every date by
#: the whole months in between, so the demo tells the same story on any day: most support
#: running, one request past its end date, one assignment not started, one overdue.
WRITTEN_ON = date(2026, 11, 27)


def shift(day: date) -> date:
    """A date of the demo files moved to today's calendar (month ends stay month ends)."""
    now = today()
    months = (now.year - WRITTEN_ON.year) * 12 + now.month - WRITTEN_ON.month
    if now.day < WRITTEN_ON.day:
        months -= 1  # never past today: what the files call done stays done
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    month_end = day.day == calendar.monthrange(day.year, day.month)[1]
    return date(year, month + 1, last if month_end else min(day.day, last))


def shift_year(year: int) -> int:
    """A fiscal year of the demo files, moved like its dates."""
    return fiscal.fiscal_year(shift(date(year, 10, 1)))


def talent_login(talent: Talent, password: str) -> User:
    """The talent's login account, created with the demo password when missing."""
    user = talent.user or find_user_by_email(talent.email)
    if user is None:
        user = create_user(
            email=talent.email,
            name=talent.name,
            role=Role.talent,
            password=password,
            prefecture_id=talent.prefecture_id,
        )
    talent.user_id = user.id
    db.session.flush()
    return user
