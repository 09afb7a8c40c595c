"""Security questionnaires for business partners (MSC 3.5, 3.6, 3.7): each organisation's own
templates, the questionnaires it sends to partner contacts by a link that needs no account, the
answers and documents that come back, and the organisation's review of them."""

from __future__ import annotations

import datetime
from typing import Any, ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from safelane.core.models import TenantModel, TenantQuerySet


def reads_spanish() -> bool:
    """Whether the reader (or the partner the page is drawn for) reads Spanish."""
    return (get_language() or "en").startswith("es")


def in_language(english: str, spanish: str) -> str:
    """A text in the reader's language: the Spanish where there is one."""
    return spanish if spanish and reads_spanish() else english


class QuestionKind(models.TextChoices):
    YES_NO = "yes_no", _("Yes or no")
    CHOICE = "choice", _("One choice of several")
    TEXT = "text", _("Text")
    DATE = "date", _("Date")
    NUMBER = "number", _("Number")
    FILE = "file", _("Documents to upload")


# Kinds whose answer can show a follow-up question.
BRANCHING_KINDS = frozenset({QuestionKind.YES_NO, QuestionKind.CHOICE})


class Expected(models.TextChoices):
    """The answer to a yes/no question that earns its points (none: a person scores it)."""

    NONE = "", _("A person scores it")
    YES = "yes", _("Yes")
    NO = "no", _("No")


class Status(models.TextChoices):
    SENT = "sent", _("Waiting for the partner")
    SUBMITTED = "submitted", _("Submitted: to review")
    CORRECTIONS = "corrections", _("Corrections asked")
    ACCEPTED = "accepted", _("Accepted")


# The partner may still change the answers (while the link lasts).
OPEN_STATUSES = (Status.SENT, Status.CORRECTIONS)
# Not done with yet: a second questionnaire of the same template would only confuse the partner.
UNFINISHED_STATUSES = (Status.SENT, Status.CORRECTIONS, Status.SUBMITTED)


class Level(models.TextChoices):
    """How vulnerable the answers show the partner to be: the values of partners' risk tiers,
    as `partners.services.record_assessment` takes them."""

    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class TemplateQuerySet(TenantQuerySet):
    def active(self) -> TemplateQuerySet:
        return self.filter(archived_at__isnull=True)


class QuestionnaireTemplate(TenantModel):
    """An organisation's own questionnaire: loaded from one Safelane ships, copied, or new."""

    name = models.CharField(_("name"), max_length=200)
    name_es = models.CharField(_("name in Spanish"), max_length=200, blank=True)
    partner_types = models.JSONField(_("for partner types"), default=list, blank=True)
    intro = models.TextField(_("introduction"), blank=True)
    intro_es = models.TextField(_("introduction in Spanish"), blank=True)
    low_from = models.PositiveSmallIntegerField(
        _("low risk from (%)"),
        default=85,
        validators=[MaxValueValidator(100)],
        help_text=_("A score at least this high shows low vulnerability."),
    )
    medium_from = models.PositiveSmallIntegerField(
        _("medium risk from (%)"),
        default=60,
        validators=[MaxValueValidator(100)],
        help_text=_(
            "A score at least this high (and below the low-risk mark) shows medium vulnerability; lower shows high."
        ),
    )
    resend = models.BooleanField(
        _("send again when the partner's review is due"),
        default=True,
        help_text=_(
            "The partner's risk tier sets when: yearly for high risk, every two years for medium, every three for low."
        ),
    )
    # The shipped template it was loaded from ("supplier"), or "" for the organisation's own.
    source_key = models.CharField(max_length=40, blank=True, editable=False)
    archived_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects: ClassVar[TemplateQuerySet] = TemplateQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            # Loading the shipped templates twice (a double click) gives each one once.
            models.UniqueConstraint(
                fields=["organisation", "source_key"],
                condition=~Q(source_key="") & Q(archived_at__isnull=True),
                name="one_live_copy_of_a_shipped_template",
            )
        ]
        verbose_name = _("questionnaire template")
        verbose_name_plural = _("questionnaire templates")

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        return in_language(self.name, self.name_es)

    def partner_type_labels(self) -> list[str]:
        """The partner types it is meant for, as the partner register names them."""
        partner: Any = Questionnaire._meta.get_field("partner").related_model
        names = dict(partner._meta.get_field("kind").choices)
        return [str(names.get(code, code)) for code in self.partner_types or []]


