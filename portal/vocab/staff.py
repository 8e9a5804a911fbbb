"""Codes of the case (forløb) evaluation fields, DOMAIN.md, with labels
for the staff pages. ``None`` is always "not stated"."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from portal.vocab import public as public_labels
from portal.vocab import survey_public as survey_labels

NOT_STATED = _l("Not stated")

HEARD_FROM = {
    "midwife": _l("Midwife"),
    "hospital_social": _l("The hospital's social worker"),
    "health_visitor": _l("Health visitor"),
    "gp": _l("Own doctor (GP)"),
    "municipality": _l("The municipality"),
    "other_professional": _l("Other professional"),
    "web": _l("Website"),
    "network": _l("Family or friends"),
    "other": _l("Other"),
}
CHANNELS = {
    "in_person_hospital": _l("In person at the hospital"),
    "in_person_mh": _l("In person at Mødrehjælpen"),
    "phone": _l("Phone"),
    "email": _l("E-mail"),
    "video": _l("Video"),
    "anonymous_web": _l("Anonymous on the web"),
}
CLOSURE_REASONS = {
    "completed": _l("Completed"),
    "dropped_out": _l("Dropped out"),
    "no_contact": _l("Contact not made"),
    "other": _l("Other"),
}
ONWARD_REFERRALS = {
    "public_authority": _l("Another public authority"),
    "other_org": _l("Another organisation (e.g. trade union, civil society)"),
    "mh_counselling": _l("Mødrehjælpen's other counselling"),
    "local_association": _l("Mødrehjælpen's local association (track 3)"),
    "visited_activity": _l("Visited activity (track 2)"),
    "professional": _l("A professional (e.g. own doctor, health visitor)"),
    "barselshus": _l("The Barselshus"),
}
GENDER = {"female": _l("Woman"), "male": _l("Man"), "other": _l("Other")}
AGE_BANDS = {"under_20": _l("Under 20"), "20_29": _l("20–29"), "30_39": _l("30–39"), "40_plus": _l("40 or older")}
CIVIL_STATUS = {
    "married_cohabiting": _l("Married or living together"),
    "single": _l("Single"),
    "partner_not_cohabiting": _l("Partner, not living together"),
    "separated_divorced": _l("Separated or divorced"),
}
EMPLOYMENT = {
    "employed_self_employed": _l("Employed or self-employed"),
    "unemployed": _l("Unemployed"),
    "on_leave": _l("On parental leave"),
    "student": _l("Student"),
    "sick_leave": _l("On sick leave"),
    "outside_labour_market": _l("Outside the labour market"),
    "other": _l("Other"),
}
INCOME_SOURCE = {
    "wages": _l("Wages"),
    "sickness_benefit": _l("Sickness benefit"),
    "unemployment_benefit": _l("Unemployment benefit"),
    "cash_benefit": _l("Cash benefit (kontanthjælp)"),
    "student_grant": _l("Student grant (SU)"),
    "parental_benefit": _l("Parental benefit"),
    "pension": _l("Pension"),
    "none": _l("No income"),
    "other": _l("Other"),
}
EDUCATION = {
    "primary": _l("Primary school (9th/10th grade)"),
    "upper_secondary": _l("Upper secondary"),
    "vocational": _l("Vocational"),
    "short_higher": _l("Short higher education"),
    "medium_higher": _l("Medium-length higher education"),
    "long_higher": _l("Long higher education"),
}
ATTEMPT_METHODS = {"phone": _l("Phone call"), "text": _l("Text message"), "email": _l("E-mail")}
KINDS = {
    "anonymous_question": _l("Anonymous question"),
    "self_referral": _l("Contact request"),
    "professional_referral": _l("Professional referral"),
    "sparring": _l("Sparring"),
}
SPOR2_COUNTS = {
    "courses": _l("Courses"), "stay_offers": _l("Stay offers"), "admitted": _l("Families admitted"),
    "completed": _l("Completed the course"), "dropped_out": _l("Left the course early"),
    "waiting": _l("On the waiting list"),
    "sessions_marked": _l("Sessions with attendance taken"), "present": _l("Attendances"),
    "stay_nights_used": _l("Nights used in stays"),
}
SPOR3_COUNTS = {
    "families": _l("Families who came"), "adults": _l("Adults who came"), "children": _l("Children who came"),
    "via_partnership": _l("Families who came through the partnership"),
    "referred_cases": _l("Cases referred to an activity"),
}
STATUSES = {
    "new": _l("New"),
    "claimed": _l("Taken"),
    "in_progress": _l("In progress"),
    "closed": _l("Closed"),
}
ROLES = {
    "admin": _l("Administrator"),
    "lead": _l("Lead"),
    "counsellor": _l("Counsellor"),
    "referrer": _l("Referrer (hospital)"),
    "association_editor": _l("Association editor"),
}
SITUATION = {"pregnant": _l("Pregnant"), "parent": _l("Has a baby"), "unknown": _l("Not stated")}
FEEDBACK_CODES = {
    "contact_made": _l("We have talked with the family"),
    "in_counselling": _l("The family is in counselling with us"),
    "not_reached_yet": _l("We have not reached the family yet; we keep trying"),
    "could_not_reach": _l("We could not reach the family"),
    "referred_on": _l("We have helped the family on to another offer"),
    "declined": _l("The family did not want counselling after all"),
}
# What a referrer sees of a referral; never the counselling itself.
REFERRAL_STATUSES = {
    "received": _l("Received"),
    "contact_made": _l("Contact made"),
    "in_counselling": _l("Counselling under way"),
    "closed": _l("Closed"),
}
URGENCY = {
    "normal": _l("Normal: we call within a few working days"),
    "urgent": _l("Please call within 2 working days"),
}
# The evaluation's figures, in the order of the mid-term report.
FIGURE_TITLES = {
    "by_hospital": _l("Cases per hospital"),
    "gender": _l("Gender"),
    "age_band": _l("Age"),
    "pregnant": _l("Pregnant at the start"),
    "children": _l("Children by age group"),
    "civil_status": _l("Civil status"),
    "employment": _l("Employment"),
    "income_source": _l("Source of income"),
    "education": _l("Education"),
    "heard_from": _l("Where they heard of the offer"),
    "reasons": _l("Contact reasons (several per case)"),
    "closure_reason": _l("Closure reason"),
    "onward_referrals": _l("Referred on to (several per case)"),
    "anonymous_questions": _l("Anonymous questions"),
    "contact_requests": _l("Requests to be contacted and referrals"),
    "sparring": _l("Sparring"),
    "spor2": _l("Spor 2: courses and stays"),
    "spor3": _l("Spor 3: the local associations' activities"),
}
YES_NO = {"yes": _l("Yes"), "no": _l("No")}

CHILD_GROUPS = {"0_3": _l("0–3 years"), "4_6": _l("4–6 years"), "7_12": _l("7–12 years"),
                "13_18": _l("13–18 years"), "unknown": _l("Age unknown")}
ANSWERED = {"answered": _l("Answered"), "waiting": _l("Waiting for an answer")}
# The hospital staff's survey about the partnership, in the order asked
# (the answers' labels are portal.vocab.survey_public.ANSWERS).
STAFF_SURVEY_QUESTIONS = {
    "easy_to_refer": _l("It is easy to refer a family"),
    "feedback_enough": _l("I get enough feedback on the families I refer"),
    "families_helped": _l("The counselling helps the families"),
    "sparring_useful": _l("The sparring with the counsellors is useful"),
}


def figure_labels(key: str, hospital_names: dict[str, str]) -> dict[str, Any]:
    """The codes of one figure of the statistics, in the report's order, with their labels."""
    return {
        "by_hospital": hospital_names, "gender": GENDER, "age_band": AGE_BANDS, "pregnant": YES_NO,
        "children": CHILD_GROUPS, "civil_status": CIVIL_STATUS, "employment": EMPLOYMENT,
        "income_source": INCOME_SOURCE, "education": EDUCATION, "heard_from": HEARD_FROM,
        "reasons": public_labels.CONTACT_REASONS, "closure_reason": CLOSURE_REASONS,
        "onward_referrals": ONWARD_REFERRALS, "anonymous_questions": ANSWERED, "sparring": ANSWERED,
        "spor2": SPOR2_COUNTS, "spor3": SPOR3_COUNTS,
        "contact_requests": {kind: KINDS[kind] for kind in ("self_referral", "professional_referral")},
    }[key] if ":" not in key else survey_labels.SURVEY_ANSWERS


def _survey_titles() -> dict[str, Any]:
    families = {f"family:{code}": _l("Families: %(question)s", question=label)
                for code, label in survey_labels.FAMILY_SURVEY_QUESTIONS.items()}
    staff = {f"staff:{code}": _l("Hospital staff: %(question)s", question=label)
             for code, label in STAFF_SURVEY_QUESTIONS.items()}
    return families | staff


# The satisfaction surveys' questions as figures ("kind:question"), after the report's.
SATISFACTION_TITLES = _survey_titles()
ALL_FIGURE_TITLES = FIGURE_TITLES | SATISFACTION_TITLES
SURVEY_KINDS = {
    "family": _l("Families"),
    "staff": _l("Hospital staff"),
}
