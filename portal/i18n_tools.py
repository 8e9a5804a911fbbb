"""Catalog maintenance: ``python -m portal.i18n_tools extract|update|compile``.

Two gettext domains. "messages" holds everything a family can see and is
shipped in every public language; "staff" holds the pages of staff,
referrers and association editors, shipped in Danish and English."""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po, write_po

from portal.i18n import LANGUAGES, STAFF_LANGUAGES

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "translations"

# The gettext domain of a file follows from where it lives: the longest
# matching prefix below decides. Every template and every module under
# portal/ is extracted into exactly one domain, so a new module's strings
# can never go unextracted.
DOMAIN_OF_PREFIX: dict[str, str] = {
    "portal/": "staff",                          # staff pages are the default home
    "portal/templates/base.html": "messages",
    "portal/templates/_macros/": "messages",
    "portal/templates/public/": "messages",
    "portal/templates/errors/": "messages",
    "portal/templates/leaflets/": "messages",    # the printed leaflet, in the family's language
    "portal/templates/email/": "staff",
    "portal/blueprints/public/": "messages",
    "portal/blueprints/errors/": "messages",
    "portal/forms/": "messages",                 # shared form messages reach families
    "portal/vocab/public.py": "messages",
    "portal/vocab/survey_public.py": "messages",  # the family's survey
    "portal/vocab/activities.py": "messages",    # an activity's audience and how to join, on public pages
    "portal/services/__init__.py": "messages",   # the conflict message, on public forms too
    "portal/services/inquiries.py": "messages",  # what a family's own requests are refused with
}
LANGUAGES_OF_DOMAIN = {"messages": tuple(LANGUAGES), "staff": STAFF_LANGUAGES}
SOURCE_SUFFIXES = (".py", ".html")


def domain_of(relative: str) -> str:
    """The domain of a file, by the longest prefix of DOMAIN_OF_PREFIX."""
    best = max((p for p in DOMAIN_OF_PREFIX if relative.startswith(p)), key=len)
    return DOMAIN_OF_PREFIX[best]


def source_files() -> list[str]:
    """Every template and module under portal/ (vendor files excluded)."""
    files = []
    for path in sorted((ROOT / "portal").rglob("*")):
        relative = path.relative_to(ROOT).as_posix()
        if path.is_file() and path.suffix in SOURCE_SUFFIXES and "/static/" not in relative:
            files.append(relative)
    return files


def domain_paths(domain: str) -> list[str]:
    return [f for f in source_files() if domain_of(f) == domain]


DOMAINS: dict[str, dict[str, tuple[str, ...]]] = {
    name: {"languages": languages} for name, languages in LANGUAGES_OF_DOMAIN.items()
}
KEYWORDS = ["-k", "_l", "-k", "lazy_gettext", "-k", "lazy_ngettext:1,2"]


def _run(*argv: str) -> None:
    CommandLineInterface().run(["pybabel", "-q", *argv])


def extract(domain: str, output: Path) -> None:
    """Write a fresh template (.pot) of the domain's strings."""
    paths = domain_paths(domain)
    if not paths:
        with output.open("wb") as fh:
            write_po(fh, Catalog(project="portal"))
        return
    _run("extract", "-F", str(ROOT / "babel.cfg"), *KEYWORDS, "--no-location",
         "--sort-output", "--project=portal", "-o", str(output),
         *[str(ROOT / p) for p in paths])


def update() -> None:
    """Extract and merge into every shipped catalog (creating missing ones)."""
    for domain, spec in DOMAINS.items():
        pot = TRANSLATIONS / f"{domain}.pot"
        extract(domain, pot)
        for lang in spec["languages"]:
            po = TRANSLATIONS / lang / "LC_MESSAGES" / f"{domain}.po"
            if po.exists():
                _run("update", "-D", domain, "-i", str(pot), "-d", str(TRANSLATIONS), "-l", lang,
                     "--no-fuzzy-matching", "--ignore-obsolete")
            else:
                _run("init", "-D", domain, "-i", str(pot), "-d", str(TRANSLATIONS), "-l", lang)


