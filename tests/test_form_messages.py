"""WTForms' own messages reach people in our words and their language."""

from __future__ import annotations

from pathlib import Path

import pytest
import wtforms
from babel.messages.pofile import read_po
from flask_wtf import FlaskForm

from portal.forms import Form
from portal.forms.messages import MESSAGES, OWN


def test_every_wtforms_message_has_ours():
    with (Path(wtforms.__file__).parent / "locale" / "wtforms.pot").open("rb") as fh:
        wanted = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(fh) if m.id}
    assert wanted - set(OWN) == set()


def test_every_form_asks_our_messages(app):
    # Loading the app imports every form module.
    assert FlaskForm.__subclasses__() == [Form]


@pytest.mark.parametrize("lang, expected", [("da", "Skriv et helt tal."), ("en", "Write a whole number.")])
def test_a_default_message_in_the_pages_language(app, lang, expected):
    with app.test_request_context(f"/{lang}/"):
        from flask import g
        g.lang_code = lang
        assert MESSAGES.gettext("Not a valid integer value.") == expected
        assert MESSAGES.ngettext("Field cannot be longer than %(max)d character.",
                                 "Field cannot be longer than %(max)d characters.", 3) % {"max": 3} in (
            "Skriv højst 3 tegn.", "Write at most 3 characters.")


def test_a_staff_form_shows_it(staff_client):
    client, _user = staff_client("lead")
    html = client.post("/staff/surveys", data={"hospital": "rh", "days": "mange"}).get_data(as_text=True)
    assert "Skriv et helt tal." in html and "Not a valid integer value" not in html
