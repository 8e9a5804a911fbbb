"""Small-number suppression for the figures the partnership publishes.

A published figure is a grid: one row per code, one column per hospital
(and one for cases without a hospital), a last column with the row's
total, and usually a last row with n. Its lines are the sums a reader can
check: every row adds up to its total, and where the codes exclude each
other (one gender per case) every column adds up to its n as well.

Every count from 1 to 4 is shown as ``"<5"`` (primary suppression). Where
the lines would still let a reader work such a cell out, a further cell is
hidden as ``"x"`` (secondary suppression), until no "<5" cell has a single
value that fits every line. The check is exact: the grid's lines are a
network (rows feed columns), a reader's knowledge is a range per cell
(visible: the number; "<5": 1 to 4; "x": anything), and a cell is pinned
when no cycle of the network's residual graph passes through it.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass

PRIMARY = "<5"
HIDDEN = "x"
SMALLEST_SHOWN = 5
_UNBOUNDED = 10**12

Cell = tuple[int, int]
Shown = int | str


@dataclass(frozen=True)
class Grid:
    """``values[i][j]``: rows are the codes (then n when ``has_n``), columns
    the parts (then the row total). ``columns_add_up``: each column of the
    code rows sums to the n row."""

    values: list[list[int]]
    has_n: bool = True
    columns_add_up: bool = False

    @property
    def parts(self) -> int:
        return len(self.values[0]) - 1

    @property
    def code_rows(self) -> int:
        return len(self.values) - (1 if self.has_n else 0)

    def lines(self) -> list[list[Cell]]:
        """Every line a reader can check, as its cells (the total last)."""
        width = self.parts
        lines = [[(i, j) for j in range(width + 1)] for i in range(len(self.values))]
        if self.columns_add_up and self.has_n:
            lines += [[(i, j) for i in range(self.code_rows + 1)] for j in range(width + 1)]
        return lines


def suppress(grid: Grid) -> list[list[Shown]]:
    """The grid as it may be published: small counts as "<5", the cells
    that would give them away as "x", every other number as it is."""
    shown: dict[Cell, Shown] = {}
    for i, row in enumerate(grid.values):
        for j, value in enumerate(row):
            shown[(i, j)] = PRIMARY if 1 <= value < SMALLEST_SHOWN else value
    while (cell := _first_pinned(grid, shown)) is not None:
        _hide_one_more(grid, shown, cell)
    return [[shown[(i, j)] for j in range(len(row))] for i, row in enumerate(grid.values)]


def _hide_one_more(grid: Grid, shown: dict[Cell, Shown], cell: Cell) -> None:
    """Hide the visible cells that give ``cell`` room to move, costing the
    least: where columns add up, the other three corners of a rectangle
    (a cycle in the network); otherwise one more cell of its row. When no
    visible cell is left to hide, a "<5" cell (a total first) becomes "x"."""
    def is_margin(c: Cell) -> bool:
        return c[1] == grid.parts or (grid.has_n and c[0] == grid.code_rows)

    def cost(group: list[Cell]) -> tuple[int, int]:
        # The least information lost: interior cells before totals, small numbers before large ones.
        return sum(map(is_margin, group)), sum(int(shown[c]) for c in group)

    row, column = cell
    if grid.columns_add_up and grid.has_n:
        groups = [[(row, c), (r, c), (r, column)] for r in range(len(grid.values)) if r != row
                  for c in range(grid.parts + 1) if c != column]
    else:
        groups = [[(row, c)] for c in range(grid.parts + 1) if c != column]
    hideable = [visible for group in groups if (visible := [c for c in group if isinstance(shown[c], int)])]
    if hideable:
        for chosen in min(hideable, key=cost):
            shown[chosen] = HIDDEN
        return
    small = [c for group in groups for c in group if shown[c] == PRIMARY] + [cell]
    # A "<5" that may be any number frees its lines: four 1s under a total of 4 stop adding up to a certainty.
    shown[min(small, key=lambda c: (not is_margin(c), c))] = HIDDEN


# --- the reader's view: a network with a range on every edge ---------------

def _ranges(grid: Grid, shown: dict[Cell, Shown]) -> dict[Cell, tuple[int, int]]:
    """What a reader knows of each cell."""
    known: dict[Cell, tuple[int, int]] = {}
    for cell, value in shown.items():
        if value == PRIMARY:
            known[cell] = (1, SMALLEST_SHOWN - 1)
        elif value == HIDDEN:
            known[cell] = (0, _UNBOUNDED)
        else:
            known[cell] = (int(value), int(value))
    return known


def _network(grid: Grid, known: dict[Cell, tuple[int, int]]) -> tuple[int, list[list[int]], dict[Cell, int]]:
    """Nodes (source 0, sink 1, one per row, one per column) and edges
    [tail, head, low, high, flow]: source -> row (its total), row -> column
    (a cell), column -> sink (its n, when columns add up), sink -> source
    (the grand total). Without column sums every cell goes to the sink."""
    edges: list[list[int]] = []
    edge_of: dict[Cell, int] = {}
    rows = len(grid.values)
    columns_add_up = grid.columns_add_up and grid.has_n
    first_column = 2 + rows

    def add(tail: int, head: int, cell: Cell | None, bounds: tuple[int, int]) -> None:
        if cell is not None:
            edge_of[cell] = len(edges)
        edges.append([tail, head, bounds[0], bounds[1], 0])

    code_rows = grid.code_rows if columns_add_up else rows
    for i in range(code_rows):
        add(0, 2 + i, (i, grid.parts), known[(i, grid.parts)])
        for j in range(grid.parts):
            add(2 + i, first_column + j if columns_add_up else 1, (i, j), known[(i, j)])
    if columns_add_up:
        n_row = grid.code_rows
        for j in range(grid.parts):
            add(first_column + j, 1, (n_row, j), known[(n_row, j)])
        add(1, 0, (n_row, grid.parts), known[(n_row, grid.parts)])
    else:
        add(1, 0, None, (0, _UNBOUNDED))
    return first_column + grid.parts, edges, edge_of


def _first_pinned(grid: Grid, shown: dict[Cell, Shown]) -> Cell | None:
    """The first "<5" cell whose value every line fixes, or None."""
    nodes, edges, edge_of = _network(grid, _ranges(grid, shown))
    if not _circulate(nodes, edges):
        return None  # cannot happen for a true grid: its own values fit
    for cell in sorted(c for c, value in shown.items() if value == PRIMARY):
        index = edge_of[cell]
        tail, head, low, high, flow = edges[index]
        can_grow = flow < high and _reachable(nodes, edges, head, tail, skip=index)
        can_shrink = flow > low and _reachable(nodes, edges, tail, head, skip=index)
        if not (can_grow or can_shrink):
            return cell
    return None


def _residual(edges: list[list[int]], node: int, skip: int) -> Iterator[int]:
    """The nodes one unit can move to from ``node`` without breaking a range."""
    for index, (tail, head, low, high, flow) in enumerate(edges):
        if index == skip:
            continue
        if tail == node and flow < high:
            yield head
        elif head == node and flow > low:
            yield tail


def _reachable(nodes: int, edges: list[list[int]], start: int, goal: int, skip: int) -> bool:
    seen = {start}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        if node == goal:
            return True
        for nxt in _residual(edges, node, skip):
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return False


def _circulate(nodes: int, edges: list[list[int]]) -> bool:
    """Find flows within every edge's range that balance at every node
    (edge[4]); False when none exist. Lower bounds move to a super source
    and sink, then augmenting paths (Edmonds-Karp) fill them."""
    source, sink = nodes, nodes + 1
    # Working graph: [tail, head, capacity, flow]; each edge paired with its reverse (index ^ 1).
    graph: list[list[int]] = []
    adjacency: list[list[int]] = [[] for _ in range(nodes + 2)]

    def link(tail: int, head: int, capacity: int) -> int:
        adjacency[tail].append(len(graph))
        graph.append([tail, head, capacity, 0])
        adjacency[head].append(len(graph))
        graph.append([head, tail, 0, 0])
        return len(graph) - 2

    excess = [0] * nodes
    placed = []
    for tail, head, low, high, _flow in edges:
        placed.append(link(tail, head, high - low))
        excess[head] += low
        excess[tail] -= low
    demand = 0
    for node, amount in enumerate(excess):
        if amount > 0:
            link(source, node, amount)
            demand += amount
        elif amount < 0:
            link(node, sink, -amount)
    moved = 0
    while (path := _augmenting_path(graph, adjacency, source, sink)) is not None:
        step = min(graph[e][2] - graph[e][3] for e in path)
        for e in path:
            graph[e][3] += step
            graph[e ^ 1][3] -= step
        moved += step
    if moved < demand:
        return False
    for edge, index in zip(edges, placed, strict=True):
        edge[4] = edge[2] + graph[index][3]
    return True


def _augmenting_path(graph: list[list[int]], adjacency: list[list[int]], source: int, sink: int) -> list[int] | None:
    """The shortest path of edges with room left, source to sink."""
    came_by: dict[int, int] = {}
    queue = deque([source])
    seen = {source}
    while queue:
        node = queue.popleft()
        for e in adjacency[node]:
            head = graph[e][1]
            if head not in seen and graph[e][2] - graph[e][3] > 0:
                seen.add(head)
                came_by[head] = e
                if head == sink:
                    path = []
                    while head != source:
                        path.append(came_by[head])
                        head = graph[came_by[head]][0]
                    return path[::-1]
                queue.append(head)
    return None
