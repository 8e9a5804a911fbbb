"""The issue's acceptance test: a known data set goes in through
`portal import-cases`, and every figure of `portal stats --json` matches
hand-computed expectations (tests/evaluation_data.py), for the whole
partnership and for one hospital; a second import changes nothing."""

from __future__ import annotations

import json

from tests.evaluation_data import EXPECTED, EXPECTED_HGH, PERIOD, csv_text


def _stats(runner, *extra: str) -> dict:
    result = runner.invoke(args=["stats", "--from", PERIOD[0].isoformat(), "--to", PERIOD[1].isoformat(),
                                 "--json", *extra])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_imported_cases_give_the_expected_figures(app, tmp_path):
    path = tmp_path / "crm.csv"
    path.write_text(csv_text(), encoding="utf-8")
    runner = app.test_cli_runner()
    imported = runner.invoke(args=["import-cases", str(path)])
    assert imported.exit_code == 0, imported.output
    assert _stats(runner) == EXPECTED
    one_hospital = _stats(runner, "--hospital", "hgh")
    assert {key: one_hospital[key] for key in EXPECTED_HGH} == EXPECTED_HGH
    again = runner.invoke(args=["import-cases", str(path)])
    assert again.exit_code == 0, again.output
    assert _stats(runner) == EXPECTED
