"""docs/privacy.md cannot drift from the code: every name it puts in
backticks is checked against what exists.

- ``tests/x.py`` and ``tests/x.py::name``: the file exists and defines the test;
  ``portal/x.py::name`` likewise for a function or class;
- any other ``portal/``, ``tests/``, ``docs/``, ``migrations/`` path exists;
- ``PORTAL_NAME`` and ``NAME``: a setting of ``portal.config.Config``, and
  "``PORTAL_NAME`` (default V)" is its default;
- ``portal <command> [sub] [--option]``: registered in the CLI, with that
  subcommand and option; a lone ``--option`` belongs to some command;
- ``table`` and ``table.column``: in the schema; ``action.name``: an
  audit action or other string the code uses; any other bare identifier is
  a word of the code.

And the other way round: every table of the schema, every retention
setting and every encrypted column's table is named on the page.

Some names come from work merged separately (encryption at rest, the
retention rules, the rights of a person). Until its marker module exists,
a name of such a part is skipped, not failed; once merged it is checked
like every other."""

from __future__ import annotations

import ast
import importlib
import re
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from types import SimpleNamespace

import click
import pytest

from portal.config import Config
from portal.models import Base

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "privacy.md"

# The parts merged separately: the module whose presence says it is merged,
# and the names on the page that only it provides (prefixes).
PARTS = {
    "crypto": ("portal/crypto.py", (
        "PORTAL_DATA_KEY", "portal rotate-key", "--batch-size", "portal/crypto.py", "portal/models/encrypted.py",
        "tests/test_encryption_at_rest.py", "tests/services/test_crypto.py", "encrypted tables")),
    "retention": ("portal/cli_retention.py", (
        "PORTAL_THREAD_RETENTION_DAYS", "THREAD_RETENTION_DAYS", "PORTAL_CONTACT_RETENTION_DAYS_AFTER_CLOSE",
        "PORTAL_CASE_RETENTION_MONTHS", "PORTAL_REFERRAL_RETENTION_DAYS_AFTER_CLOSE",
        "PORTAL_SPARRING_RETENTION_DAYS", "PORTAL_ACTIVITY_RETENTION_DAYS",
        "PORTAL_COURSE_RETENTION_DAYS_AFTER_END", "PORTAL_SURVEY_TEXT_RETENTION_DAYS",
        "portal/services/retention_threads.py", "portal/services/retention_tracks.py",
        "portal/services/anonymise.py", "tests/services/test_retention.py", "tests/services/test_retention_cases.py",
        "tests/services/test_retention_tracks.py", "tests/test_cli_retention.py",
        "portal purge --dry-run", "secure_delete", "audit_events.details")),
    "rights": ("portal/services/erasure.py", (
        "PORTAL_ERASE_CONFIRM_MINUTES", "portal/services/erasure.py", "portal/services/subject_access.py",
        "portal/blueprints/public/withdrawal.py", "tests/services/test_rights.py",
        "tests/blueprints/test_rights_flow.py", "may_export_personal_data", "may_erase_personal_data",
        "inquiries.withdrawn_at", "inquiry.withdrawn", "inquiry.erased", "case.erased")),
}

TEXT = DOC.read_text(encoding="utf-8")
SPANS = sorted(set(re.findall(r"`([^`\n]+)`", TEXT)))

_CODE_REF = re.compile(r"^((?:portal|tests)/[\w/]+\.py)(?:::(\w+))?$")
_PATH = re.compile(r"^(?:portal|tests|docs|migrations)/[\w/.-]+$")
_SETTING = re.compile(r"^(?:PORTAL_)?([A-Z][A-Z0-9_]+)$")
_COMMAND = re.compile(r"^portal ([a-z][\w-]*)(.*)$")
_OPTION = re.compile(r"^--[a-z][\w-]*$")
_DOTTED = re.compile(r"^([a-z_]+)\.([a-z_]+)$")
_WORD = re.compile(r"^[a-z0-9_]+$")


def _part_of(name: str) -> str | None:
    for part, (_marker, prefixes) in PARTS.items():
        if any(name.startswith(prefix) for prefix in prefixes):
            return part
    return None


@contextmanager
def _unless_unmerged(name: str) -> Iterator[None]:
    """A failed check of a name whose part is not merged yet is a skip (it
    cannot exist here); any other failure stands."""
    try:
        yield
    except (AssertionError, ImportError):
        part = _part_of(name)
        if part is not None and not (ROOT / PARTS[part][0]).exists():
            pytest.skip(f"{name!r} comes with the {part} work, not merged here")
        raise


