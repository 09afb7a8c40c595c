from django.apps import AppConfig


class QuestionnairesConfig(AppConfig):
    """Security questionnaires for business partners (MSC 3.5-3.7): templates per partner type,
    sent by a link that needs no account, reviewed, scored and accepted into the partner's
    risk tier, with weak answers followed up as actions."""

    name = "safelane.questionnaires"
    label = "questionnaires"