def compile_all() -> None:
    """Compile every catalog to .mo (git-ignored, built by make)."""
    for domain, spec in DOMAINS.items():
        for lang in spec["languages"]:
            if (TRANSLATIONS / lang / "LC_MESSAGES" / f"{domain}.po").exists():
                _run("compile", "-D", domain, "-d", str(TRANSLATIONS), "-l", lang)


def missing_from_catalogs() -> dict[str, set[str]]:
    """msgids a fresh extraction finds that a shipped catalog lacks."""
    gaps: dict[str, set[str]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for domain, spec in DOMAINS.items():
            pot = Path(tmp) / f"{domain}.pot"
            extract(domain, pot)
            with pot.open("rb") as fh:
                wanted = {m.id for m in read_po(fh) if m.id}
            for lang in spec["languages"]:
                po = TRANSLATIONS / lang / "LC_MESSAGES" / f"{domain}.po"
                have: set = set()
                if po.exists():
                    with po.open("rb") as fh:
                        have = {m.id for m in read_po(fh) if m.id}
                lacking = {str(i) if isinstance(i, str) else i[0] for i in wanted - have}
                if lacking:
                    gaps[f"{lang}/{domain}"] = lacking
    return gaps


def _filled(string: str | tuple[str, ...] | list[str] | None) -> bool:
    if isinstance(string, str):
        return bool(string)
    return bool(string) and all(string or ())


def fill(sources: list[Path]) -> list[str]:
    """Fill empty msgstrs from JSON files of translations written by hand:
    {"<domain>": {msgid: {lang: text}}, "<domain>_plural": [{"msgid", "msgid_plural",
    lang: [forms]}], "replace": {"<domain>": {msgid: {lang: text or [forms]}}}} (the
    last corrects translations already made). A staff msgid already translated in the family catalog
    takes that translation. Returns what is still empty, as "lang/domain: msgid"."""
    given: dict[str, dict] = {}
    replace: dict[str, dict] = {}
    for source in sources:
        for key, entries in json.loads(source.read_text(encoding="utf-8")).items():
            if key == "replace":  # corrections of translations already made: {domain: {msgid: {lang: text}}}
                for domain, fixes in entries.items():
                    replace.setdefault(domain, {}).update(fixes)
            elif key.endswith("_plural"):
                given.setdefault(key, {}).update({entry["msgid"]: entry for entry in entries})
            else:
                given.setdefault(key, {}).update(entries)
    empty = []
    for domain, spec in DOMAINS.items():
        for lang in spec["languages"]:
            po = TRANSLATIONS / lang / "LC_MESSAGES" / f"{domain}.po"
            with po.open("rb") as fh:
                catalog = read_po(fh)
            family = TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po"
            with family.open("rb") as fh:
                known = {m.id: m.string for m in read_po(fh) if m.id and domain != "messages"}
            for message in catalog:
                msgid = message.id if isinstance(message.id, str) else message.id[0] if message.id else ""
                fix = replace.get(domain, {}).get(msgid, {}).get(lang)
                if fix:
                    message.string = fix if isinstance(fix, str) else tuple(fix)
                    continue
                if not message.id or _filled(message.string):
                    continue
                if isinstance(message.id, str):
                    text = given.get(domain, {}).get(message.id, {}).get(lang) or known.get(message.id)
                else:
                    text = tuple(given.get(f"{domain}_plural", {}).get(message.id[0], {}).get(lang, ())) or None
                if text:
                    message.string = text
                else:
                    empty.append(f"{lang}/{domain}: {message.id}")
            with po.open("wb") as fh:
                write_po(fh, catalog, omit_header=False, sort_output=True, no_location=True)
    return empty


if __name__ == "__main__":
    action = sys.argv[1] if len(sys.argv) > 1 else ""
    if action == "extract":
        for name in DOMAINS:
            extract(name, TRANSLATIONS / f"{name}.pot")
    elif action == "update":
        update()
    elif action == "compile":
        compile_all()
    elif action == "fill":
        left = fill([Path(arg) for arg in sys.argv[2:]])
        print("\n".join(left) or "every msgstr is filled")
    else:
        sys.exit("usage: python -m portal.i18n_tools extract|update|compile|fill FILE.json...")
