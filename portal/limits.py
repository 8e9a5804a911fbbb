"""Length limits, each defined once: read by the models (column sizes), the
forms (validators), the services (their own checks) and the templates
(hints), so a limit can never mean two things or drift apart."""

from __future__ import annotations

# What a family writes.
QUESTION_MIN = 10           # an anonymous question
QUESTION_MAX = 5000
MESSAGE_MIN = 2             # a follow-up in a thread (family)
MESSAGE_MAX = 5000          # ... and a counsellor's answer
CONTACT_NOTE_MAX = 500      # "anything else we should know?" on a contact request
NICKNAME_MAX = 80
EMAIL_MAX = 254             # RFC 5321
PHONE_MAX = 32
RECEIPT_INPUT_MAX = 64      # what we accept in the code field (codes are 20 letters)

# What staff write.
CASE_NOTE_MAX = 2000        # a dated note on a case
ATTEMPT_NOTE_MAX = 200      # the short note on a contact attempt
USER_NAME_MAX = 120
EXTERNAL_ID_MAX = 64        # a case's id in the old CRM (portal import-cases)
FEEDBACK_TEXT_MAX = 200     # the counsellor's line for the referrer
REFERRAL_REASON_MAX = 500   # the midwife's short reason on a referral
SPARRING_MIN = 10           # a question for sparring
SPARRING_MAX = 3000
SURVEY_TEXT_MAX = 2000      # the free-text answer of a satisfaction survey (family or hospital staff)
