"""Small-number suppression: no count from 1 to 4 is shown, and no sum
lets a reader work one out (an integer program tries)."""

from __future__ import annotations

import random

import pytest

from portal.services.suppression import HIDDEN, PRIMARY, Grid, suppress
from tests.solver import ranges, recovered


def _with_totals(rows: list[list[int]], *, n: bool = True) -> list[list[int]]:
    """Append each row's total, then (when n) the column sums as the n row."""
    full = [[*row, sum(row)] for row in rows]
    if n:
        full.append([sum(column) for column in zip(*full, strict=True)])
    return full


def _check(grid: Grid) -> list[list[int | str]]:
    shown = suppress(grid)
    assert not any(isinstance(v, int) and 1 <= v <= 4 for row in shown for v in row), shown
    for (i, j), value in ((c, v) for c, v in _cells(shown)):
        if isinstance(value, int):
            assert value == grid.values[i][j]  # what is shown is true
    assert recovered(shown, grid.lines()) == [], shown
    return shown


def _cells(shown):
    return (((i, j), v) for i, row in enumerate(shown) for j, v in enumerate(row))


def test_large_numbers_are_shown_as_they_are():
    grid = Grid(_with_totals([[10, 20], [30, 40]]), columns_add_up=True)
    assert suppress(grid) == grid.values


def test_a_lone_small_count_takes_a_second_cell_with_it():
    # 3 beside 20 under a total of 23: "<5" alone would be 23 - 20.
    grid = Grid(_with_totals([[3, 20], [10, 12]]), columns_add_up=False)
    shown = _check(grid)
    assert shown[0][0] == PRIMARY
    assert sum(v == HIDDEN for row in shown for v in row) >= 1


def test_two_ones_under_a_total_of_two_are_not_given_away():
    # "<5" + "<5" = 2 would make both 1.
    grid = Grid(_with_totals([[1, 1, 30], [9, 8, 7]]), columns_add_up=True)
    shown = _check(grid)
    assert shown[0][0] == shown[0][1] == PRIMARY


def test_four_ones_under_a_total_of_four():
    grid = Grid(_with_totals([[1, 1, 1, 1]], n=False), has_n=False)
    shown = _check(grid)
    assert shown[0][:4] == [PRIMARY] * 4
    assert shown[0][4] == HIDDEN  # the total 4 is a small count too: shown as "x", never as 4


def test_a_cycle_through_two_tables_corners():
    # 1 and 4 on opposite corners of a rectangle of hidden cells: the
    # classic case a row-by-row rule misses.
    grid = Grid(_with_totals([[1, 20, 7], [30, 4, 9], [6, 8, 10]]), columns_add_up=True)
    _check(grid)


def test_the_solver_itself_finds_an_unprotected_cell():
    # The check has teeth: a lone "<5" beside visible numbers is recovered.
    grid = Grid(_with_totals([[3, 20], [10, 12]]), columns_add_up=True)
    naive = [[PRIMARY if 1 <= v <= 4 else v for v in row] for row in grid.values]
    assert recovered(naive, grid.lines()) == [(0, 0)]
    assert ranges(naive, grid.lines())[(0, 0)] == (3, 3)


@pytest.mark.parametrize("seed", range(60))
def test_random_tables_of_the_reports_shape(seed):
    rng = random.Random(seed)
    parts = rng.randint(1, 6)  # hospitals and "not stated"
    codes = rng.randint(1, 8)
    weights = [rng.choice([0, 0, 1, 2, 5, 20]) for _ in range(codes)]
    rows = [[rng.randint(0, 2 * w) if w else 0 for _ in range(parts)] for w in weights]
    grid = Grid(_with_totals(rows), columns_add_up=rng.random() < 0.6)
    _check(grid)
