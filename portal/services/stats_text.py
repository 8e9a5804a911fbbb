"""The evaluation's figures (``stats.figures()``) as plain-text tables for a
terminal: what ``portal stats`` prints without ``--json``."""

from __future__ import annotations

from typing import Any

from portal.services import response_times
from portal.services.stats import CHILD_GROUPS, percent

# The terminal's tables, in the report's order: (key, title).
_TITLES = (
    ("by_hospital", "Hospital"), ("gender", "Gender"), ("age_band", "Age"),
    ("pregnant", "Pregnant at the start"), ("children", "Children by age group"),
    ("civil_status", "Civil status"), ("employment", "Employment"), ("income_source", "Income source"),
    ("education", "Education"), ("heard_from", "Heard of the offer from"),
    ("heard_from_professional", "Heard of it from a professional"), ("channel", "Channel"),
    ("reasons", "Contact reasons, several per case"), ("closure_reason", "Closure reason"),
    ("onward_referrals", "Onward referrals, several per case"),
    ("spor2", "Spor 2: visited activities"), ("spor3", "Spor 3: local activities"),
    ("sparring", "Sparring"), ("anonymous_questions", "Anonymous questions"),
    ("contact_requests", "Contact requests"),
)
_WIDTH = 24


def _share(count: int, n: int) -> str:
    """A count's share as "43 %" (a dash when n is 0)."""
    value = percent(count, n)
    return "   -" if value is None else f"{value:>3} %"


def _table(key: str, title: str, figure: dict[str, Any]) -> list[str]:
    """One figure as aligned lines: its title with n, then code, count and share."""
    if key == "children":
        return [f"{title} (n={figure['n']} cases with a child count stated; numbers of children)"] + [
            f"  {group:<{_WIDTH}}{figure[group]:>6}" for group in CHILD_GROUPS]
    n = figure["n"]
    if "mentions" in figure:
        mentions = figure["mentions"]
        return [f"{title} (n={n} cases, {mentions} mentions; % of cases, % of mentions)"] + [
            f"  {code:<{_WIDTH}}{count:>6}  {_share(count, n)}  {_share(count, mentions)}"
            for code, count in figure["counts"].items()]
    return [f"{title} (n={n})"] + [f"  {code:<{_WIDTH}}{count:>6}  {_share(count, n)}"
                                   for code, count in figure["counts"].items()]


def text_report(result: dict[str, Any]) -> list[str]:
    """The figures as plain-text tables for a terminal (codes, not labels)."""
    period = result["period"]
    where = f"hospital {period['hospital']}" if period["hospital"] else "all hospitals"
    lines = [f"Cases opened {period['from']} to {period['to']}, {where}", f"Users (forløb): {result['users']}"]
    for key, title in _TITLES:
        figure = result[key]
        if key == "by_hospital":
            # Cases without a hospital count as users, not here.
            figure = {"n": sum(figure.values()), "counts": figure}
        lines += ["", *_table(key, title, figure)]
    return lines + response_times.text_lines(result["response_times"])
