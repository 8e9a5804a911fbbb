"""GET /healthz: a database round trip."""

from __future__ import annotations

import logging

from flask import Blueprint, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from portal import db
from portal.extensions import limiter

bp = Blueprint("health", __name__)
log = logging.getLogger(__name__)


@bp.get("/healthz")
@limiter.exempt
def healthz():
    """200 {"status": "ok"} when the database answers, 503 otherwise."""
    try:
        db.session().execute(text("SELECT 1")).scalar_one()
    except SQLAlchemyError as exc:
        log.warning("health check failed: %s", type(exc).__name__)
        return jsonify(status="unavailable"), 503
    return jsonify(status="ok")
