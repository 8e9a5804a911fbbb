"""The baseline of the public-page figures: a minimal Flask app serving, at
the same paths, a template of the same size as each of our pages (the
bench writes our rendered page into BENCH_TEMPLATES as a raw template), under
the same gunicorn settings. ``gunicorn bench.minimal_app:app``."""

from __future__ import annotations

import os

from flask import Flask, render_template

app = Flask(__name__, template_folder=os.environ.get("BENCH_TEMPLATES", "templates"))


@app.get("/healthz")
def healthz() -> dict:
    """Up."""
    return {"status": "ok"}


@app.get("/da/")
def home() -> str:
    """A page the size of our landing page."""
    return render_template("home.html")


@app.get("/da/ask")
def ask() -> str:
    """A page the size of our question form."""
    return render_template("ask.html")
