"""Configuration: defaults here, overridden by environment variables with the
PORTAL_ prefix (``PORTAL_SECRET_KEY`` sets ``SECRET_KEY``)."""

from __future__ import annotations

import json
import os
from datetime import timedelta
from pathlib import Path

INSTANCE_DIR = Path(__file__).resolve().parent.parent / "instance"


class Config:
    ENV = "production"
    SECRET_KEY: str | None = None
    RECEIPT_PEPPER: str | None = None
    # Encryption at rest (portal/crypto.py): base64 of 32 random bytes, and
    # the keys before it (comma-separated), still read until `portal rotate-key`.
    DATA_KEY: str | None = None
    DATA_KEYS_OLD = ""
    DATABASE_URL = f"sqlite:///{INSTANCE_DIR / 'portal.sqlite3'}"
    # Production runs on PostgreSQL; SQLite only when asked for (one
    # instance, one machine): `portal --allow-sqlite` or PORTAL_ALLOW_SQLITE=1.
    ALLOW_SQLITE = False
    REDIS_URL: str | None = None
    BASE_URL = "http://127.0.0.1:5000"
    # Host names answered to (JSON list); production defaults to BASE_URL's.
    TRUSTED_HOSTS: list[str] | None = None

    # Sessions hold only the CSRF token on public pages.
    SESSION_COOKIE_SECURE = True
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_NAME = "portal_session"
    PERMANENT_SESSION_LIFETIME = timedelta(hours=2)
    WTF_CSRF_TIME_LIMIT = 2 * 60 * 60
    # Flask-WTF's https check wants a same-host Referer on every POST, but our
    # pages tell browsers never to send one (Referrer-Policy: no-referrer;
    # the Origin of a POST is then "null" too). With it on, every form behind
    # TLS would answer 400. The token, SameSite=Lax and the Sec-Fetch-Site
    # check in request_guard.py stand in its place.
    WTF_CSRF_SSL_STRICT = False
    MAX_CONTENT_LENGTH = 64 * 1024
    # Public pages without per-visitor content, kept rendered per language
    # in each process (portal/page_cache.py); 0 seconds turns it off.
    PAGE_CACHE_SECONDS = 300
    PAGE_CACHE_ENTRIES = 128

    # Behaviour the partnership can tune.
    QUICK_EXIT_URL = "https://www.dr.dk/"
    COUNSELLING_PHONE = "33 45 86 70"
    COUNSELLING_EMAIL = "raadgivning@moedrehjaelpen.dk"
    CONTACT_RESPONSE_WORKING_DAYS = 2
    ANSWER_WORKING_DAYS = 3
    URGENT_RESPONSE_WORKING_DAYS = 2
    # When the counsellors work (services/workdays.py): weekdays that are not
    # Danish public holidays, these hours, Copenhagen time; and which of
    # christmas_eve, new_years_eve, constitution_day are closed too.
    OPENING_HOURS = "09:00-16:00"
    CLOSED_DAYS = ["christmas_eve", "new_years_eve", "constitution_day"]
    CONTACT_RETENTION_MONTHS = 6
    # `portal purge` (daily): how long each kind of data is kept; the
    # reasons for each default are in services/retention.py.
    THREAD_RETENTION_DAYS = 90                 # anonymous question, after its last message
    CONTACT_RETENTION_DAYS_AFTER_CLOSE = 30    # contact details, after the inquiry or case closed
    CASE_RETENTION_MONTHS = 24                 # a closed case, then anonymised
    REFERRAL_RETENTION_DAYS_AFTER_CLOSE = 180  # texts of a referral/contact request closed without a case
    SPARRING_RETENTION_DAYS = 180              # a sparring thread's texts, after its last message
    ACTIVITY_RETENTION_DAYS = 365              # spor 3: photo and contact line, after the last date
    COURSE_RETENTION_DAYS_AFTER_END = 180      # spor 2: enrolment texts, after the course ended
    SURVEY_TEXT_RETENTION_DAYS = 365           # survey free text, after its month ended
    MIN_FILL_SECONDS = 3
    # Per person (a key in the session cookie), then per address: the
    # ceiling for everyone behind one network (portal/blueprints/rate_limits.py).
    # Said here, not left out: Flask-Limiter gives an app that does not name
    # it whatever the previous app in the process had (one shared limiter).
    RATELIMIT_ENABLED = True
    RATELIMIT_POST = "20 per 10 minutes"
    RATELIMIT_POST_PER_ADDRESS = "300 per 10 minutes"
    RATELIMIT_RECEIPT_FAILURES = "10 per 10 minutes"
    RATELIMIT_RECEIPT_FAILURES_PER_ADDRESS = "200 per 10 minutes"
    RATELIMIT_LOGIN = "10 per minute"
    TRUSTED_PROXIES = 0
    STAFF_IDLE_MINUTES = 30
    # How long a lead's confirmation page of an erasure stays valid (services/erasure.py).
    ERASE_CONFIRM_MINUTES = 10
    STAFF_SESSION_HOURS = 10

    # Outgoing mail (services/mail.py). No server: every mail is written to
    # MAIL_OUTBOX as an .eml file instead (development, dry runs).
    MAIL_SERVER: str | None = None
    MAIL_PORT = 25
    MAIL_USERNAME: str | None = None
    MAIL_PASSWORD: str | None = None
    MAIL_USE_TLS = False           # STARTTLS on MAIL_PORT (usually 587)
    MAIL_USE_SSL = False           # TLS from the first byte (usually 465)
    # A notice is sent while the referrer's request waits: keep it short.
    MAIL_TIMEOUT = 10
    MAIL_SENDER = "Mødrehjælpen rådgivning <no-reply@moedrehjaelpen.dk>"
    MAIL_OUTBOX = str(INSTANCE_DIR / "outbox")
    # The counsellors' shared address: hears of urgent referrals, and gets
    # `portal notify`'s content-free notices.
    COUNSELLORS_EMAIL: str | None = None

    BABEL_DEFAULT_LOCALE = "da"
    BABEL_DEFAULT_TIMEZONE = "Europe/Copenhagen"
    # Two domains in one folder: "staff" (Danish and English) and "messages"
    # (public, every language); Flask-Babel pairs them by position and merges
    # them in this order. "messages" comes last because the merge keeps the
    # plural rule of the last catalog, and only "messages" exists in every
    # language (Arabic has six plural forms; a missing staff catalog would
    # otherwise leave the English rule in force).
    BABEL_TRANSLATION_DIRECTORIES = ";".join([str(Path(__file__).resolve().parent.parent / "translations")] * 2)
    BABEL_DOMAIN = "staff;messages"

    @classmethod
    def from_env(cls) -> dict:
        """Collect every upper-case setting, letting PORTAL_* variables win."""
        values = {k: getattr(cls, k) for k in dir(cls) if k.isupper()}
        for key, default in list(values.items()):
            raw = os.environ.get(f"PORTAL_{key}")
            if raw is None:
                continue
            values[key] = _coerce(raw, default)
        return values


