"""Forms of the staff area, one module per feature."""

from __future__ import annotations

from portal.forms import Form


class EmptyForm(Form):
    """Buttons that only need CSRF (claim, release, open case, unlock)."""
