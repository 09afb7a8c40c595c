"""Writes of security questionnaires, by concept: templates, sending and links, what the
partner does through the link, the review, and the daily reminders and re-sends."""

from safelane.questionnaires.services.answering import (
    AlreadySubmittedError,
    Draft,
    LinkClosedError,
    MissingAnswersError,
    closed_reason,
    save_draft,
    submit,
)
from safelane.questionnaires.services.demo import load_demo_questionnaires
from safelane.questionnaires.services.recurring import resend_due, send_reminders
from safelane.questionnaires.services.reviewing import (
    SCORES,
    accept,
    action_from_answer,
    request_corrections,
    score_answer,
)
from safelane.questionnaires.services.sending import (
    DEFAULT_DAYS,
    MAX_DAYS,
    reissue_link,
    revoke_link,
    send,
    send_questionnaire,
)
from safelane.questionnaires.services.templates import (
    add_question,
    archive_template,
    copy_template,
    copy_template_to,
    create_template,
    delete_question,
    load_shipped_templates,
    move_question,
    update_question,
    update_template,
)

__all__ = [
    "DEFAULT_DAYS",
    "MAX_DAYS",
    "SCORES",
    "AlreadySubmittedError",
    "Draft",
    "LinkClosedError",
    "MissingAnswersError",
    "accept",
    "action_from_answer",
    "add_question",
    "archive_template",
    "closed_reason",
    "copy_template",
    "copy_template_to",
    "create_template",
    "delete_question",
    "load_demo_questionnaires",
    "load_shipped_templates",
    "move_question",
    "reissue_link",
    "request_corrections",
    "resend_due",
    "revoke_link",
    "save_draft",
    "score_answer",
    "send",
    "send_questionnaire",
    "send_reminders",
    "submit",
    "update_question",
    "update_template",
]
