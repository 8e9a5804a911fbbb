"""Forms of the staff area, one module per feature."""

from __future__ import annotations

from flask_wtf import FlaskForm


class EmptyForm(FlaskForm):
    """Buttons that only need CSRF (claim, release, open case, unlock)."""
