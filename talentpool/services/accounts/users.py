"""Users and invitations."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from talentpool.extensions import db
from talentpool.models import Invitation, Municipality, Role, Talent, User, utcnow
from talentpool.models.account import open_invitation
from talentpool.services.accounts.invitation_links import new_token, token_hash
from talentpool.services.accounts.password_strength import weakness
from talentpool.services.errors import DomainError

MIN_PASSWORD_LENGTH = 10


def normalize_email(email: str) -> str:
    return email.strip().lower()


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def validate_password(password: str, email: str, name: str = "") -> None:
    """Password rules: long enough, not the e-mail address, not easy to guess."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise DomainError(
            _l("パスワードは%(n)d文字以上にしてください。", n=MIN_PASSWORD_LENGTH), "password"
        )
    if password.strip().lower() == normalize_email(email) or password.lower() in email.lower():
        raise DomainError(_l("メールアドレスを含むパスワードは使えません。"), "password")
    local_part = normalize_email(email).split("@")[0]
    if len(local_part) >= 4 and local_part in password.lower():
        raise DomainError(_l("メールアドレスを含むパスワードは使えません。"), "password")
    why = weakness(password, [email, local_part, *name.split()])
    if why:
        raise DomainError(
            _l("推測されやすいパスワードです。%(why)s 別のものにしてください。", why=why),
            "password",
        )


_DUMMY_HASHES: dict[str, str] = {}


def _dummy_hash() -> str:
    """A hash of nothing anyone knows, made like real ones: checked when the address has no
    account, so the answer takes as long as for one that has."""
    method = current_app.config["PASSWORD_HASH_METHOD"]
    if method not in _DUMMY_HASHES:
        _DUMMY_HASHES[method] = generate_password_hash(secrets.token_hex(16), method=method)
    return _DUMMY_HASHES[method]


def check_login(user: User | None, password: str) -> bool:
    """Whether this user may log in with this password; the same work whether or not there is
    a user (the time of the answer must not tell which addresses have accounts)."""
    stored = user.password_hash if user is not None and user.password_hash else None
    matches = check_password_hash(stored or _dummy_hash(), password)
    return matches and stored is not None and user.is_active


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalize_email(email)))


def _check_scope(role: str, prefecture_id: int | None, municipality_id: int | None) -> None:
    if role not in set(Role):
        raise DomainError(_l("役割が正しくありません。"), "role")
    if role == Role.coordinator and prefecture_id is None:
        raise DomainError(_l("都道府県担当者には都道府県を指定してください。"), "prefecture")
    if role == Role.municipal_officer and municipality_id is None:
        raise DomainError(_l("市町村担当者には市町村を指定してください。"), "municipality")


def create_user(
    *,
    email: str,
    name: str,
    role: str,
    password: str | None,
    prefecture_id: int | None = None,
    municipality_id: int | None = None,
) -> User:
    """Create an account; a municipal officer's prefecture is taken from the municipality."""
    _check_scope(role, prefecture_id, municipality_id)
    email = normalize_email(email)
    if find_user_by_email(email):
        raise DomainError(_l("このメールアドレスは既に登録されています。"), "email")
    if municipality_id is not None:
        municipality = db.session.get(Municipality, municipality_id)
        if municipality is None:
            raise DomainError(_l("市町村が見つかりません。"), "municipality")
        prefecture_id = municipality.prefecture_id
    if password is not None:
        validate_password(password, email, name)
    user = User(
        email=email,
        name=name.strip(),
        role=role,
        prefecture_id=prefecture_id,
        municipality_id=municipality_id,
        password_hash=hash_password(password) if password else None,
    )
    db.session.add(user)
    db.session.flush()
    return user


def set_password(user: User, password: str) -> None:
    """A new password; every session of the user (other devices included) ends."""
    validate_password(password, user.email, user.name)
    user.password_hash = hash_password(password)
    user.session_version += 1


@dataclass(frozen=True)
class IssuedInvitation:
    invitation: Invitation
    token: str


def invite(
    *,
    inviter: User,
    email: str,
    name: str,
    role: str,
    prefecture_id: int | None = None,
    municipality_id: int | None = None,
    talent_id: int | None = None,
) -> IssuedInvitation:
    """Create a single-use invitation; the caller shows or mails the link with the token."""
    from talentpool.permissions import can_invite

    email = normalize_email(email)
    municipality = db.session.get(Municipality, municipality_id) if municipality_id else None
    if municipality is not None:
        prefecture_id = municipality.prefecture_id
    if role == Role.talent and talent_id is not None:
        talent = db.session.get(Talent, talent_id)
        if talent is None or talent.user_id is not None:
            raise DomainError(_l("この人材は既にアカウントを持っています。"), "email")
        prefecture_id = talent.prefecture_id
    _check_scope(role, prefecture_id, municipality_id)
    if not can_invite(inviter, role, prefecture_id, municipality_id, municipality):
        raise DomainError(_l("この招待を行う権限がありません。"))
    if find_user_by_email(email):
        raise DomainError(_l("このメールアドレスは既に登録されています。"), "email")
    now = utcnow()
    earlier = _open_invitations(email, talent_id)
    if any(e.email == email and e.expires_at >= now for e in earlier):
        raise DomainError(ALREADY_INVITED, "email")
    nonce, token = new_token()
    ttl = timedelta(hours=current_app.config["INVITATION_TTL_HOURS"])
    invitation = Invitation(
        email=email,
        name=name.strip(),
        role=role,
        prefecture_id=prefecture_id,
        municipality_id=municipality_id,
        talent_id=talent_id,
        token_hash=token_hash(token),
        link_nonce=nonce,
        expires_at=now + ttl,
        invited_by_id=inviter.id,
        created_at=now,
    )
    try:
        with db.session.begin_nested():
            for old in earlier:  # expired, or sent to the talent's former address: replaced
                old.revoked_at = now
            db.session.add(invitation)
            db.session.flush()
            for old in earlier:
                old.replaced_by_id = invitation.id
    except IntegrityError:  # someone invited the same address a moment ago
        raise DomainError(ALREADY_INVITED, "email") from None
    return IssuedInvitation(invitation, token)


ALREADY_INVITED = _l(
    "このメールアドレスには有効期限内の招待が既にあります。"
    "リンクを送り直すときは、その招待の「再送」を使ってください。"
)


def _open_invitations(email: str, talent_id: int | None) -> list[Invitation]:
    """Invitations not used nor ended, to this address or (for talent) this person."""
    to = Invitation.email == email
    if talent_id is not None:
        to = or_(to, Invitation.talent_id == talent_id)
    return list(db.session.scalars(select(Invitation).where(open_invitation(), to)))
