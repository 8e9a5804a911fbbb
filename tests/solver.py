"""A reader who tries to undo small-number suppression: given a published
grid (numbers, "<5" and "x") and the sums it must obey, an integer program
(scipy's HiGHS, independent of the portal's own network check) finds the
smallest and largest value each hidden cell can take."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

Cell = tuple[int, int]
LARGE = 10**7


def ranges(shown: Sequence[Sequence[int | str]], lines: Sequence[Sequence[Cell]]) -> dict[Cell, tuple[int, int]]:
    """Every "<5" and "x" cell's (min, max) over all integer tables that fit the lines."""
    hidden = [(i, j) for i, row in enumerate(shown) for j, value in enumerate(row) if isinstance(value, str)]
    if not hidden:
        return {}
    index = {cell: k for k, cell in enumerate(hidden)}
    rows, right = [], []
    for line in lines:
        # parts minus total = 0, with the visible numbers moved to the right-hand side
        coefficients = np.zeros(len(hidden))
        constant = 0
        *parts, total = line
        for cell, sign in [*((c, 1) for c in parts), (total, -1)]:
            value = shown[cell[0]][cell[1]]
            if isinstance(value, str):
                coefficients[index[cell]] += sign
            else:
                constant -= sign * value
        if coefficients.any():
            rows.append(coefficients)
            right.append(constant)
        else:
            assert constant == 0, f"the visible numbers of a line do not add up: {line}"
    low = [1 if shown[i][j] == "<5" else 0 for i, j in hidden]
    high = [4 if shown[i][j] == "<5" else LARGE for i, j in hidden]
    constraints = [LinearConstraint(np.array(rows), right, right)] if rows else []
    found = {}
    for cell, k in index.items():
        extremes = []
        for sign in (1, -1):
            objective = np.zeros(len(hidden))
            objective[k] = sign
            result = milp(objective, constraints=constraints, integrality=np.ones(len(hidden)),
                          bounds=Bounds(low, high))
            assert result.success, result.message
            extremes.append(round(result.x[k]))
        found[cell] = (extremes[0], extremes[1])
    return found


def recovered(shown: Sequence[Sequence[int | str]], lines: Sequence[Sequence[Cell]]) -> list[Cell]:
    """The "<5" cells a reader can pin to one value."""
    return [cell for cell, (low, high) in ranges(shown, lines).items()
            if shown[cell[0]][cell[1]] == "<5" and low == high]