class Question(TenantModel):
    """One question of a template, or a follow-up that shows when its question has a given
    answer ("If no, describe ...")."""

    template = models.ForeignKey(
        QuestionnaireTemplate, on_delete=models.CASCADE, related_name="questions"
    )
    follow_up_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="follow_ups",
        verbose_name=_("follow-up of"),
    )
    shown_when = models.CharField(_("shown when the answer is"), max_length=40, blank=True)
    position = models.PositiveIntegerField(default=0)
    key = models.SlugField(max_length=40)
    kind = models.CharField(
        _("kind"), max_length=10, choices=QuestionKind.choices, default=QuestionKind.YES_NO
    )
    text = models.CharField(_("question"), max_length=500)
    text_es = models.CharField(_("question in Spanish"), max_length=500, blank=True)
    guidance = models.TextField(_("guidance"), blank=True)
    guidance_es = models.TextField(_("guidance in Spanish"), blank=True)
    required = models.BooleanField(_("an answer is required"), default=True)
    weight = models.PositiveSmallIntegerField(
        _("weight"),
        default=1,
        validators=[MaxValueValidator(10)],
        help_text=_(
            "How much the answer counts in the score; 0 for a question that is not scored."
        ),
    )
    expected = models.CharField(
        _("answer that scores"), max_length=3, choices=Expected.choices, blank=True, default=""
    )
    # [{"key", "label", "label_es", "score"}]: score 0-100, or None for a person to score.
    choices = models.JSONField(_("choices"), default=list, blank=True)
    criteria = models.JSONField(_("criteria"), default=list, blank=True)

    objects: ClassVar[TenantQuerySet] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["position", "pk"]
        constraints = [models.UniqueConstraint(fields=["template", "key"], name="one_question_key")]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def label(self) -> str:
        return in_language(self.text, self.text_es)


class QuestionnaireQuerySet(TenantQuerySet):
    def unfinished(self) -> QuestionnaireQuerySet:
        return self.filter(status__in=UNFINISHED_STATUSES, revoked_at__isnull=True)

    def open_links(self, now: datetime.datetime | None = None) -> QuestionnaireQuerySet:
        """Questionnaires the partner can still answer by their link."""
        return self.filter(
            status__in=OPEN_STATUSES, revoked_at__isnull=True, expires_at__gt=now or timezone.now()
        )


