"""Settings read from the environment, with demo and test overrides."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
INSTANCE_DIR = PROJECT_ROOT / "instance"
#: Jinja templates, one folder per area (top level of the checkout, as the layout shows).
TEMPLATES_DIR = PROJECT_ROOT / "templates"
#: Reference data and the demo data set (top level; the matcher, which imports nothing
#: outside itself, finds its tables there on its own: talentpool.matching.synonyms.SEED_DIR).
SEED_DIR = PROJECT_ROOT / "seed"

#: Environments in which a fixed, publicly known SECRET_KEY is acceptable.
INSECURE_ENVIRONMENTS = {"demo", "test", "development"}


def default_database_url() -> str:
    """The embedded default: a SQLite file under instance/."""
    return f"sqlite:///{INSTANCE_DIR / 'talentpool.db'}"


def database_url() -> str:
    """DATABASE_URL, normalised so plain postgres URLs use psycopg 3."""
    url = os.environ.get("DATABASE_URL") or default_database_url()
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def from_environment() -> dict:
    """Build the configuration mapping from environment variables."""
    env = os.environ.get("TALENTPOOL_ENV", "production")
    secret = os.environ.get("SECRET_KEY")
    if not secret and env in INSECURE_ENVIRONMENTS:
        secret = f"insecure-{env}-key-do-not-use-in-production"
    from talentpool.services.clock import parse_setting

    return {
        "ENV_NAME": env,
        # A fixed "today" for demos and manual tests; never honoured in production.
        "TODAY": None if env == "production" else parse_setting(os.environ.get("TALENTPOOL_TODAY")),
        "SECRET_KEY": secret,
        "SQLALCHEMY_DATABASE_URI": database_url(),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "BABEL_DEFAULT_LOCALE": "ja",
        "BABEL_DEFAULT_TIMEZONE": "Asia/Tokyo",
        "LANGUAGES": ("ja", "en"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        # Secure cookies in production; SESSION_COOKIE_SECURE=0 for plain-HTTP test rigs.
        "SESSION_COOKIE_SECURE": os.environ.get(
            "SESSION_COOKIE_SECURE", "1" if env == "production" else "0"
        )
        == "1",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "MAX_CONTENT_LENGTH": int(os.environ.get("MAX_UPLOAD_MB", "10")) * 1024 * 1024,
        "PASSWORD_HASH_METHOD": os.environ.get("PASSWORD_HASH_METHOD", "scrypt"),
        "INVITATION_TTL_HOURS": int(os.environ.get("INVITATION_TTL_HOURS", "72")),
        "BASE_URL": os.environ.get("BASE_URL", "http://127.0.0.1:5000"),
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", ""),
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", "25")),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD", ""),
        "MAIL_USE_TLS": os.environ.get("MAIL_USE_TLS", "").lower() in {"1", "true", "yes"},
        "MAIL_SENDER": os.environ.get("MAIL_SENDER", "talentpool@localhost"),
        #: Seconds `talentpool send-mail` waits on the mail server (pages never wait on it).
        "MAIL_TIMEOUT": int(os.environ.get("MAIL_TIMEOUT", "30")),
        "PER_PAGE": 25,
        "RATELIMIT_ENABLED": os.environ.get("RATELIMIT_ENABLED", "true").lower() != "false",
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_STORAGE_OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        # Redis down: count in each process's memory (logged) rather than answer 500.
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "RATELIMIT_HEADERS_ENABLED": True,
        "LOGIN_LIMIT_PER_IP": os.environ.get("LOGIN_LIMIT_PER_IP", "30 per minute"),
        "LOGIN_LIMIT_PER_ACCOUNT": os.environ.get("LOGIN_LIMIT_PER_ACCOUNT", "10 per minute"),
        "LOGIN_FREE_ATTEMPTS": int(os.environ.get("LOGIN_FREE_ATTEMPTS", "5")),
        "LOGIN_BACKOFF_SECONDS": int(os.environ.get("LOGIN_BACKOFF_SECONDS", "30")),
        "LOGIN_BACKOFF_MAX_SECONDS": int(os.environ.get("LOGIN_BACKOFF_MAX_SECONDS", "900")),
        "PASSWORD_RESET_TTL_MINUTES": int(os.environ.get("PASSWORD_RESET_TTL_MINUTES", "60")),
        "PASSWORD_RESET_LIMIT_PER_IP": os.environ.get("PASSWORD_RESET_LIMIT_PER_IP", "10 per hour"),
        "PASSWORD_RESET_LIMIT_PER_ACCOUNT": os.environ.get(
            "PASSWORD_RESET_LIMIT_PER_ACCOUNT", "3 per hour"
        ),
        "TRUSTED_PROXY_COUNT": int(os.environ.get("TRUSTED_PROXY_COUNT", "0")),
        # Freeze what a process keeps (a prefecture's matcher index, once built) out of the
        # cyclic garbage collector's full passes (services.matching.bridge.keep_long_lived).
        "GC_FREEZE": os.environ.get("GC_FREEZE", "1") != "0",
        # The heavy read pages kept per process while the data is unchanged
        # (talentpool.web.page_cache): at most this many seconds (0: off) and megabytes.
        "PAGE_CACHE_SECONDS": float(os.environ.get("PAGE_CACHE_SECONDS", "60")),
        "PAGE_CACHE_MB": float(os.environ.get("PAGE_CACHE_MB", "32")),
    }


def overrides_for_tests(database_uri: str) -> dict:
    """Settings every test app uses: fast hashing, no CSRF token plumbing in unit tests."""
    return {
        "ENV_NAME": "test",
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_uri,
        "WTF_CSRF_ENABLED": False,
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        "SESSION_COOKIE_SECURE": False,
        "SERVER_NAME": None,
        "RATELIMIT_ENABLED": False,
        "TODAY": None,
        "GC_FREEZE": False,  # tests build thousands of short-lived apps and pools
    }
