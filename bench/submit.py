"""Anonymous questions per second under load (bench/submit.lua): each
simulated family GETs the form for a fresh CSRF token and session cookie,
then POSTs it. Afterwards the questions in the database are counted: an
acknowledged question (a receipt code shown) that is not there is lost."""

from __future__ import annotations

import statistics
import sys
import time

from sqlalchemy import func, select

from bench import wrk
from portal.db import make_engine
from portal.models import Inquiry


def stored_questions(url: str) -> int:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return conn.scalar(select(func.count()).select_from(Inquiry)
                               .where(Inquiry.kind == "anonymous_question")) or 0
    finally:
        engine.dispose()


def figures(base: str, url: str, *, rounds: int, seconds: float, clients: int) -> dict:
    """rate (acknowledged questions/s), p50_ms and p99_ms of the POSTs:
    medians over the rounds; errors and lost: totals over every round."""
    rates, p50s, p99s, errors, lost = [], [], [], 0, 0
    for number in range(rounds):
        print(f"bench: submit round {number + 1}/{rounds}", file=sys.stderr)
        before = stored_questions(url)
        found = wrk.submissions(base, seconds=seconds, clients=clients)
        time.sleep(1)  # a POST still in flight when wrk stopped may yet commit
        stored = stored_questions(url) - before
        rates.append(found["acks"] / found["seconds"])
        p50s.append(found["p50_ms"])
        p99s.append(found["p99_ms"])
        errors += found["fails"] + found["socket_errors"]
        lost += max(0, found["acks"] - stored)
    return {"rate": round(statistics.median(rates), 1), "p50_ms": round(statistics.median(p50s), 1),
            "p99_ms": round(statistics.median(p99s), 1), "errors": errors, "lost": lost,
            "clients": clients, "seconds": seconds, "rounds": rounds}
