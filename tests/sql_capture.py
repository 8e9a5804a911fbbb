"""The SQL a piece of work sends, caught with ``before_cursor_execute``: for
the tests that count statements, read their plans or check their order."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, event


@contextmanager
def _listening(engine: Engine, record: Callable[..., None]) -> Iterator[None]:
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield
    finally:
        event.remove(engine, "before_cursor_execute", record)


@contextmanager
def statements_with_parameters(engine: Engine) -> Iterator[list[tuple[str, Any]]]:
    """Every statement sent to ``engine`` (and the engines made from it with
    other execution options) while inside, with its parameters, in order."""
    sent: list[tuple[str, Any]] = []
    with _listening(engine, lambda _conn, _cursor, statement, parameters, *_rest: sent.append(
            (statement, parameters))):
        yield sent


@contextmanager
def statements_sent(engine: Engine, *, begins: bool = True) -> Iterator[list[str]]:
    """The text of every statement sent to ``engine`` while inside, in order
    (without ``begins``: BEGIN left out). The list fills as they are sent."""
    sent: list[str] = []

    def record(_conn, _cursor, statement, *_rest) -> None:
        if begins or not statement.startswith("BEGIN"):
            sent.append(statement)

    with _listening(engine, record):
        yield sent
