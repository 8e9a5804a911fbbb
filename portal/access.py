"""Who may do what to which object: every access rule of the portal, once.

Small predicates on (user, object), used alike by routes (``allow``), by
services (``ensure``) and by templates (``can('rule', obj)``). Nothing else
in the code compares role names to decide access, and no template ever
names a role.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask_babel import LazyString

from portal.models import Activity, Association, Case, Course, Enrollment, Hospital, Inquiry, InquiryStatus, Role, User
from portal.services import ServiceError

# Roles that work with inquiries and cases.
CASE_WORKERS = frozenset({Role.LEAD, Role.COUNSELLOR})
# Which roles an account may invite or reset. A technical admin cannot make
# an account that reads case data.
_MANAGES: dict[str, frozenset[str]] = {
    Role.LEAD: frozenset(Role),
    Role.ADMIN: frozenset({Role.ADMIN, Role.REFERRER, Role.ASSOCIATION_EDITOR}),
}


# --- rules on the account alone ---------------------------------------------

def works_cases(user: User) -> bool:
    """Counsellors and leads: the queue, inquiries and cases."""
    return user.role in CASE_WORKERS


def leads(user: User) -> bool:
    """Mødrehjælpen's lead: reassigns, reads audit trails, changes any case."""
    return user.role == Role.LEAD


def manages_users(user: User) -> bool:
    """Leads and admins see the user list and invite people."""
    return bool(manageable_roles(user))


def reads_audit(user: User) -> bool:
    return leads(user)


def any_account(user: User) -> bool:
    """Every logged-in account (the account page)."""
    return True


def manageable_roles(user: User) -> frozenset[str]:
    """The roles this account may invite, reset or unlock."""
    return _MANAGES.get(user.role, frozenset())


def may_manage(user: User, target: User | str) -> bool:
    """May this account invite, reset or unlock an account (or a role)?"""
    role = target if isinstance(target, str) else target.role
    return role in manageable_roles(user)


def refers(user: User) -> bool:
    """Hospital staff (midwives): refer families, ask for sparring, read
    the status of their own referrals."""
    return user.role == Role.REFERRER and user.hospital_id is not None


def prints_leaflets(user: User) -> bool:
    """Leads and referrers print the leaflets."""
    return leads(user) or refers(user)


def edits_hospitals(user: User) -> bool:
    """A lead keeps each hospital's status-mail addresses and notices."""
    return leads(user)


def may_print_leaflet_for(user: User, hospital: Hospital) -> bool:
    """A referrer prints for their own hospital; a lead for every one."""
    return leads(user) or (refers(user) and user.hospital_id == hospital.id)


def reads_statistics(user: User) -> bool:
    """Counsellors and leads read the evaluation's figures (exact, inside the staff area)."""
    return works_cases(user)


def exports_statistics(user: User) -> bool:
    """Leads export the figures (small numbers suppressed) and the anonymised case data."""
    return leads(user)


def manages_surveys(user: User) -> bool:
    """Leads make the hospital staff's survey links and read the free-text answers."""
    return leads(user)


def may_hold_inquiries(user: User) -> bool:
    """An active account that an inquiry can be given to."""
    return user.active and works_cases(user)


def edits_associations(user: User) -> bool:
    """A lead creates local associations, edits them and invites their editors."""
    return leads(user)


def writes_activities(user: User) -> bool:
    """The association pages: an editor of a local association, or a lead."""
    return leads(user) or (user.role == Role.ASSOCIATION_EDITOR and user.association_id is not None)


def moderates_activities(user: User) -> bool:
    """Leads and counsellors approve activities or send them back."""
    return works_cases(user)


def sees_unpublished_activities(user: User) -> bool:
    """Editors (their own association's) and the people who approve them."""
    return writes_activities(user) or moderates_activities(user)


# --- rules on an object ------------------------------------------------------

def may_edit_association(user: User, association: Association) -> bool:
    """An editor works only with their own association's activities; a lead with every one."""
    return leads(user) or (writes_activities(user) and user.association_id == association.id)


def may_edit_activity(user: User, activity: Activity) -> bool:
    """The activity belongs to an association the account may edit."""
    return may_edit_association(user, activity.association)


def may_see_unpublished_activity(user: User, activity: Activity) -> bool:
    """Its editors, and leads and counsellors reviewing it (the photo on the approval list)."""
    return moderates_activities(user) or may_edit_activity(user, activity)


def may_claim(user: User, inquiry: Inquiry) -> bool:
    return works_cases(user) and inquiry.status == InquiryStatus.NEW and inquiry.assigned_to_id is None


