"""What the form fuzz (tests/test_fuzz_forms.py) needs: the forms found on
the portal's own pages, hostile values, the accounts to post as, and a
fingerprint of what the database holds.

Nothing here names a form: endpoints come from the app's url_map, field
names and choice values from the markup of every page the portal renders,
so a form added later is fuzzed without anyone listing it."""

from __future__ import annotations

import functools
import hashlib
import sqlite3
import time
from collections import defaultdict
from html.parser import HTMLParser
from urllib.parse import urlsplit

from flask import Flask
from hypothesis import strategies as st
from sqlalchemy import String, Text, make_url, select, text
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound

from portal import db
from portal.i18n import LANGUAGES
from portal.models import Base, User

# Rows written even when the action is refused, on purpose: the audit trail
# of views and of refused logins (ARCHITECTURE: every read is audited).
APART = {"audit_events"}
# A refused login is counted and committed (the lockout); that is not content.
LOGIN_BOOKKEEPING = {"failed_logins", "locked_until", "totp_last_step", "last_login_at"}
# What a payload must never look like in a page: the tag as sent.
MARKER = "x-fuzz"
PAYLOADS = [f"<{MARKER}>", f'"><{MARKER} a=1>', f"'><{MARKER}>", f"</textarea><{MARKER}>",
            f"<script>{MARKER}()</script>", f"javascript:{MARKER}()", f"{{{{ {MARKER} }}}}"]
RAW = [f"<{MARKER}", f"<script>{MARKER}"]
SPECIAL = ["", " ", "\x00", "\r\n", "\u202e\u2066abc\u2069", "\ufeff", "\u0000" * 3, "' OR 1=1 --",
           "'; DROP TABLE inquiries; --", "%", "%00", "\\", "../../../etc/passwd", "-1", "0", "1e309", "NaN",
           "9" * 40, "2026-02-30", "0000-00-00", "9999-12-31", "１２３４５６", "٠١٢٣٤٥", "y", "on", "true",
           "a@b", "x@example.dk", "\U0001f476\U0001f3fd", "\U000e0001", "\U0010fffd", "\U00020000", "ﷺ"]


class _Forms(HTMLParser):
    """The POST forms of one page: action -> {field name: values seen}."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.forms: dict[str, dict[str, set[str]]] = {}
        self._fields: dict[str, set[str]] | None = None
        self._select: str | None = None
        # Fields hidden from people (the honeypot): a person leaves them empty.
        self.unseen: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._fields = None
            if a.get("method", "get").lower() == "post":
                action = urlsplit(a.get("action") or self.page).path
                self._fields = self.forms.setdefault(action, defaultdict(set))
        elif self._fields is not None and tag in ("input", "textarea", "select", "button") and a.get("name"):
            self._fields[a["name"]].add(a.get("value", ""))
            if a.get("tabindex") == "-1":
                self.unseen.add(a["name"])
            self._select = a["name"] if tag == "select" else self._select
        elif self._fields is not None and tag == "option" and self._select:
            self._fields[self._select].add(a.get("value", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._fields = None
        elif tag == "select":
            self._select = None


def harvest(html: str, page: str, into: dict[str, dict[str, set[str]]], app: Flask,
            actions: dict[str, str], unseen: set[str]) -> None:
    """Add the POST forms of ``html`` to ``into``, keyed by the rule they
    post to; ``actions`` keeps one real address per rule, ``unseen`` the
    names of fields hidden from people."""
    parser = _Forms(page)
    parser.feed(html)
    unseen |= parser.unseen
    adapter = app.url_map.bind("localhost")
    for action, fields in parser.forms.items():
        try:
            rule, _args = adapter.match(action, method="POST", return_rule=True)
        except (NotFound, MethodNotAllowed, HTTPException):
            continue
        actions.setdefault(rule.rule, action)
        target = into.setdefault(rule.rule, defaultdict(set))
        for name, values in fields.items():
            target[name] |= values


def post_rules(app: Flask) -> list:
    """Every rule that takes a POST, from the url_map."""
    return sorted((r for r in app.url_map.iter_rules() if "POST" in (r.methods or ())), key=lambda r: r.rule)


def get_rules(app: Flask) -> list:
    return sorted((r for r in app.url_map.iter_rules()
                   if "GET" in (r.methods or ()) and r.endpoint != "static"), key=lambda r: r.rule)


# --- values -----------------------------------------------------------------

ANY_CHAR = st.characters(min_codepoint=0, max_codepoint=0x10FFFF, exclude_categories=["Cs"])
ASTRAL = st.characters(min_codepoint=0x10000, max_codepoint=0x10FFFF, exclude_categories=["Cs"])
CONTROL = st.sampled_from([chr(c) for c in range(0x20)] + ["\x7f", "\x85", "\u2028", "\u2029"]
                          + [chr(c) for c in range(0x202A, 0x202F)] + [chr(c) for c in range(0x2066, 0x206A)])


# What a person would type into a field that the markup leaves empty (or nothing).
PLAIN = st.sampled_from(["Et helt almindeligt spørgsmål om barsel", "12 34 56 78", "mille@example.dk", ""])


@functools.cache
def hostile_text() -> st.SearchStrategy[str]:
    """Random Unicode of every plane, control and bidi characters, payloads, long runs."""
    long_run = st.builds(lambda ch, n: ch * n, st.sampled_from(["x", "æ", "ی", "\U0001f476", "<"]),
                         st.sampled_from([81, 201, 501, 2001, 5001, 20_000, 70_000]))
    pieces = st.one_of(st.text(ANY_CHAR, max_size=40), st.text(ASTRAL, max_size=10), st.text(CONTROL, max_size=5),
                       st.sampled_from(PAYLOADS), st.sampled_from(SPECIAL))
    return st.one_of(st.lists(pieces, max_size=4).map("".join), long_run)


def field_value(known: list[str]) -> st.SearchStrategy[str]:
    """A value seen in the markup (a real choice, id or version), or hostile text."""
    return st.one_of(st.sampled_from(known), hostile_text()) if known else hostile_text()


def body_pairs(fields: dict[str, list[str]], valid: dict[str, str], every_name: list[str]):
    """Form pairs: the harvested fields mostly present, some missing,
    some repeated, some foreign names, values right or hostile."""
    names = sorted(fields)
    others = [name for name in every_name if name not in fields]
    extra = st.sampled_from(others) if others else st.text(ANY_CHAR, max_size=10)
    foreign = st.lists(st.tuples(st.one_of(extra, st.text(ANY_CHAR, max_size=12)), hostile_text()), max_size=3)
    values = {name: field_value(known) for name, known in fields.items()}

    @st.composite
    def build(draw):
        pairs = []
        # Some bodies are almost right (to reach what lies behind the
        # validation), some almost all wrong.
        care = draw(st.sampled_from([9, 6, 2]))
        for name in names:
            how = "valid" if draw(st.integers(0, 9)) < care else draw(st.sampled_from(["hostile", "missing", "repeated"]))
            if how == "valid":
                pairs.append((name, valid[name] if name in valid else draw(PLAIN)))
            elif how == "repeated":
                pairs += [(name, draw(values[name])) for _ in range(draw(st.integers(2, 30)))]
            elif how != "missing":
                pairs.append((name, draw(values[name])))
        return pairs + (draw(foreign) if care < 9 else [])

    return build()


# --- who posts ----------------------------------------------------------------

def log_in_as(app: Flask, client, user_id: int, template: dict) -> None:
    """Put into ``client`` the session a real login leaves (``template``,
    taken from one), for the account's current session version."""
    with app.app_context():
        version = db.session().get(User, user_id).session_version
    with client.session_transaction() as session:
        session.update(template)
        session["_user_id"] = f"{user_id}:{version}"
        session["login_at"] = session["last_seen"] = time.time()