@cache
def _defined(path: str) -> frozenset[str]:
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
    return frozenset(node.name for node in tree.body
                     if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)))


@cache
def _commands() -> dict[str, click.Command]:
    from portal.cli import register
    holder = SimpleNamespace(cli=click.Group())
    register(holder)  # type: ignore[arg-type]  # only .cli is used
    return dict(holder.cli.commands)


@cache
def _source() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "portal").rglob("*.py")))


def _options(command: click.Command) -> set[str]:
    return {opt for param in command.params for opt in getattr(param, "opts", [])}


def _check(span: str) -> None:
    if match := _CODE_REF.match(span):
        path, name = match.groups()
        assert (ROOT / path).is_file(), f"{path} does not exist"
        assert name is None or name in _defined(path), f"{path} defines no {name}"
    elif _PATH.match(span):
        assert (ROOT / span).exists(), f"{span} does not exist"
    elif match := _SETTING.match(span):
        assert hasattr(Config, match.group(1)), f"{match.group(1)} is not a setting in portal/config.py"
    elif match := _COMMAND.match(span):
        name, rest = match.group(1), match.group(2).split()
        command = _commands().get(name)
        assert command is not None, f"`portal {name}` is not a registered command"
        if isinstance(command, click.Group):
            assert rest and rest[0] in command.commands, f"`portal {name}` has no subcommand {rest[:1]}"
            command, rest = command.commands[rest[0]], rest[1:]
        for option in (word for word in rest if word.startswith("--")):
            assert option in _options(command), f"`portal {name}` has no option {option}"
    elif _OPTION.match(span):
        assert any(span in _options(c) for c in _commands().values()), f"no command has the option {span}"
    elif match := _DOTTED.match(span):
        table, column = match.groups()
        if table in Base.metadata.tables:
            assert column in Base.metadata.tables[table].columns, f"{table} has no column {column}"
        else:
            # "case.view", or made as f"{kind}.erased"
            assert f'"{span}"' in _source() or f'}}.{column}"' in _source(), \
                f"the code never uses the string {span!r}"
    elif _WORD.match(span) and span != "portal":
        assert span in Base.metadata.tables or re.search(rf"\b{re.escape(span)}\b", _source()), \
            f"{span!r} is neither a table nor a word of the code"


@pytest.mark.parametrize("span", SPANS)
def test_every_name_in_backticks_exists(span):
    with _unless_unmerged(span):
        _check(span)


DEFAULTS = sorted(set(re.findall(r"`PORTAL_([A-Z0-9_]+)` \(default ([^)]+)\)", TEXT)))


@pytest.mark.parametrize("name, default", DEFAULTS)
def test_every_default_the_page_gives_is_the_settings_default(name, default):
    with _unless_unmerged(f"PORTAL_{name}"):
        assert hasattr(Config, name), f"{name} is not a setting"
    assert str(getattr(Config, name)) == default


def test_the_page_gives_defaults():
    assert len(DEFAULTS) >= 9


@pytest.mark.parametrize("table", sorted(Base.metadata.tables))
def test_every_table_is_named_on_the_page(table):
    assert table in SPANS, f"docs/privacy.md says nothing about the table {table}"


@pytest.mark.parametrize("name", sorted(k for k in vars(Config) if "RETENTION" in k))
def test_every_retention_setting_is_on_the_page(name):
    assert f"`PORTAL_{name}` (default {getattr(Config, name)})" in TEXT


def _section(title: str) -> str:
    start = TEXT.index(f"\n## {title}\n")
    end = TEXT.find("\n## ", start + 1)
    return TEXT[start:end if end != -1 else len(TEXT)]


def test_the_encryption_table_names_exactly_the_tables_with_encrypted_columns():
    with _unless_unmerged("encrypted tables"):
        EncryptedText = importlib.import_module("portal.models.encrypted").EncryptedText  # noqa: N806
    encrypted = {table.name for table in Base.metadata.sorted_tables
                 if any(isinstance(column.type, EncryptedText) for column in table.columns)}
    listed = set(re.findall(r"^\| `([a-z_]+)` \|", _section("Encryption at rest"), re.MULTILINE))
    assert listed == encrypted


def test_the_checks_see_the_whole_page():
    """The parser finds the references (a change of style would hide them all)."""
    assert sum(bool(_CODE_REF.match(span) and "::" in span) for span in SPANS) >= 40
    assert {"portal purge", "portal backup"} <= set(SPANS)
