"""Activities in your area (spor 3): the listing with its filters, one page
per activity, its photo, and the iCalendar files (one activity, one
association, all)."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Response, current_app, render_template, request, url_for
from flask_babel import gettext as _

from portal import db
from portal.blueprints.common import found, photo_response
from portal.blueprints.public import bp
from portal.blueprints.public.forms.activities import ActivityFilterForm
from portal.models import Activity, Association
from portal.services import activity_calendar, activity_ics
from portal.text import paragraphs_with_links


@bp.app_template_filter("activity_text")
def _activity_text(value: str | None):
    """An activity's own text, shown as written: escaped, paragraphs and links."""
    return paragraphs_with_links(value)


def _filters(form: ActivityFilterForm) -> activity_calendar.Filters:
    if not form.validate():
        return activity_calendar.Filters()
    return activity_calendar.Filters(municipality=form.municipality.data or None, audience=form.audience.data or None,
                                     date_from=form.date_from.data, date_to=form.date_to.data,
                                     free_only=bool(form.free.data))


@bp.get("/activities")
def activities():
    """Upcoming activities, narrowed by the filters in the address (works without JavaScript)."""
    form = ActivityFilterForm(request.args)
    form.fill_choices(anywhere=_("All municipalities"), anyone=_("Everyone"))
    found_activities = activity_calendar.public_activities(db.session(), _filters(form))
    return render_template("public/activities.html", form=form, items=found_activities,
                           filtered=any(request.args.get(k) for k in ("municipality", "audience", "date_from",
                                                                        "date_to", "free")))


@bp.get("/activities/<int:activity_id>")
def activity(activity_id: int):
    """One activity with everything a family needs to go."""
    item = found(activity_calendar.public_activity(db.session(), activity_id))
    return render_template("public/activity.html", activity=item, next_on=activity_calendar.next_date(item),
                           cancelled_dates=activity_calendar.upcoming_cancelled_dates(item))


@bp.get("/activities/<int:activity_id>/photo")
def activity_photo(activity_id: int):
    """The activity's photo (re-encoded; its own content type, never sniffed)."""
    return photo_response(found(activity_calendar.public_activity(db.session(), activity_id)))


def _calendar(items, *, name: str, filename: str, attachment: bool) -> Response:
    host = urlsplit(current_app.config["BASE_URL"]).hostname or "portal"
    body = activity_ics.calendar(items, name=name, host=host,
                                 url_of=lambda a: url_for("public.activity", activity_id=a.id, _external=True))
    disposition = "attachment" if attachment else "inline"
    return Response(body, content_type="text/calendar; charset=utf-8",
                    headers={"Content-Disposition": f'{disposition}; filename="{filename}"'})


@bp.get("/activities/<int:activity_id>.ics")
def activity_ics_file(activity_id: int):
    """"Add to my calendar": the one activity (with its repeats) as a file."""
    item: Activity = found(activity_calendar.public_activity(db.session(), activity_id))
    return _calendar([item], name=item.title, filename=f"activity-{item.id}.ics", attachment=True)


@bp.get("/activities.ics")
def activities_feed():
    """Every upcoming activity as a calendar feed to subscribe to."""
    return _calendar(activity_calendar.feed_activities(db.session()), name=_("Activities in your area"),
                     filename="activities.ics", attachment=False)


@bp.get("/associations/<int:association_id>/activities.ics")
def association_feed(association_id: int):
    """One local association's upcoming activities as a calendar feed."""
    association = found(db.session().get(Association, association_id))
    return _calendar(activity_calendar.feed_activities(db.session(), association), name=association.name,
                     filename=f"association-{association.id}.ics", attachment=False)


@bp.app_template_filter("clock")
def _clock(value) -> str:
    """A time of day as the page's language writes it (10.00 in Danish)."""
    from babel.dates import format_time
    from flask_babel import get_locale
    return format_time(value, "short", locale=get_locale()) if value is not None else ""


@bp.app_context_processor
def _activity_labels() -> dict:
    from portal.models.activity import MUNICIPALITIES
    from portal.vocab.activities import AUDIENCES, JOIN_METHODS, WEEKDAYS
    return {"audiences": AUDIENCES, "join_methods": JOIN_METHODS, "weekdays": WEEKDAYS,
            "municipalities": MUNICIPALITIES}
