"""Flask extensions, created unbound and bound in create_app."""

from flask import abort, request
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect

from talentpool.models.base import Base

#: Beyond this a page number is nonsense (and its OFFSET would overflow the database's integer).
MAX_PAGE = 1_000_000


class _SQLAlchemy(SQLAlchemy):
    def paginate(self, select, *, page=None, **kwargs):
        """As Flask-SQLAlchemy's, but an absurd page number answers 400 rather than 500."""
        if page is None:
            page = request.args.get("page", 1, type=int)
        if page is not None and page > MAX_PAGE:
            abort(400)
        return super().paginate(select, page=page, **kwargs)


#: Objects keep their loaded values after the commit: once a view has committed, building its
#: answer (a redirect to the new record, a flash with its name) must not need the database,
#: or a connection lost right after a successful save would report an error (and invite a
#: duplicate resubmission). Tests run with the same setting.
db = _SQLAlchemy(model_class=Base, session_options={"expire_on_commit": False})
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
#: Throttles logins per IP and per account; storage from RATELIMIT_STORAGE_URI (memory://).
limiter = Limiter(key_func=get_remote_address)