class Questionnaire(TenantModel):
    """A questionnaire sent to one partner contact: a copy of the template's questions as they
    were when it was sent, the link that opens it, and the review.

    The link's secret is never stored. It is derived from `link_nonce` with the installation's
    SECRET_KEY (an HMAC), and found again by its SHA-256 (`token_hash`): a copy of the database
    alone opens no questionnaire, and reminders can still carry the link.
    """

    partner = models.ForeignKey(
        "partners.Partner", on_delete=models.CASCADE, related_name="+", verbose_name=_("partner")
    )
    contact = models.ForeignKey(
        "partners.PartnerContact",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("contact"),
    )
    template = models.ForeignKey(
        QuestionnaireTemplate,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sent",
        verbose_name=_("template"),
    )
    # The accepted questionnaire this one asks again, when it recurs.
    resent_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    title_es = models.CharField(max_length=200, blank=True)
    intro = models.TextField(blank=True)
    intro_es = models.TextField(blank=True)
    message = models.TextField(_("message to the partner"), blank=True)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    recipient_name = models.CharField(_("sent to"), max_length=150)
    recipient_email = models.EmailField(_("e-mail"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.SENT
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("sent by"),
    )
    link_nonce = models.CharField(max_length=64, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    link_issued_at = models.DateTimeField(_("link issued"), default=timezone.now)
    expires_at = models.DateTimeField(_("link expires"))
    revoked_at = models.DateTimeField(_("link revoked"), null=True, blank=True)
    # Days before expiry for which the current link has had its reminder.
    reminders = models.JSONField(default=list, blank=True, editable=False)
    respondent_name = models.CharField(_("answered by"), max_length=150, blank=True)
    respondent_role = models.CharField(_("their role"), max_length=100, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    review_note = models.TextField(_("notes to the partner"), blank=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("accepted by"),
    )
    score = models.DecimalField(_("score"), max_digits=4, decimal_places=1, null=True, blank=True)
    level = models.CharField(
        _("vulnerability"), max_length=10, choices=Level.choices, blank=True, default=""
    )
    low_from = models.PositiveSmallIntegerField(default=85, validators=[MaxValueValidator(100)])
    medium_from = models.PositiveSmallIntegerField(default=60, validators=[MaxValueValidator(100)])
    # The summary filed in the evidence library when it was accepted.
    evidence = models.ForeignKey(
        "evidence.Evidence", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects: ClassVar[QuestionnaireQuerySet] = QuestionnaireQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["organisation", "partner"]),
            models.Index(fields=["organisation", "status", "expires_at"]),
        ]
        verbose_name = _("security questionnaire")
        verbose_name_plural = _("security questionnaires")

    def __str__(self) -> str:
        return self.title

    @property
    def label(self) -> str:
        return in_language(self.title, self.title_es)

    @property
    def intro_text(self) -> str:
        return in_language(self.intro, self.intro_es)

    @property
    def is_open(self) -> bool:
        """The partner may still change the answers (if the link lasts)."""
        return self.status in OPEN_STATUSES

    @property
    def link_state(self) -> str:
        """live, expired, revoked, or closed (submitted or accepted: nothing to fill in)."""
        if self.revoked_at is not None:
            return "revoked"
        if not self.is_open:
            return "closed"
        return "expired" if self.expires_at <= timezone.now() else "live"


class Answer(TenantModel):
    """One question of a sent questionnaire, as it was asked, with the partner's answer and the
    organisation's score and note."""

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="answers"
    )
    position = models.PositiveIntegerField(default=0)
    key = models.SlugField(max_length=40)
    parent_key = models.SlugField(max_length=40, blank=True)
    shown_when = models.CharField(max_length=40, blank=True)
    kind = models.CharField(max_length=10, choices=QuestionKind.choices)
    text = models.CharField(_("question"), max_length=500)
    text_es = models.CharField(max_length=500, blank=True)
    guidance = models.TextField(blank=True)
    guidance_es = models.TextField(blank=True)
    required = models.BooleanField(default=True)
    weight = models.PositiveSmallIntegerField(default=1, validators=[MaxValueValidator(10)])
    expected = models.CharField(max_length=3, choices=Expected.choices, blank=True, default="")
    choices = models.JSONField(default=list, blank=True)
    criteria = models.JSONField(default=list, blank=True)
    value = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    auto_score = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    manual_score = models.PositiveSmallIntegerField(
        _("score"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    review_note = models.TextField(_("note"), blank=True)
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The action planned from this answer (it treats the partner relationship).
    action = models.ForeignKey(
        "actions.Action", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects: ClassVar[TenantQuerySet] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "key"], name="one_answer_per_key")
        ]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def label(self) -> str:
        return in_language(self.text, self.text_es)

    @property
    def guidance_text(self) -> str:
        return in_language(self.guidance, self.guidance_es)

    @property
    def score(self) -> int | None:
        """The score that counts: a person's, else the automatic one."""
        return self.manual_score if self.manual_score is not None else self.auto_score

    def option_labels(self) -> dict[str, str]:
        """The choices of a choice (or yes/no) question, by key, in the reader's language."""
        if self.kind == QuestionKind.YES_NO:
            return {"yes": str(_("Yes")), "no": str(_("No"))}
        options: list[Any] = self.choices if isinstance(self.choices, list) else []
        return {
            str(o.get("key")): in_language(str(o.get("label", "")), str(o.get("label_es", "")))
            for o in options
            if isinstance(o, dict) and o.get("key")
        }


class Document(TenantModel):
    """A file the partner uploaded with a questionnaire, checked like evidence uploads."""

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="documents"
    )
    answer = models.ForeignKey(
        Answer, null=True, blank=True, on_delete=models.CASCADE, related_name="documents"
    )
    file = models.FileField(max_length=500)
    original_name = models.CharField(_("file"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64)

    objects: ClassVar[TenantQuerySet] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("questionnaire document")
        verbose_name_plural = _("questionnaire documents")

    def __str__(self) -> str:
        return self.original_name
