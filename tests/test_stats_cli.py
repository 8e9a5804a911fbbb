"""`portal stats`: the known data set's figures as JSON and as tables, the
defaults, and one clear line for a bad date or hospital."""

from __future__ import annotations

import json
import re

import pytest

from portal import db
from portal.services import stats
from tests.evaluation_data import EXPECTED, EXPECTED_HGH, ROWS
from tests.factories import make_counsellor
from tests.services.test_stats import make_cases

PERIOD_ARGS = ["--from", "2025-04-01", "--to", "2025-11-18"]


@pytest.fixture
def known(app):
    """The known data set, made through the services and committed."""
    with app.app_context():
        session = db.session()
        make_cases(session, make_counsellor(session), ROWS)
        db.commit()
    return app


def _run(app, *args: str):
    """Run `portal stats` with ``args``."""
    return app.test_cli_runner().invoke(args=["stats", *args])


def test_json_holds_every_figure(known):
    result = _run(known, *PERIOD_ARGS, "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == EXPECTED


def test_json_for_one_hospital(known):
    result = _run(known, *PERIOD_ARGS, "--hospital", "hgh", "--json")
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    assert {key: figures[key] for key in EXPECTED_HGH} == EXPECTED_HGH


def test_the_default_period_runs_from_the_partnerships_start_to_today(known):
    figures = json.loads(_run(known, "--json").output)
    assert figures["period"] == {"from": "2024-12-01", "to": stats.local_today().isoformat(), "hospital": None}
    assert figures["users"] == len(ROWS)


def test_tables_show_each_figure_with_its_n_counts_and_shares(known):
    result = _run(known, *PERIOD_ARGS)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[:2] == ["Cases opened 2025-04-01 to 2025-11-18, all hospitals", "Users (forløb): 8"]
    assert "Gender (n=7)" in lines
    assert re.search(r"^  female +5 +71 %$", result.output, re.M)
    assert re.search(r"^  other_professional +0 +0 %$", result.output, re.M)
    assert "Contact reasons, several per case (n=7 cases, 12 mentions; % of cases, % of mentions)" in lines
    assert re.search(r"^  economy +4 +57 % +33 %$", result.output, re.M)
    assert "Children by age group (n=6 cases with a child count stated; numbers of children)" in lines
    assert re.search(r"^  unknown +3$", result.output, re.M)  # numbers of children, no share
    assert "Spor 2: visited activities (n=0)" in lines
    # Every table row is aligned: the counts end in the same column.
    rows = [line for line in lines if re.match(r"^  \S+ +\d+", line)]
    assert len({len(re.match(r"^  \S+ +\d+", line).group(0)) for line in rows}) == 1


@pytest.mark.parametrize(("args", "message"), [
    (["--from", "2025-13-01"], "'2025-13-01' is not a date of the form YYYY-MM-DD"),
    (["--to", "18.11.2025"], "'18.11.2025' is not a date of the form YYYY-MM-DD"),
    (["--from", "2025-11-19", "--to", "2025-11-18"], "2025-11-19 is after --to 2025-11-18"),
    (["--hospital", "nowhere"], "unknown hospital code 'nowhere'; known codes: rh, hgh, nsh, ahh, boh"),
])
def test_a_bad_parameter_is_one_clear_line(app, args, message):
    result = _run(app, *args, "--json")
    assert result.exit_code == 2
    errors = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and message in errors[0], result.output
    assert "Traceback" not in result.output
