"""A figure of ``stats.figures()`` as a table: its rows (codes and their
labels), its n, and which sums a reader of it can check. The dashboard and
the export read figures through here, so they show the same rows."""

from __future__ import annotations

from typing import Any

from portal.vocab import public as public_labels
from portal.vocab import staff as labels

# Several codes per case: shares are of the cases, and a case counts in several rows.
SEVERAL_PER_CASE = frozenset({"reasons", "onward_referrals"})
# Where a figure's columns do not add up to its n (children are numbers of children).
MULTI_VALUED = SEVERAL_PER_CASE | {"children"}
# Counted from another figure (heard_from): published beside it, a reader
# could subtract one from the other, so exports leave them out.
DERIVED = frozenset({"heard_from_professional"})


def row_labels(key: str, hospital_names: dict[str, str]) -> dict[str, Any]:
    """The codes of one figure, in the report's order, with their labels."""
    return {
        "by_hospital": hospital_names, "gender": labels.GENDER, "age_band": labels.AGE_BANDS,
        "pregnant": labels.YES_NO, "children": labels.CHILD_GROUPS, "civil_status": labels.CIVIL_STATUS,
        "employment": labels.EMPLOYMENT, "income_source": labels.INCOME_SOURCE, "education": labels.EDUCATION,
        "heard_from": labels.HEARD_FROM, "reasons": public_labels.CONTACT_REASONS,
        "closure_reason": labels.CLOSURE_REASONS, "onward_referrals": labels.ONWARD_REFERRALS,
        "anonymous_questions": labels.ANSWERED, "sparring": labels.ANSWERED,
        "contact_requests": {kind: labels.KINDS[kind] for kind in ("self_referral", "professional_referral")},
    }[key]


def counts_of(figures: dict[str, Any], key: str) -> tuple[int, dict[str, int]]:
    """(n, counts per code) of one figure, whatever its shape."""
    value = figures[key]
    if key == "by_hospital":
        return figures["users"], value
    if key == "children":
        return value["n"], {code: value[code] for code in labels.CHILD_GROUPS}
    return value["n"], value["counts"]
