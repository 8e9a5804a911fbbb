"""Public pages: requests/s of our page and of the minimal app's page of
the same size, side by side in each round, under the same gunicorn
settings; the figure is the median of the rounds."""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

from bench import wrk
from bench.servers import Client

# Figure key -> (path on both apps, the minimal app's template).
PAGES = {"public_page": ("/da/", "home.html"), "ask": ("/da/ask", "ask.html")}


def capture(portal: str, templates: Path) -> dict[str, int]:
    """Write each of our rendered pages as a raw template of the minimal
    app; return their sizes in bytes."""
    templates.mkdir(parents=True, exist_ok=True)
    sizes = {}
    for key, (path, template) in PAGES.items():
        status, _, page = Client(portal).get(path)
        if status != 200:
            raise RuntimeError(f"{path} answered {status}")
        (templates / template).write_text("{% raw %}" + page + "{% endraw %}", encoding="utf-8")
        sizes[key] = len(page.encode())
    return sizes


def figures(portal: str, minimal: str, sizes: dict[str, int], *, rounds: int, seconds: float) -> dict:
    """For each page: ours, minimal (requests/s) and ours / minimal."""
    result = {}
    for key, (path, _template) in PAGES.items():
        for base in (portal, minimal):  # each server's first answer (templates, catalogs) is not timed
            status, _, _ = Client(base).get(path)
            if status != 200:
                raise RuntimeError(f"{base}{path} answered {status}")
        ours, theirs = [], []
        for number in range(rounds):
            print(f"bench: {key} round {number + 1}/{rounds}", file=sys.stderr)
            ours.append(wrk.requests_per_second(portal + path, seconds=seconds))
            theirs.append(wrk.requests_per_second(minimal + path, seconds=seconds))
        ours_rps, minimal_rps = statistics.median(ours), statistics.median(theirs)
        result[key] = {"ours": round(ours_rps, 1), "minimal": round(minimal_rps, 1),
                       "ratio": round(ours_rps / minimal_rps, 3), "bytes": sizes[key]}
    return result
