"""A figure of ``stats.figures()`` as a table: its rows (codes), its n,
and which sums a reader of it can check. The dashboard and the export read
figures through here, so they show the same rows (their labels are in
portal.vocab.staff.figure_labels)."""

from __future__ import annotations

from typing import Any

from portal.services.stats import CHILD_GROUPS

# Several codes per case: shares are of the cases, and a case counts in several rows.
SEVERAL_PER_CASE = frozenset({"reasons", "onward_referrals"})
# Where a figure's columns do not add up to its n (children are numbers of children).
MULTI_VALUED = SEVERAL_PER_CASE | {"children"}
# Totals of different things (courses, nights, families who came): no shares.
TOTALS = frozenset({"children", "spor2", "spor3"})
# On the dashboard, not in the export: spor 2 and 3 count courses and
# activity dates, not the cases the export's columns of hospitals divide.
DASHBOARD_ONLY = frozenset({"spor2", "spor3"})
# Counted from another figure (heard_from): published beside it, a reader
# could subtract one from the other, so exports leave them out.
DERIVED = frozenset({"heard_from_professional"})


def counts_of(figures: dict[str, Any], key: str) -> tuple[int, dict[str, int]]:
    """(n, counts per code) of one figure, whatever its shape."""
    if ":" in key:  # a survey question, "family:helped"
        kind, question = key.split(":")
        value = figures["satisfaction"][kind]["questions"][question]
        return value["n"], value["counts"]
    value = figures[key]
    if key == "by_hospital":
        return figures["users"], value
    if key == "children":
        return value["n"], {code: value[code] for code in CHILD_GROUPS}
    return value["n"], value["counts"]
