"""`make bench` end to end in its quick form (BENCH_QUICK=1: tiny sizes,
one round): one JSON object on stdout with every figure a number. Real
gunicorn servers and Debian's wrk; skipped where wrk is missing."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bench import staff_queue, wrk

ROOT = Path(__file__).resolve().parent.parent


def _number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def test_wrk_output_is_read():
    output = """Running 1s test @ http://127.0.0.1:5000/da/
  2 threads and 32 connections
  3120 requests in 1.00s, 17.31MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 4
Requests/sec:   3104.52
BENCH {"acks": 3, "fails": 1}
"""
    assert wrk.parse(output) == {"requests_per_second": 3104.52, "non_2xx": 4, "socket_errors": 3,
                                 "script": {"acks": 3, "fails": 1}}


def test_the_deep_page_follows_a_last_link_before_next_links():
    page = ('<a href="/staff/?status=open&amp;after=d_x_7">Næste side</a>'
            '<a href="/staff/inquiries/3">Sidste nyt</a><a href="/staff/?page=40">Sidste side</a>')
    assert staff_queue._link(page, staff_queue.LAST_WORDS) == "/staff/?page=40"
    assert staff_queue._link(page, staff_queue.NEXT_WORDS) == "/staff/?status=open&after=d_x_7"
    assert staff_queue._link("<p>Ingen flere</p>", staff_queue.NEXT_WORDS) is None


@pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is missing (make wrk installs it)")
def test_the_quick_bench_prints_every_figure():
    env = {**os.environ, "BENCH_QUICK": "1"}
    env = {k: v for k, v in env.items() if not k.startswith("PORTAL_")}
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py")], env=env, capture_output=True,
                          text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout)
    for key in ("public_page", "ask"):
        assert all(_number(result[key][name]) for name in ("ours", "minimal", "ratio")), result[key]
        assert result[key]["ours"] > 0 and result[key]["minimal"] > 0, result[key]
    for database in ("sqlite", "postgresql"):
        figures = result["submit"][database]
        if figures is None:
            assert result["skipped"][f"submit.{database}"]
            continue
        assert all(_number(figures[name]) for name in ("rate", "p50_ms", "p99_ms", "errors", "lost")), figures
        assert figures["rate"] > 0, figures
        assert figures["lost"] == 0, figures
    for size in ("10000", "1000000"):
        figures = result["queue"][size]
        assert all(_number(figures[name]) for name in ("p50_ms", "p95_ms", "deep_p95_ms")), figures
    assert _number(result["queue"]["ratio"])
    if result["stats"] is None:
        assert result["skipped"]["stats"]
    else:
        assert _number(result["stats"]["seconds"]) and _number(result["stats"]["ratio"])


def test_the_stats_figure_times_the_statistics_read_in_parts(tmp_path, monkeypatch):
    """As over a million cases: the wide aggregate in parts (forced here from
    the first case), each part's BEGIN on its own connection left out of the
    SQL replayed alone on one connection."""
    from bench import stats_figures
    from portal.services import stats_scan
    monkeypatch.setattr(stats_scan, "PARALLEL_FROM", 1)
    monkeypatch.setattr(stats_scan, "cpus", lambda: 2)
    found = stats_figures.measure(f"sqlite:///{tmp_path / 'stats.sqlite3'}", 2000)
    assert found["seconds"] > 0 and found["ratio"] > 0, found
