"""The staff queue as a counsellor gets it over HTTP: log in through the
real forms (password, then the TOTP code), then GET the queue (/staff/) again and
again on one keep-alive connection, timing each answer.

The page far down is found by following the page's own links: its "last
page" link if it has one, else its "next page" links to the end (at most
``max_hops``), so it works with the cursors of ?after= and with numbered
pages alike."""

from __future__ import annotations

import html
import re
import statistics
import time
from urllib.parse import urlencode

from bench.servers import Client

QUEUE = "/staff/"  # the staff start page is the queue
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
LINK = re.compile(r'<a\b[^>]*href="([^"]+)"[^>]*>(.*?)</a>', re.S)
NEXT_WORDS = ("next page", "næste side", "næste")
LAST_WORDS = ("last page", "sidste side", "sidste")


def _csrf(page: str) -> str:
    match = CSRF.search(page)
    if not match:
        raise RuntimeError("no CSRF token on the page")
    return match.group(1)


def log_in(base: str, user: dict) -> Client:
    """A client holding a counsellor's session, made by the login forms."""
    import pyotp

    client = Client(base)
    _, _, page = client.get("/staff/login")
    status, headers, _ = client.post("/staff/login", urlencode(
        {"csrf_token": _csrf(page), "email": user["email"], "password": user["password"]}))
    if status != 302 or "/staff/login/code" not in headers.get("Location", ""):
        raise RuntimeError(f"password step answered {status}")
    _, _, page = client.get("/staff/login/code")
    status, headers, _ = client.post("/staff/login/code", urlencode(
        {"csrf_token": _csrf(page), "code": pyotp.TOTP(user["secret"]).now()}))
    if status != 302:
        raise RuntimeError(f"code step answered {status}")
    return client


def _link(page: str, words: tuple[str, ...]) -> str | None:
    for href, label in LINK.findall(page):
        text = re.sub(r"<[^>]+>", "", label).strip().lower()
        if href.split("?")[0].endswith(QUEUE) and "?" in href and any(text.startswith(word) for word in words):
            return html.unescape(href)
    return None


def deep_page(client: Client, *, max_hops: int) -> tuple[str, int]:
    """The URL of the last page reachable from the first (and the hops it took)."""
    url, hops = QUEUE, 0
    while hops < max_hops:
        status, _, page = client.get(url)
        if status != 200:
            raise RuntimeError(f"{url} answered {status}")
        following = _link(page, LAST_WORDS) or _link(page, NEXT_WORDS)
        if not following or following == url:
            break
        url, hops = following, hops + 1
    return url, hops


def timings(client: Client, url: str, requests: int) -> list[float]:
    """Milliseconds of ``requests`` GETs of ``url`` (after one warm-up)."""
    client.get(url)
    samples = []
    for _ in range(requests):
        started = time.perf_counter()
        status, _, _ = client.get(url)
        samples.append((time.perf_counter() - started) * 1000)
        if status != 200:
            raise RuntimeError(f"{url} answered {status}")
    return samples


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


def figures(base: str, user: dict, *, rounds: int, requests: int, max_hops: int) -> dict:
    """p50 and p95 of the first page, p95 of the deep page: medians over rounds."""
    client = log_in(base, user)
    deep, hops = deep_page(client, max_hops=max_hops)
    first_p50, first_p95, deep_p95 = [], [], []
    for _ in range(rounds):
        first = timings(client, QUEUE, requests)
        first_p50.append(percentile(first, 50))
        first_p95.append(percentile(first, 95))
        deep_p95.append(percentile(timings(client, deep, requests), 95))
    return {"p50_ms": round(statistics.median(first_p50), 1), "p95_ms": round(statistics.median(first_p95), 1),
            "deep_p95_ms": round(statistics.median(deep_p95), 1), "deep_hops": hops}