def pending_login(app: Flask, client, user_id: int) -> None:
    """The session after the password step, waiting for the TOTP code."""
    with app.app_context():
        user = db.session().get(User, user_id)
        ident = user.get_id()
    with client.session_transaction() as session:
        session["pending_login"] = {"user": ident, "at": time.time()}


# --- what the database holds ----------------------------------------------------

class Snapshot:
    """A digest per table of every row (audit events and login counters
    aside). SQLite's data_version, read on a connection of our own, tells
    whether anything was committed since the last digest; only then is the
    database read again."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        path = make_url(app.config["DATABASE_URL"]).database
        self._watch = sqlite3.connect(path or ":memory:", check_same_thread=False)
        self._version: int | None = None
        self._digests: dict[str, str] = {}

    def close(self) -> None:
        self._watch.close()

    def now(self) -> dict[str, str]:
        version = self._watch.execute("PRAGMA data_version").fetchone()[0]
        if version != self._version:
            self._digests, self._version = self._read(), version
        return self._digests

    def _read(self) -> dict[str, str]:
        digests = {}
        with self.app.app_context():
            sess = db.session()
            for table in Base.metadata.sorted_tables:
                if table.name in APART:
                    continue
                columns = [c for c in table.columns
                           if not (table.name == "users" and c.name in LOGIN_BOOKKEEPING)]
                rows = sess.execute(select(*columns).order_by(*table.primary_key.columns)).all()
                digests[table.name] = hashlib.sha256(repr(rows).encode()).hexdigest()
            sess.rollback()
        return digests


def stored_payloads(app: Flask) -> int:
    """How many text values in the database hold a payload marker."""
    found = 0
    with app.app_context():
        sess = db.session()
        for table in Base.metadata.sorted_tables:
            for column in table.columns:
                if isinstance(column.type, (String, Text)):
                    found += sess.execute(text(f"SELECT count(*) FROM {table.name} "  # noqa: S608 - our own names
                                               f"WHERE {column.name} LIKE :m"), {"m": f"%{MARKER}%"}).scalar_one()
        sess.rollback()
    return found


def raw_payload(html: str) -> str | None:
    """The first payload found unescaped in a page, if any."""
    return next((raw for raw in RAW if raw in html), None)


def languages() -> list[str]:
    return list(LANGUAGES)
