"""The monthly status mail to each hospital ("jeg ved den er grebet"):
counts only, never anything about who the families are.

A month is a calendar month in Copenhagen time. Each hospital gets one mail
per month; ``DigestRun`` remembers that it was sent."""

from __future__ import annotations

import re
import smtplib
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import force_locale, format_date, gettext
from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.orm import Session

from portal.models import Case, DigestRun, Hospital, Inquiry, InquiryKind
from portal.models.base import utcnow
from portal.models.codes import ContactReason
from portal.services import mail as mail_service
from portal.services.mail import Mail, Render

LOCAL_TIME = ZoneInfo("Europe/Copenhagen")
MONTH_PATTERN = re.compile(r"(\d{4})-(\d{2})")
# Topics are named only when a month has this many referrals: with one or
# two, a colleague could tell which family a sensitive topic belongs to.
TOPICS_MIN_REFERRALS = 5
TOP_TOPICS = 3
_REFERRAL = InquiryKind.PROFESSIONAL_REFERRAL.value
_FAMILY_KINDS = (InquiryKind.SELF_REFERRAL.value, InquiryKind.PROFESSIONAL_REFERRAL.value)
_TOPIC_ORDER = {code.value: position for position, code in enumerate(ContactReason)}


@dataclass(frozen=True)
class MonthCounts:
    """One hospital's month in numbers; no personal data at all."""

    referrals: int          # professional referrals received
    reached: int            # families (self- or professionally referred) first reached
    cases_opened: int
    cases_closed: int
    sparring_answered: int  # sparring questions first answered
    top_topics: tuple[str, ...]  # contact-reason codes, most frequent first


class DigestNotSent(Exception):
    """Some hospitals' mails could not be sent; ``lines`` tells which."""

    def __init__(self, lines: list[str]):
        """Keep every hospital's line, sent or not."""
        super().__init__("some status mails were not sent")
        self.lines = lines


def first_day(month: str) -> date:
    """The first day of a "YYYY-MM" month; ValueError for anything else."""
    match = MONTH_PATTERN.fullmatch(month or "")
    if match is None:
        raise ValueError("use the form YYYY-MM, e.g. 2026-11")
    year, number = int(match.group(1)), int(match.group(2))
    if not 1 <= number <= 12 or year < 2000:
        raise ValueError("use the form YYYY-MM, e.g. 2026-11")
    return date(year, number, 1)


def _next_first_day(day: date) -> date:
    """The first day of the month after ``day``'s."""
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def month_bounds(month: str) -> tuple[datetime, datetime]:
    """[start, end) of the month: Copenhagen midnights, in UTC."""
    start = first_day(month)
    end = _next_first_day(start)
    return (datetime(start.year, start.month, 1, tzinfo=LOCAL_TIME).astimezone(timezone.utc),
            datetime(end.year, end.month, 1, tzinfo=LOCAL_TIME).astimezone(timezone.utc))


def previous_month(now: datetime | None = None) -> str:
    """The calendar month before ``now`` (default: this moment), in Copenhagen."""
    today = (now or utcnow()).astimezone(LOCAL_TIME).date()
    last_month = today.replace(day=1) - timedelta(days=1)
    return f"{last_month.year:04d}-{last_month.month:02d}"


def month_counts(db: Session, hospital: Hospital, month: str) -> MonthCounts:
    """Count the hospital's month in SQL (topics, a JSON list, in Python)."""
    start, end = month_bounds(month)
    first, after = first_day(month), _next_first_day(first_day(month))

    def during(column: Any) -> ColumnElement[bool]:
        """The moment in ``column`` falls in the month."""
        return and_(column >= start, column < end)

    referrals, reached, sparring = db.execute(
        select(func.count(Inquiry.id).filter(Inquiry.kind == _REFERRAL, during(Inquiry.created_at)),
               func.count(Inquiry.id).filter(Inquiry.kind.in_(_FAMILY_KINDS), during(Inquiry.reached_at)),
               func.count(Inquiry.id).filter(Inquiry.kind == InquiryKind.SPARRING.value,
                                             during(Inquiry.first_response_at)))
        .where(Inquiry.hospital_id == hospital.id)
    ).one()
    opened, closed = db.execute(
        select(func.count(Case.id).filter(Case.opened_on >= first, Case.opened_on < after),
               func.count(Case.id).filter(Case.closed_on >= first, Case.closed_on < after))
        .where(Case.hospital_id == hospital.id)
    ).one()
    topics: tuple[str, ...] = ()
    if referrals >= TOPICS_MIN_REFERRALS:
        topics = _top_topics(db, hospital, start, end)
    return MonthCounts(referrals=referrals, reached=reached, cases_opened=opened, cases_closed=closed,
                       sparring_answered=sparring, top_topics=topics)


