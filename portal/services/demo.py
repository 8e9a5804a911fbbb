"""Invented demo data for development. No real person is in here."""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.models import Inquiry
from portal.models.base import utcnow
from portal.services import inquiries
from portal.vocab import CONTACT_REASONS

_QUESTIONS = [
    "Hvad har jeg ret til af barselsdagpenge, når jeg er studerende?",
    "Min kæreste og jeg skændes meget, efter vi fik vores søn. Hvor kan vi få hjælp?",
    "Jeg er bange for at miste min lejlighed, når jeg går på barsel.",
    "Can I get help with the paperwork from the municipality? My Danish is not good.",
    "أنا حامل وأشعر بالوحدة. هل هناك مجموعات للأمهات؟",
    "Як отримати допомогу з житлом після народження дитини?",
]
_NICKNAMES = ["Mille", "Sara", "Ayla", "Oksana", "Fatima", "Jonas", None]


def seed(db: Session, *, only_if_empty: bool = False) -> list[str]:
    """Add a few dozen invented inquiries; return lines to print."""
    if only_if_empty and db.scalar(select(func.count()).select_from(Inquiry)):
        return ["Demo data already present; nothing added."]
    rng = random.Random(20261123)
    codes = [h.code for h in inquiries.hospitals(db)]
    lines = []
    for i in range(24):
        question, code = inquiries.create_anonymous_question(
            db, text=rng.choice(_QUESTIONS), language=rng.choice(["da", "ar", "uk", "en"]),
            topics=rng.sample(list(CONTACT_REASONS), k=rng.randint(0, 2)),
            hospital_code=rng.choice(codes + [None]),
        )
        question.created_at = utcnow() - timedelta(hours=rng.randint(1, 24 * 20))
        if i % 3 == 0:
            inquiries.answer_question(db, question, "Tak for dit spørgsmål. Her er et første svar fra en rådgiver.")
        if i < 2:
            lines.append(f"Demo receipt code for '{question.label}': {code}")
    for i in range(12):
        req = inquiries.ContactRequest(
            language=rng.choice(["da", "ar", "en"]), nickname=rng.choice(_NICKNAMES),
            phone=f"2{rng.randint(0, 9999999):07d}", hospital_code=rng.choice(codes),
            pregnancy_status=rng.choice(["pregnant", "parent"]),
            topics=rng.sample(list(CONTACT_REASONS), k=rng.randint(1, 3)),
            may_send_text=bool(i % 2),
        )
        inquiry = inquiries.create_contact_request(db, req, retention_months=6)
        inquiry.created_at = utcnow() - timedelta(hours=rng.randint(1, 24 * 10))
    db.flush()
    lines.insert(0, "Demo data added: 24 anonymous questions, 12 requests to be contacted.")
    return lines
