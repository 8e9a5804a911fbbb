"""The counsellors' regular notices (``portal notify``, on a timer every
15 minutes in opening hours) to their shared address, COUNSELLORS_EMAIL:

- new inquiries since the last notice (counts per kind and a link);
- once a working day, from opening time, what is due today or overdue
  (neutral labels, due state and links into the staff area).

Counts, neutral labels and links only: never a family's words, name, phone
or e-mail. A ``Notice`` row remembers each one sent, so a run with nothing
new sends nothing. Mail goes through services/mail.py and the same MAIL_*
settings as the monthly digest. (services/notices.py is the one-off notice
of an urgent referral, sent as it arrives.)"""

from __future__ import annotations

import smtplib
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import force_locale, gettext, ngettext
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from portal.models import Inquiry, InquiryStatus, Notice, NoticeKind
from portal.models.base import utcnow
from portal.services import mail as mail_service
from portal.services.deadlines import DueState, Promises, due_state
from portal.services.mail import Mail, Render
from portal.services.queue import DUE_TODAY, OVERDUE, waiting
from portal.services.workdays import LOCAL_TIME, local_date

# The daily list names at most this many; the link shows the rest.
DAILY_LIST_MAX = 40


class NoticeNotSent(Exception):
    """A notice could not be sent; ``lines`` tells what happened."""

    def __init__(self, lines: list[str], reason: str = "a notice was not sent"):
        """Keep every line, sent or not."""
        super().__init__(reason)
        self.lines = lines


@dataclass(frozen=True)
class Due:
    """One line of the daily list: nothing but the neutral label, kind and due state."""

    inquiry_id: int
    label: str
    kind: str
    state: DueState


def _new_since_last(db: Session) -> tuple[int, Counter[str], int, int]:
    """(highest id, counts per kind, urgent, total) of the inquiries that came
    after the last notice; before the first notice, of those still new."""
    last = db.scalar(select(func.max(Notice.up_to_id)).where(Notice.kind == NoticeKind.NEW))
    query = select(Inquiry.id, Inquiry.kind, Inquiry.priority, Inquiry.status)
    query = query.where(Inquiry.id > last) if last is not None else query.where(
        Inquiry.status == InquiryStatus.NEW.value)
    kinds: Counter[str] = Counter()
    top, urgent = last or 0, 0
    for ident, kind, priority, status in db.execute(query):
        top = max(top, ident)
        if status == InquiryStatus.NEW.value:   # taken already: nobody needs telling
            kinds[kind] += 1
            urgent += priority == 0
    return top, kinds, urgent, sum(kinds.values())


def _due_list(db: Session, now: datetime, promises: Promises) -> list[Due]:
    """Open inquiries without a first response, overdue or due today, soonest first."""
    rows = db.execute(select(Inquiry).where(or_(waiting(now, OVERDUE), waiting(now, DUE_TODAY)))
                      .order_by(Inquiry.due_at, Inquiry.id)).scalars()
    return [Due(row.id, row.label, row.kind, due_state(row, now, promises.calendar)) for row in rows]


def _send(settings: Mapping[str, Any], mail: Mail, lines: list[str], what: str, *, dry_run: bool) -> bool:
    """Send one notice; say how it went in ``lines``."""
    try:
        result = mail_service.send(settings, mail, dry_run=dry_run)
    except (smtplib.SMTPException, OSError) as exc:
        # The reason's class only: a server's reply may quote addresses.
        lines.append(f"{what}: NOT sent ({type(exc).__name__})")
        return False
    if dry_run or not settings.get("MAIL_SERVER"):
        lines.append(f"{what}: written to outbox {result}")
    else:
        lines.append(f"{what}: sent")
    return True


def run(db: Session, settings: Mapping[str, Any], promises: Promises, *, render: Render,
        now: datetime | None = None, dry_run: bool = False) -> list[str]:
    """Send what is due to be told, once; one line per notice. Never commits.

    Raises NoticeNotSent (with the lines) when a mail failed; what did go
    out is flushed, for the caller to commit."""
    now = now or utcnow()
    address = settings.get("COUNSELLORS_EMAIL")
    if not address:
        raise NoticeNotSent([], "PORTAL_COUNSELLORS_EMAIL is not set: there is nowhere to send notices")
    staff_url = settings["BASE_URL"].rstrip("/") + "/staff/"
    lines: list[str] = []
    failed = False

    top, kinds, urgent, total = _new_since_last(db)
    if total:
        with force_locale("da"):
            subject = ngettext("%(num)d new inquiry", "%(num)d new inquiries", total)
            text = render("email/notice_new_text.html", subject=subject, kinds=kinds, urgent=urgent, total=total,
                          staff_url=staff_url)
        if _send(settings, Mail(to=[address], subject=subject, text=text), lines, f"New inquiries ({total})",
                 dry_run=dry_run):
            if not dry_run:
                db.add(Notice(kind=NoticeKind.NEW, up_to_id=top, inquiries=total, sent_at=now))
        else:
            failed = True
    elif top and not dry_run:
        # Only inquiries already taken came in: remember them as seen.
        db.add(Notice(kind=NoticeKind.NEW, up_to_id=top, inquiries=0, sent_at=now))

    today, local = local_date(now), now.astimezone(LOCAL_TIME)
    daily_done = db.scalar(select(Notice.id).where(Notice.kind == NoticeKind.DAILY, Notice.day == today))
    if daily_done is None and promises.calendar.is_working_day(today) and local.time() >= promises.calendar.opening:
        due = _due_list(db, now, promises)
        if due:
            overdue = sum(item.state.code == OVERDUE for item in due)
            with force_locale("da"):
                subject = gettext("Due today: %(today)d, overdue: %(overdue)d", today=len(due) - overdue,
                                  overdue=overdue)
                text = render("email/notice_daily_text.html", subject=subject, due=due[:DAILY_LIST_MAX],
                              more=max(len(due) - DAILY_LIST_MAX, 0), staff_url=staff_url)
            if _send(settings, Mail(to=[address], subject=subject, text=text), lines,
                     f"Due today or overdue ({len(due)})", dry_run=dry_run):
                if not dry_run:
                    db.add(Notice(kind=NoticeKind.DAILY, day=today, up_to_id=0, inquiries=len(due), sent_at=now))
            else:
                failed = True
    db.flush()
    if failed:
        raise NoticeNotSent(lines)
    return lines or ["Nothing new: no notice sent"]