def _top_topics(db: Session, hospital: Hospital, start: datetime, end: datetime) -> tuple[str, ...]:
    """The most frequent contact reasons of the month's referrals (each
    referral counts a topic once; ties in the order of the code list)."""
    counter: Counter[str] = Counter()
    for topics in db.scalars(select(Inquiry.topics).where(
            Inquiry.hospital_id == hospital.id, Inquiry.kind == _REFERRAL,
            Inquiry.created_at >= start, Inquiry.created_at < end)):
        counter.update(code for code in set(topics or ()) if code in _TOPIC_ORDER)
    ranked = sorted(counter, key=lambda code: (-counter[code], _TOPIC_ORDER[code]))
    return tuple(ranked[:TOP_TOPICS])


def compose(hospital: Hospital, month: str, counts: MonthCounts, *, base_url: str, render: Render,
            reply_to: str | None = None) -> Mail:
    """The status mail, in Danish; needs an app context (``render`` is
    flask.render_template)."""
    with force_locale("da"):
        month_label = format_date(first_day(month), "LLLL y")
        subject = gettext("Status for %(month)s – %(hospital)s", month=month_label, hospital=hospital.name)
        context = {
            "subject": subject, "hospital_name": hospital.name, "month_label": month_label, "counts": counts,
            "staff_url": base_url.rstrip("/") + "/staff/", "contact_email": reply_to,
            "topics_min_referrals": TOPICS_MIN_REFERRALS,
        }
        return Mail(
            to=_addresses(hospital),
            subject=subject,
            text=render("email/digest_text.html", **context),
            html=render("email/digest.html", **context),
            reply_to=reply_to,
        )


def _addresses(hospital: Hospital) -> list[str]:
    """The hospital's status-mail addresses, blanks left out."""
    return [address for address in hospital.contact_emails or () if address]


def _hospitals(db: Session) -> list[Hospital]:
    """Active hospitals in display order."""
    return list(db.scalars(select(Hospital).where(Hospital.active.is_(True))
                           .order_by(Hospital.sort_order, Hospital.name)))


def send_month(db: Session, settings: Mapping[str, Any], month: str, *, render: Render,
               dry_run: bool = False, force: bool = False) -> list[str]:
    """Send the month's status mail to every active hospital with addresses,
    once (``force`` sends again); return one line per hospital. Never commits.

    Raises DigestNotSent (with the lines) when a mail could not be sent;
    the others' DigestRuns are flushed, for the caller to commit."""
    first_day(month)
    sent_before = {run.hospital_id: run for run in db.scalars(select(DigestRun).where(DigestRun.month == month))}
    lines: list[str] = []
    failed = False
    for hospital in _hospitals(db):
        name = f"{hospital.name} ({hospital.code})"
        addresses = _addresses(hospital)
        if not addresses:
            lines.append(f"{name}: no addresses")
            continue
        if hospital.id in sent_before and not force:
            lines.append(f"{name}: already sent for {month}")
            continue
        mail = compose(hospital, month, month_counts(db, hospital, month), base_url=settings["BASE_URL"],
                       render=render, reply_to=settings.get("COUNSELLING_EMAIL"))
        try:
            result = mail_service.send(settings, mail, dry_run=dry_run)
        except (smtplib.SMTPException, OSError) as exc:
            # The reason's class only: a server's reply may quote addresses.
            lines.append(f"{name}: NOT sent ({type(exc).__name__})")
            failed = True
            continue
        if dry_run or not settings.get("MAIL_SERVER"):
            lines.append(f"{name}: written to outbox {result}")
        else:
            lines.append(f"{name}: sent to {len(addresses)} address" + ("es" if len(addresses) != 1 else ""))
        if not dry_run:
            _record(db, sent_before.get(hospital.id), hospital, month, len(addresses))
    if failed:
        raise DigestNotSent(lines)
    return lines


def _record(db: Session, run: DigestRun | None, hospital: Hospital, month: str, recipients: int) -> None:
    """Remember that the month's mail went out (again, with --force)."""
    if run is None:
        db.add(DigestRun(hospital_id=hospital.id, month=month, recipients=recipients, sent_at=utcnow()))
    else:
        run.recipients, run.sent_at = recipients, utcnow()
    db.flush()
