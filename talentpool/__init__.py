"""talentpool: a prefecture's digital talent pool (デジタル人材プール)."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from talentpool import config as settings

log = logging.getLogger(__name__)


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the app; `config` overrides what the environment says (tests, demo)."""
    app = Flask(__name__, template_folder=settings.TEMPLATES_DIR, instance_relative_config=False)
    app.config.from_mapping(settings.from_environment())
    if config:
        app.config.from_mapping(config)
    check_config(app)
    trust_proxies(app)
    register_extensions(app)
    register_blueprints(app)
    check_navigation(app)
    register_errorhandlers(app)
    register_template_helpers(app)
    register_security_headers(app)
    register_commands(app)
    return app


def check_config(app: Flask) -> None:
    """Refuse to start in production without a real SECRET_KEY."""
    if not app.config.get("SECRET_KEY"):
        raise RuntimeError(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable "
            "(or TALENTPOOL_ENV=demo for a local demo)."
        )
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    if uri.startswith("sqlite:///") and not uri.startswith("sqlite:///:memory:"):
        settings.INSTANCE_DIR.mkdir(parents=True, exist_ok=True)


def trust_proxies(app: Flask) -> None:
    """Behind TRUSTED_PROXY_COUNT reverse proxies, take the client's address and scheme from
    their X-Forwarded-For/-Proto headers (else every user shares the proxy's login budget).
    With 0, those headers are ignored: a client could write anything into them."""
    count = app.config["TRUSTED_PROXY_COUNT"]
    if count:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count)


def register_extensions(app: Flask) -> None:
    from talentpool import audit, auth_support, i18n
    from talentpool.database import configure_engine_events
    from talentpool.extensions import babel, csrf, db, limiter, login_manager
    from talentpool.services.matching import match_index
    from talentpool.web import page_cache

    db.init_app(app)
    with app.app_context():
        configure_engine_events(db.engine)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    auth_support.configure_login(login_manager)
    babel.init_app(app, locale_selector=i18n.select_locale)  # zone: BABEL_DEFAULT_TIMEZONE
    audit.install()
    match_index.install()
    page_cache.install(app)


def register_blueprints(app: Flask) -> None:
    from talentpool.accounts import bp as accounts_bp
    from talentpool.audit_web import bp as audit_bp
    from talentpool.auth import bp as auth_bp
    from talentpool.main import bp as main_bp
    from talentpool.matching_web import bp as matching_bp
    from talentpool.national import bp as national_bp
    from talentpool.notifications import bp as notifications_bp
    from talentpool.offers import bp as offers_bp
    from talentpool.pool import bp as pool_bp
    from talentpool.reports import bp as reports_bp
    from talentpool.requests import bp as requests_bp
    from talentpool.training import bp as training_bp

    for bp in (
        main_bp,
        auth_bp,
        accounts_bp,
        audit_bp,
        pool_bp,
        national_bp,
        requests_bp,
        training_bp,
        offers_bp,
        notifications_bp,
        matching_bp,
        reports_bp,
    ):
        app.register_blueprint(bp)


def check_navigation(app: Flask) -> None:
    from talentpool.web import nav

    nav.check(app)


def register_errorhandlers(app: Flask) -> None:
    from talentpool.errors import register

    register(app)


def register_template_helpers(app: Flask) -> None:
    from talentpool.web.templating import register

    register(app)


def register_security_headers(app: Flask) -> None:
    from talentpool.security import add_headers, reject_nul_bytes

    app.before_request(reject_nul_bytes)
    app.after_request(add_headers)


def register_commands(app: Flask) -> None:
    from talentpool.cli import register

    register(app)