def may_work_inquiry(user: User, inquiry: Inquiry) -> bool:
    """Only the inquiry's holder (or a lead) answers, calls, closes or releases it."""
    return works_cases(user) and (inquiry.assigned_to_id == user.id or leads(user))


def may_act_on_inquiry(user: User, inquiry: Inquiry) -> bool:
    """Holder rule, and the inquiry is still open."""
    return may_work_inquiry(user, inquiry) and inquiry.status != InquiryStatus.CLOSED


def may_reassign(user: User, inquiry: Inquiry | None = None) -> bool:
    return leads(user) and (inquiry is None or inquiry.status != InquiryStatus.CLOSED)


def may_read_case(user: User, case: Case | None = None) -> bool:
    """Any counsellor reads any case (they cover for each other)."""
    return works_cases(user)


def may_change_case(user: User, case: Case) -> bool:
    """Only the case's counsellor (or a lead) changes it."""
    return works_cases(user) and (case.counsellor_id == user.id or leads(user))


def may_offer_survey(user: User, case: Case) -> bool:
    """The case's counsellor (or a lead) hands the family a survey once the case is closed."""
    return may_change_case(user, case) and case.closed_on is not None


# --- a person's rights: access and erasure -----------------------------------------

def may_export_personal_data(user: User, obj: Inquiry | Case | None = None) -> bool:
    """A lead downloads everything stored about one inquiry or case (a request for access)."""
    return leads(user)


def may_erase_personal_data(user: User, obj: Inquiry | Case | None = None) -> bool:
    """A lead erases an inquiry or case and everything linked to it at once."""
    return leads(user)


# --- spor 2: courses and partner offers ------------------------------------------

def runs_courses(user: User) -> bool:
    """Counsellors and leads create courses, admit families and take attendance."""
    return works_cases(user)


def may_change_course(user: User, course: Course) -> bool:
    """A course that is finished or cancelled is kept as it was."""
    return runs_courses(user) and not course.closed


def may_propose(user: User, inquiry: Inquiry) -> bool:
    """A counsellor proposes any family with a case; a referrer only a
    family she referred herself."""
    if runs_courses(user):
        return True
    return refers(user) and inquiry.referred_by_id == user.id


def may_see_enrollment(user: User, enrollment: Enrollment) -> bool:
    """Staff see every participant; a referrer only the families she referred (their status)."""
    return runs_courses(user) or (refers(user) and enrollment.inquiry.referred_by_id == user.id)


def may_decide_admission(user: User, enrollment: Enrollment) -> bool:
    """A counsellor admits or declines; only while the course takes families."""
    return runs_courses(user) and enrollment.course.takes_proposals


# The names templates use: {% if can('act_on_inquiry', item) %}.
RULES: dict[str, Callable[..., bool]] = {
    "work_cases": works_cases,
    "manage_users": manages_users,
    "read_audit": reads_audit,
    "manage": may_manage,
    "claim": may_claim,
    "work_inquiry": may_work_inquiry,
    "act_on_inquiry": may_act_on_inquiry,
    "reassign": may_reassign,
    "read_case": may_read_case,
    "refer": refers,
    "print_leaflets": prints_leaflets,
    "edit_hospitals": edits_hospitals,
    "read_statistics": reads_statistics,
    "export_statistics": exports_statistics,
    "manage_surveys": manages_surveys,
    "change_case": may_change_case,
    "offer_survey": may_offer_survey,
    "run_courses": runs_courses,
    "change_course": may_change_course,
    "decide_admission": may_decide_admission,
    "edit_associations": edits_associations,
    "write_activities": writes_activities,
    "moderate_activities": moderates_activities,
    "edit_association": may_edit_association,
    "edit_activity": may_edit_activity,
    "export_personal_data": may_export_personal_data,
    "erase_personal_data": may_erase_personal_data,
}


def can(user: Any, rule: str, obj: object | None = None) -> bool:
    """Ask a rule by name; anonymous visitors may nothing."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    predicate = RULES[rule]
    return predicate(user) if obj is None else predicate(user, obj)


def ensure(allowed: bool, message: str | LazyString, *, field: str | None = None) -> None:
    """For services: refuse with a translatable message."""
    if not allowed:
        raise ServiceError(message, field=field)


def allow(predicate: Callable[[User], bool]) -> Callable:
    """Route decorator: logged in, and the account passes ``predicate``
    (anonymous visitors go to the login page, others get 403)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            from flask import abort
            from flask_login import current_user

            from portal.extensions import login_manager
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not predicate(current_user._get_current_object()):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def init_app(app: Any) -> None:
    """Templates ask ``can('rule', obj)`` for the current account."""

    def _can(rule: str, obj: object | None = None) -> bool:
        from flask_login import current_user
        return can(current_user, rule, obj)

    app.jinja_env.globals["can"] = _can
