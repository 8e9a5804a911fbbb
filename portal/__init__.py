"""The intake portal: create_app reads as a table of contents."""

from __future__ import annotations

import os
from urllib.parse import urlsplit

from flask import Flask

from portal import config as config_module


def create_app(config: object | dict | None = None) -> Flask:
    """Build the application. ``config`` is a Config class, a dict of
    overrides (tests), or None to read PORTAL_ENV and the environment."""
    app = Flask(__name__, instance_path=str(config_module.INSTANCE_DIR))
    _init_config(app, config)
    _init_logging(app)
    _init_encryption(app)
    _init_proxy(app)
    _init_database(app)
    _init_request_guard(app)
    _init_extensions(app)
    _init_auth(app)
    _init_i18n(app)
    _init_security(app)
    _init_templates(app)
    _init_static(app)
    _init_page_cache(app)
    _register_blueprints(app)
    _register_errors(app)
    _register_health(app)
    _register_cli(app)
    return app


def _init_config(app: Flask, config: object | dict | None) -> None:
    app.config.update(config_module.load(config))
    if app.config["ENV"] == "production":
        missing = [k for k in ("SECRET_KEY", "RECEIPT_PEPPER", "DATA_KEY") if not app.config.get(k)]
        if missing:
            raise RuntimeError(
                "Refusing to start in production without "
                + " and ".join(f"PORTAL_{k}" for k in missing)
            )
        hosts = app.config.get("TRUSTED_HOSTS") or [urlsplit(app.config["BASE_URL"]).hostname]
        # Only the portal's own names are answered to: a forged Host is a 400.
        app.config["TRUSTED_HOSTS"] = hosts.split(",") if isinstance(hosts, str) else hosts
        if "PORTAL_TRUSTED_PROXIES" not in os.environ:
            # Behind a proxy every family would share one rate-limit counter.
            raise RuntimeError("Set PORTAL_TRUSTED_PROXIES: the number of proxies in front (0 for none)")
        if app.config["DATABASE_URL"].startswith("sqlite") and not app.config["ALLOW_SQLITE"]:
            # SQLite is one file on one machine: no second instance can share it.
            raise RuntimeError("Refusing to start in production on SQLite: set PORTAL_DATABASE_URL to PostgreSQL, "
                               "or allow SQLite (a single instance) with --allow-sqlite or PORTAL_ALLOW_SQLITE=1")


def _init_logging(app: Flask) -> None:
    from portal.logging import init_app
    init_app(app)


def _init_encryption(app: Flask) -> None:
    from portal import crypto
    crypto.init_app(app)


def _init_proxy(app: Flask) -> None:
    if app.config["TRUSTED_PROXIES"]:
        from werkzeug.middleware.proxy_fix import ProxyFix
        n = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)  # type: ignore[method-assign]  # the documented way to wrap the WSGI app


def _init_database(app: Flask) -> None:
    from portal import db
    db.init_app(app)


def _init_request_guard(app: Flask) -> None:
    from portal import request_guard
    request_guard.init_app(app)


def _init_extensions(app: Flask) -> None:
    from portal.extensions import csrf, limiter
    csrf.init_app(app)
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config.get("REDIS_URL") or "memory://")
    if app.config.get("REDIS_URL"):
        app.config["RATELIMIT_STORAGE_URI"] = app.config["REDIS_URL"]
    limiter.init_app(app)


def _init_auth(app: Flask) -> None:
    from flask_babel import lazy_gettext as _l

    from portal.extensions import login_manager
    login_manager.init_app(app)
    login_manager.login_view = "staff.login"
    login_manager.login_message = _l("Log in to see this page.")
    login_manager.login_message_category = "info"
    # Flask-Login would put a hash of the client's address and user agent into
    # the session cookie; we keep neither, not even hashed.
    login_manager.session_protection = None
    login_manager._session_identifier_generator = lambda: ""


def _init_i18n(app: Flask) -> None:
    from portal import i18n
    from portal.extensions import babel
    babel.init_app(app, locale_selector=i18n.select_locale)
    i18n.init_app(app)


def _init_security(app: Flask) -> None:
    from portal import security
    security.init_app(app)


def _init_templates(app: Flask) -> None:
    from portal import access, limits
    access.init_app(app)
    app.jinja_env.globals["limits"] = limits


def _init_static(app: Flask) -> None:
    from portal import static_files
    static_files.init_app(app)


def _init_page_cache(app: Flask) -> None:
    from portal import page_cache
    from portal.extensions import limiter
    # A GET of a cached page has no rate limit and no CSRF check (a GET
    # never has one): neither need look, nor clean up after.
    hooks = [*app.before_request_funcs.get(None, []), *app.after_request_funcs.get(None, []),
             *app.teardown_request_funcs.get(None, [])]
    skip = [hook for hook in hooks
            if getattr(hook, "__self__", None) is limiter or getattr(hook, "args", ())[:1] == (limiter,)
            or getattr(hook, "__qualname__", "") == "CSRFProtect.init_app.<locals>.csrf_protect"]
    page_cache.init_app(app, skip=skip)


def _register_blueprints(app: Flask) -> None:
    from portal.blueprints.associations import bp as associations_bp
    from portal.blueprints.public import bp as public_bp
    from portal.blueprints.public import root_bp
    from portal.blueprints.referrers import bp as referrers_bp
    from portal.blueprints.staff import bp as staff_bp
    app.register_blueprint(root_bp)
    app.register_blueprint(public_bp)
    app.register_blueprint(staff_bp)
    app.register_blueprint(referrers_bp)
    app.register_blueprint(associations_bp)


def _register_errors(app: Flask) -> None:
    from portal.blueprints.errors import init_app
    init_app(app)


def _register_health(app: Flask) -> None:
    from portal.blueprints.health import bp as health_bp
    app.register_blueprint(health_bp)


def _register_cli(app: Flask) -> None:
    from portal.cli import register
    register(app)
