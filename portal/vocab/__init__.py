"""Translated labels of the code lists, one module per gettext domain:
``public`` (what families see, every language) and ``staff`` (staff pages,
Danish and English). The codes themselves live in ``portal.models.codes``;
nothing under ``portal.services`` imports a label module."""
