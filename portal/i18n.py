"""Supported languages, the language from the URL, and text direction."""

from __future__ import annotations

from babel import Locale
from flask import Flask, g, request, session, url_for
from flask_babel import format_datetime, get_locale

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
    """Flask-Babel's locale selector: the URL's language, else the staff
    member's saved choice, else Danish."""
    lang = g.get("lang_code")
    if lang in LANGUAGES:
        return lang
    staff_lang = session.get("staff_lang") if request else None
    if staff_lang in STAFF_LANGUAGES:
        return staff_lang
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


def init_app(app: Flask) -> None:
    """Expose language helpers to every template."""
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.globals["switch_language_url"] = switch_language_url
    app.jinja_env.filters["format_date_local"] = lambda value: format_datetime(value, "medium")

    @app.context_processor
    def _language_context() -> dict:
        code = str(get_locale() or DEFAULT_LANGUAGE)
        return {
            "current_lang": code,
            "text_dir": text_direction(code),
            "languages": LANGUAGES,
        }
