"""The stable codes of DOMAIN.md: what the database and exports hold.

Services check input against these sets; the translated labels live apart,
in ``portal.vocab`` (one module per gettext domain)."""

from __future__ import annotations

from enum import StrEnum


class ContactReason(StrEnum):
    """Henvendelsesårsager; several per inquiry or case."""

    PREGNANCY_BIRTH = "pregnancy_birth"
    ECONOMY = "economy"
    HOUSING = "housing"
    NETWORK = "network"
    RELATIONSHIP = "relationship"
    SEPARATION = "separation"
    PARENTING = "parenting"
    PARENTAL_LEAVE = "parental_leave"
    WORK_EDUCATION = "work_education"
    RIGHTS = "rights"
    FAMILY_FORMS = "family_forms"
    VIOLENCE = "violence"
    GRIEF = "grief"
    MIGRATION = "migration"
    OTHER = "other"


class PregnancyStatus(StrEnum):
    PREGNANT = "pregnant"
    PARENT = "parent"
    UNKNOWN = "unknown"


class BestTime(StrEnum):
    MORNING = "morning"
    AFTERNOON = "afternoon"
    ANY = "any"


class HeardFrom(StrEnum):
    MIDWIFE = "midwife"
    HOSPITAL_SOCIAL = "hospital_social"
    HEALTH_VISITOR = "health_visitor"
    GP = "gp"
    MUNICIPALITY = "municipality"
    OTHER_PROFESSIONAL = "other_professional"
    WEB = "web"
    NETWORK = "network"
    OTHER = "other"


class Channel(StrEnum):
    IN_PERSON_HOSPITAL = "in_person_hospital"
    IN_PERSON_MH = "in_person_mh"
    PHONE = "phone"
    EMAIL = "email"
    VIDEO = "video"
    ANONYMOUS_WEB = "anonymous_web"


class ClosureReason(StrEnum):
    COMPLETED = "completed"
    DROPPED_OUT = "dropped_out"
    NO_CONTACT = "no_contact"
    OTHER = "other"


class OnwardReferral(StrEnum):
    PUBLIC_AUTHORITY = "public_authority"
    OTHER_ORG = "other_org"
    MH_COUNSELLING = "mh_counselling"
    LOCAL_ASSOCIATION = "local_association"
    VISITED_ACTIVITY = "visited_activity"
    PROFESSIONAL = "professional"
    BARSELSHUS = "barselshus"


class Gender(StrEnum):
    FEMALE = "female"
    MALE = "male"
    OTHER = "other"


class AgeBand(StrEnum):
    UNDER_20 = "under_20"
    FROM_20_TO_29 = "20_29"
    FROM_30_TO_39 = "30_39"
    FROM_40 = "40_plus"


class CivilStatus(StrEnum):
    MARRIED_COHABITING = "married_cohabiting"
    SINGLE = "single"
    PARTNER_NOT_COHABITING = "partner_not_cohabiting"
    SEPARATED_DIVORCED = "separated_divorced"


class Employment(StrEnum):
    EMPLOYED_SELF_EMPLOYED = "employed_self_employed"
    UNEMPLOYED = "unemployed"
    ON_LEAVE = "on_leave"
    STUDENT = "student"
    SICK_LEAVE = "sick_leave"
    OUTSIDE_LABOUR_MARKET = "outside_labour_market"
    OTHER = "other"


class IncomeSource(StrEnum):
    WAGES = "wages"
    SICKNESS_BENEFIT = "sickness_benefit"
    UNEMPLOYMENT_BENEFIT = "unemployment_benefit"
    CASH_BENEFIT = "cash_benefit"
    STUDENT_GRANT = "student_grant"
    PARENTAL_BENEFIT = "parental_benefit"
    PENSION = "pension"
    NONE = "none"
    OTHER = "other"


class Education(StrEnum):
    PRIMARY = "primary"
    UPPER_SECONDARY = "upper_secondary"
    VOCATIONAL = "vocational"
    SHORT_HIGHER = "short_higher"
    MEDIUM_HIGHER = "medium_higher"
    LONG_HIGHER = "long_higher"


class AttemptMethod(StrEnum):
    PHONE = "phone"
    TEXT = "text"
    EMAIL = "email"


class FeedbackCode(StrEnum):
    """The counsellor's short line for the referrer (the hospital reads it)."""

    CONTACT_MADE = "contact_made"
    IN_COUNSELLING = "in_counselling"
    NOT_REACHED_YET = "not_reached_yet"
    COULD_NOT_REACH = "could_not_reach"
    REFERRED_ON = "referred_on"
    DECLINED = "declined"


class Urgency(StrEnum):
    NORMAL = "normal"
    URGENT = "urgent"          # please call within 2 working days


class ConsentBy(StrEnum):
    """Who confirmed that the family agreed to be contacted."""

    FAMILY = "family"               # on the public form
    PROFESSIONAL = "professional"   # the referring midwife, with the family's agreement


class IntakeSource(StrEnum):
    """How a family found the way in, when the way in tells us."""

    LEAFLET = "leaflet"


class SurveyKind(StrEnum):
    """Who a satisfaction survey asks: a family after its case, or hospital staff."""

    FAMILY = "family"
    STAFF = "staff"


class FamilySurveyQuestion(StrEnum):
    """The family's statements, each answered on the Likert scale."""

    FELT_WELCOME = "felt_welcome"
    UNDERSTOOD = "understood"
    HELPED = "helped"
    RECOMMEND = "recommend"


class StaffSurveyQuestion(StrEnum):
    """The hospital staff's statements about the partnership."""

    EASY_TO_REFER = "easy_to_refer"
    FEEDBACK_ENOUGH = "feedback_enough"
    FAMILIES_HELPED = "families_helped"
    SPARRING_USEFUL = "sparring_useful"


class SurveyAnswer(StrEnum):
    """A five-point Likert scale, most positive first."""

    STRONGLY_AGREE = "strongly_agree"
    AGREE = "agree"
    NEUTRAL = "neutral"
    DISAGREE = "disagree"
    STRONGLY_DISAGREE = "strongly_disagree"


def code_set(codes: type[StrEnum]) -> frozenset[str]:
    """The set of valid codes of one code list."""
    return frozenset(member.value for member in codes)


# --- spor 2: visited courses and partner offers ---------------------------------

class CourseTheme(StrEnum):
    NETWORK = "network"
    PARENTHOOD = "parenthood"
    ECONOMY = "economy"
    OTHER = "other"


class CourseForm(StrEnum):
    GROUP = "group"
    INDIVIDUAL = "individual"
    STAY = "stay"          # a partner offer with rooms and nights (a family house)


class CourseAudience(StrEnum):
    """Who a course is for: the target group."""

    PREGNANT = "pregnant"
    AFTER_BIRTH = "after_birth"
    BOTH = "both"


class CoursePlace(StrEnum):
    HOSPITAL = "hospital"
    MOEDREHJAELPEN = "mh"
    ONLINE = "online"
    OTHER = "other"


class CourseStatus(StrEnum):
    PLANNED = "planned"
    OPEN = "open"            # open for admission
    RUNNING = "running"
    FINISHED = "finished"
    CANCELLED = "cancelled"


class EnrollmentStatus(StrEnum):
    PROPOSED = "proposed"
    ENROLLED = "enrolled"
    WAITLISTED = "waitlisted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"      # left before the course began
    DROPPED_OUT = "dropped_out"  # left while it ran
    COMPLETED = "completed"
