"""Rate limits of the public pages, in two layers: one per person (a key
in their session cookie) that a person's own typos or repeated sends run
into, and a higher one per address, the ceiling for a whole network.
Everyone behind one hospital Wi-Fi shares an address: one person's ten
wrong codes must not lock every family there out. The codes themselves
carry ~80-97 bits, so no rate makes guessing them worth it.

Only failures count against the code limits (``deduct_when``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, current_app, g

from portal.extensions import limiter
from portal.security import browser_session


def _setting(name: str) -> Callable[[], str]:
    return lambda: current_app.config[name]


def _flagged(flag: str) -> Callable[[object], bool]:
    return lambda _response: bool(g.get(flag))


def failed_codes(scope: str, flag: str, *, methods: list[str]) -> Callable[[Any], Any]:
    """Wrong codes (``g.<flag>`` set by the view), per person and per address."""
    person = limiter.shared_limit(_setting("RATELIMIT_RECEIPT_FAILURES"), scope=f"{scope}-person",
                                  key_func=browser_session, methods=methods, deduct_when=_flagged(flag),
                                  override_defaults=False)
    network = limiter.shared_limit(_setting("RATELIMIT_RECEIPT_FAILURES_PER_ADDRESS"), scope=f"{scope}-address",
                                   methods=methods, deduct_when=_flagged(flag), override_defaults=False)

    def decorate(view: Any) -> Any:
        return person(network(view))
    return decorate


def limit_public_posts(bp: Blueprint) -> None:
    """Every POST of a public page, per person and per address."""
    limiter.limit(_setting("RATELIMIT_POST"), methods=["POST"], scope="public-post-person",
                  key_func=browser_session)(bp)
    limiter.limit(_setting("RATELIMIT_POST_PER_ADDRESS"), methods=["POST"], scope="public-post-address")(bp)


# A wrong receipt code (reading the answer, writing back).
receipt_failures = failed_codes("receipt-failures", "receipt_failed", methods=["POST"])
# Wrong, used or expired survey codes, typed or in a link, on the families'
# and the hospital staff's pages alike.
survey_failures = failed_codes("survey-failures", "survey_failed", methods=["GET", "POST"])


def survey_code_failed() -> None:
    """A wrong, used or expired survey code: it counts against ``survey_failures``."""
    g.survey_failed = True