class DevelopmentConfig(Config):
    ENV = "development"
    SECRET_KEY = "development-only-secret-key-not-for-production"  # noqa: S105 - development only, refused in production
    RECEIPT_PEPPER = "development-only-pepper"
    SESSION_COOKIE_SECURE = False


class TestConfig(Config):
    ENV = "testing"
    TESTING = True
    SECRET_KEY = "test-secret-key"  # noqa: S105 - the test configuration
    RECEIPT_PEPPER = "test-pepper"
    DATABASE_URL = "sqlite://"
    SESSION_COOKIE_SECURE = False
    WTF_CSRF_ENABLED = False
    MIN_FILL_SECONDS = 0
    RATELIMIT_POST = "1000 per minute"
    RATELIMIT_POST_PER_ADDRESS = "10000 per minute"
    RATELIMIT_LOGIN = "1000 per minute"


def _coerce(raw: str, default: object) -> object:
    if isinstance(default, bool):
        return raw.lower() in {"1", "true", "yes", "on"}
    if isinstance(default, int):
        return int(raw)
    if isinstance(default, timedelta):
        return timedelta(seconds=int(raw))
    if isinstance(default, (list, dict)):
        return json.loads(raw)
    return raw


CONFIGS = {"production": Config, "development": DevelopmentConfig, "testing": TestConfig}


def load(config: object | dict | None) -> dict:
    """Resolve the config argument of create_app into a flat dict."""
    if isinstance(config, dict):
        base = CONFIGS[config.get("ENV", "testing")].from_env()
        base.update(config)
        return base
    if isinstance(config, type) and issubclass(config, Config):
        return config.from_env()
    env = os.environ.get("PORTAL_ENV", "production")
    return CONFIGS[env].from_env()
