"""Flask extensions, created unbound and bound in create_app."""

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect

from talentpool.models.base import Base

db = SQLAlchemy(model_class=Base)
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
#: Throttles logins per IP and per account; storage from RATELIMIT_STORAGE_URI (memory://).
limiter = Limiter(key_func=get_remote_address)
