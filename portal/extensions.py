"""Extension singletons, bound to the app in create_app."""

from flask_babel import Babel
from flask_limiter import Limiter
from flask_login import LoginManager
from flask_wtf import CSRFProtect

from portal.security import client_address

csrf = CSRFProtect()
babel = Babel()
login_manager = LoginManager()
# The client address is the rate-limit key; it lives only in the limiter's
# counter store (memory or Redis) and is never written to the database or logs.
limiter = Limiter(key_func=client_address, default_limits=[], headers_enabled=False)
