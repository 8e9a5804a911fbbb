"""Labels of spor 2's codes (courses and stay offers) for the staff pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

THEMES = {"network": _l("Network"), "parenthood": _l("Parenthood"), "economy": _l("Economy"), "other": _l("Other")}
FORMS = {"group": _l("Group course"), "individual": _l("Individual course"), "stay": _l("Stay (rooms and nights)")}
AUDIENCES = {"pregnant": _l("Pregnant"), "after_birth": _l("After the birth"),
             "both": _l("Pregnant and after the birth")}
PLACES = {"hospital": _l("At the hospital"), "mh": _l("At Mødrehjælpen"), "online": _l("Online"),
          "other": _l("Elsewhere")}
STATUSES = {
    "planned": _l("Planned"),
    "open": _l("Open for admission"),
    "running": _l("Running"),
    "finished": _l("Finished"),
    "cancelled": _l("Cancelled"),
}
# The button that moves a course into a state.
STATUS_ACTIONS = {
    "open": _l("Open for admission"),
    "running": _l("Start the course"),
    "finished": _l("Finish the course"),
    "cancelled": _l("Cancel the course"),
}
ENROLLMENT_STATUSES = {
    "proposed": _l("Proposed"),
    "enrolled": _l("Admitted"),
    "waitlisted": _l("On the waiting list"),
    "declined": _l("Declined"),
    "withdrawn": _l("Withdrawn"),
    "dropped_out": _l("Dropped out"),
    "completed": _l("Completed"),
}


def labels() -> dict:
    """What the course templates look codes up in."""
    return {"course_themes": THEMES, "course_forms": FORMS, "course_audiences": AUDIENCES,
            "course_places": PLACES, "course_statuses": STATUSES, "course_actions": STATUS_ACTIONS,
            "enrollment_statuses": ENROLLMENT_STATUSES}
