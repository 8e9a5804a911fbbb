"""The house rules of ARCHITECTURE.md, checked: small modules, short
handlers, access asked in one place, services free of the web layer."""

from __future__ import annotations

import ast
import inspect
import re
import statistics
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PORTAL = ROOT / "portal"
ROLE_NAMES = ("admin", "lead", "counsellor", "referrer", "association_editor")


def _modules():
    return sorted(p for p in PORTAL.rglob("*.py") if "static" not in p.parts)


def _handler_lines(view) -> int:
    """Lines of a handler's body: no decorators, signature, docstring,
    comments or blank lines."""
    source = inspect.getsource(inspect.unwrap(view))
    tree = ast.parse(inspect.cleandoc("\n" + source) if source[0].isspace() else source)
    func = tree.body[0]
    assert isinstance(func, ast.FunctionDef)
    body = func.body
    if body and isinstance(body[0], ast.Expr) and isinstance(getattr(body[0], "value", None), ast.Constant):
        body = body[1:]
    lines = source.splitlines()
    start, end = body[0].lineno, func.end_lineno or body[-1].lineno
    kept = [line for line in lines[start - 1:end] if line.strip() and not line.strip().startswith("#")]
    return len(kept)


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_module_is_over_350_lines(path):
    assert len(path.read_text(encoding="utf-8").splitlines()) <= 350


def test_handlers_are_short(app):
    sizes = {name: _handler_lines(view) for name, view in app.view_functions.items() if name != "static"}
    too_long = {name: size for name, size in sizes.items() if size > 30}
    assert too_long == {}
    assert statistics.median(sizes.values()) < 12, sorted(sizes.items(), key=lambda kv: kv[1])


def test_no_template_names_a_role_or_re_derives_access():
    """Templates ask can(...); no expression in one names a role or compares
    the holder itself."""
    pattern = re.compile(r"""['"](%s)['"]|current_user\.role|\.role\s*(==|in)|assigned_to_id\s*==|"""
                         r"""counsellor_id\s*==""" % "|".join(ROLE_NAMES))
    offenders = []
    for path in (PORTAL / "templates").rglob("*.html"):
        for expression in re.findall(r"\{[{%].*?[%}]\}", path.read_text(encoding="utf-8"), re.S):
            if pattern.search(expression):
                offenders.append(f"{path.relative_to(ROOT)}: {expression}")
    assert offenders == []


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


@pytest.mark.parametrize("path", sorted((PORTAL / "services").glob("*.py")), ids=lambda p: p.name)
def test_services_stay_out_of_the_web_layer(path):
    """No label module, no request, no blueprint, no commit in a service."""
    imports = _imports(path)
    assert not any(name.startswith("portal.vocab") for name in imports), imports
    assert not any(name.startswith("portal.blueprints") for name in imports), imports
    assert "flask.request" not in imports and "flask" not in imports, imports
    assert ".commit(" not in path.read_text(encoding="utf-8")


def test_handlers_never_commit():
    """One unit of work per request: the commit is db.py's, after the handler."""
    for path in (PORTAL / "blueprints").rglob("*.py"):
        assert ".commit(" not in path.read_text(encoding="utf-8"), path


def test_routes_and_services_ask_access_instead_of_comparing_roles():
    """Access is decided in portal/access.py; routes and services ask it."""
    pattern = re.compile(r"\.role\s*(==|!=|in|not in)\s|(?<!field=)['\"](%s)['\"]" % "|".join(ROLE_NAMES))
    places = list((PORTAL / "blueprints").rglob("*.py")) + list((PORTAL / "services").glob("*.py"))
    offenders = [str(p.relative_to(ROOT)) for p in places if pattern.search(p.read_text(encoding="utf-8"))]
    assert offenders == []
