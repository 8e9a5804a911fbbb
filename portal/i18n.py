"""Supported languages, the language from the URL, and text direction."""

from __future__ import annotations

from babel import Locale
from babel.dates import format_skeleton
from flask import Flask, g, has_request_context, request, session, url_for
from flask_babel import format_date, format_datetime, format_timedelta, get_locale

# Order of the language switcher. Danish first; each name in its own language.
LANGUAGES: dict[str, str] = {
    "da": "Dansk",
    "en": "English",
    "ar": "العربية",
    "uk": "Українська",
    "tr": "Türkçe",
    "ur": "اردو",
}
DEFAULT_LANGUAGE = "da"
STAFF_LANGUAGES = ("da", "en")


def text_direction(code: str) -> str:
    """'rtl' or 'ltr', as Babel knows it."""
    return Locale.parse(code).text_direction


def best_language() -> str:
    """The best match from Accept-Language, else Danish."""
    return request.accept_languages.best_match(LANGUAGES.keys()) or DEFAULT_LANGUAGE


def select_locale() -> str:
    """Flask-Babel's locale selector: the URL's language on public pages;
    elsewhere the account's saved choice (Danish or English), else Danish."""
    lang = g.get("lang_code")
    if lang in LANGUAGES:
        return lang
    if has_request_context():
        from flask_login import current_user
        if current_user and current_user.is_authenticated and current_user.language in STAFF_LANGUAGES:
            return current_user.language
        if session.get("staff_lang") in STAFF_LANGUAGES:
            return session["staff_lang"]
    return DEFAULT_LANGUAGE


def switch_language_url(code: str) -> str:
    """The current page in another language (the front page if the current
    page cannot be fetched with GET, like a form's POST target)."""
    endpoint = request.endpoint
    if endpoint and endpoint.startswith("public."):
        rule = request.url_rule
        if rule is not None and "GET" in (rule.methods or ()):
            return url_for(endpoint, **{**(request.view_args or {}), "lang_code": code})
    return url_for("public.index", lang_code=code)


def _ago(value) -> str:
    """'2 days ago' in the page's language."""
    from portal.models.base import utcnow
    return format_timedelta(value - utcnow(), add_direction=True, threshold=1.0)


def language_name(code: str | None) -> str:
    """A language's name in itself if we ship it, else in the page's language."""
    if not code:
        return "—"
    return LANGUAGES.get(code) or get_locale().languages.get(code, code)


def _topic_label(code: str) -> str:
    from portal.vocab.public import CONTACT_REASONS
    return str(CONTACT_REASONS.get(code, code))


def init_app(app: Flask) -> None:
    """Expose language helpers to every template."""
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.globals["switch_language_url"] = switch_language_url
    app.jinja_env.filters["format_date_local"] = lambda value: format_datetime(value, "medium")
    app.jinja_env.filters["ago"] = _ago
    # A promised day (a date, already in Copenhagen), in full in the page's language.
    app.jinja_env.filters["day_full"] = lambda value: format_date(value, "full")
    app.jinja_env.filters["day_short"] = lambda value: format_skeleton("MMMEd", value, locale=get_locale())
    app.jinja_env.filters["topic_label"] = _topic_label
    app.jinja_env.filters["label"] = lambda code, mapping: str(mapping.get(code, code)) if code else "—"
    app.jinja_env.filters["language_name"] = language_name

    @app.context_processor
    def _language_context() -> dict:
        code = str(get_locale() or DEFAULT_LANGUAGE)
        return {
            "current_lang": code,
            "text_dir": text_direction(code),
            "languages": LANGUAGES,
        }
