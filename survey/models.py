"""The employee survey (medarbetarundersökning, MU): questionnaires, imports, HR access.

- A `Questionnaire` per survey year lists its questions, grouped into the HME
  and HSE indices, the psychosocial dimensions and themes, and eNPS. A year
  without a questionnaire of its own uses the latest earlier one (or the
  earliest, for an older year): `Questionnaire.for_year`.
- Every upload is a `SurveyBatch` (answers or employee counts for one year).
  For each year and kind the *current* batch is the newest one not undone; a
  new upload replaces the year, undoing it brings the previous one back.
- An answers batch keeps the respondents' answers (compressed, for
  rebuilding) and their sums per unit and measure (`UnitResult`), which is
  what the pages read: sums, answer and respondent counts add up the
  organisation tree, so a department or area is the sum of its units. It also
  keeps the organisation as it was at the import (`organisation`): the year is
  always computed with that tree, never with today's.
- `HrAccess` gives an HR user the areas whose departments and units they may
  see; an HR user with every area is the HR strategist.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from kpis.models import Area, PendingFile, Unit, UploadBatch

DEFAULT_THRESHOLD = 5

DIMENSION_CODE = RegexValidator(
    r"^dim_[a-z0-9_]+$", _("Koden skrivs dim_ följt av små bokstäver a–z, siffror och _.")
)
THEME_CODE = RegexValidator(
    r"^tema_[a-z0-9_]+$", _("Koden skrivs tema_ följt av små bokstäver a–z, siffror och _.")
)
QUESTION_CODE = RegexValidator(
    r"^[A-Z][A-Z0-9_]*$", _("Koden skrivs med stora bokstäver A–Z, siffror och _.")
)


class Questionnaire(models.Model):
    """The questions of one survey year."""

    year = models.PositiveSmallIntegerField(
        _("år"), unique=True, validators=[MinValueValidator(2000), MaxValueValidator(2200)]
    )
    name = models.CharField(_("namn"), max_length=200, blank=True)

    class Meta:
        ordering = ["year"]
        verbose_name = _("enkät")
        verbose_name_plural = _("enkäter")

    def __str__(self):
        return self.name or f"Medarbetarundersökning {self.year}"

    @classmethod
    def for_year(cls, year: int) -> Questionnaire | None:
        """The year's own questionnaire, else the latest earlier one, else the earliest."""
        found = cls.objects.filter(year__lte=year).order_by("-year").first()
        return found or cls.objects.order_by("year").first()


class Dimension(models.Model):
    """A dimension of the psychosocial work environment (five in 2024)."""

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="dimensions"
    )
    code = models.CharField(_("kod"), max_length=40, validators=[DIMENSION_CODE])
    name = models.CharField(_("namn"), max_length=200)
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)

    class Meta:
        ordering = ["questionnaire", "order", "code"]
        verbose_name = _("dimension")
        verbose_name_plural = _("dimensioner")
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "code"], name="dimension_unique"),
        ]

    def __str__(self):
        return self.name


class Theme(models.Model):
    """A theme within a dimension (Inflytande, Arbetsmängd, ...)."""

    dimension = models.ForeignKey(Dimension, on_delete=models.CASCADE, related_name="themes")
    code = models.CharField(_("kod"), max_length=40, validators=[THEME_CODE])
    name = models.CharField(_("namn"), max_length=200)
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)

    class Meta:
        ordering = ["dimension__order", "order", "code"]
        verbose_name = _("tema")
        verbose_name_plural = _("teman")
        constraints = [
            models.UniqueConstraint(fields=["dimension", "code"], name="theme_unique"),
        ]

    def __str__(self):
        return f"{self.dimension.name}: {self.name}"


class Question(models.Model):
    class Scale(models.TextChoices):
        ONE_TO_FIVE = "1-5", _("1–5")
        ZERO_TO_TEN = "0-10", _("0–10")

    class Index(models.TextChoices):
        HME = "hme", _("HME – Hållbart medarbetarengagemang")
        HSE = "hse", _("HSE – Hållbart säkerhetsengagemang (index)")
        HSE_OUTCOME = "hse_utfall", _("HSE – utfallsfråga (redovisas för sig)")
        PSYCHOSOCIAL = "psykosocial", _("Psykosocial arbetsmiljö")
        ENPS = "enps", _("eNPS – rekommendation")

    class SubIndex(models.TextChoices):
        MOTIVATION = "motivation", _("Motivation")
        LEDARSKAP = "ledarskap", _("Ledarskap")
        STYRNING = "styrning", _("Styrning")

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="questions"
    )
    code = models.CharField(_("kod"), max_length=40, validators=[QUESTION_CODE])
    text = models.TextField(_("frågetext"))
    scale = models.CharField(_("skala"), max_length=4, choices=Scale.choices, default="1-5")
    reversed = models.BooleanField(
        _("omvänd"),
        default=False,
        help_text=_("Ett högt svar är negativt (till exempel ”Kommer du efter med ditt arbete?”)."),
    )
    index = models.CharField(_("index"), max_length=20, choices=Index.choices)
    sub_index = models.CharField(
        _("delindex (HME)"), max_length=20, choices=SubIndex.choices, blank=True
    )
    theme = models.ForeignKey(
        Theme,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="questions",
        verbose_name=_("tema (psykosocial)"),
    )
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)

    class Meta:
        ordering = ["questionnaire", "order", "code"]
        verbose_name = _("fråga")
        verbose_name_plural = _("frågor")
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "code"], name="question_unique"),
        ]

    def __str__(self):
        return f"{self.code} {self.text[:60]}"

    def clean(self):  # noqa: C901 (one independent check per field rule)
        errors = {}
        if self.index == self.Index.ENPS and self.scale != self.Scale.ZERO_TO_TEN:
            errors["scale"] = _("eNPS-frågan besvaras på skalan 0–10.")
        if self.index != self.Index.ENPS and self.scale != self.Scale.ONE_TO_FIVE:
            errors["scale"] = _("Indexfrågor besvaras på skalan 1–5.")
        if self.index == self.Index.HME and not self.sub_index:
            errors["sub_index"] = _("En HME-fråga hör till ett delindex.")
        if self.index != self.Index.HME and self.sub_index:
            errors["sub_index"] = _("Bara HME-frågor har delindex.")
        if self.index == self.Index.PSYCHOSOCIAL and self.theme_id is None:
            errors["theme"] = _("En psykosocial fråga hör till ett tema.")
        if self.index != self.Index.PSYCHOSOCIAL and self.theme_id is not None:
            errors["theme"] = _("Bara psykosociala frågor har tema.")
        if (
            self.theme_id is not None
            and self.questionnaire_id is not None
            and self.theme.dimension.questionnaire_id != self.questionnaire_id
        ):
            errors["theme"] = _("Temat hör till en annan enkät.")
        if self.index == self.Index.ENPS and self.questionnaire_id is not None:
            others = Question.objects.filter(
                questionnaire_id=self.questionnaire_id, index=self.Index.ENPS
            ).exclude(pk=self.pk)
            if others.exists():
                errors["index"] = _("Enkäten har redan en eNPS-fråga.")
        if errors:
            raise ValidationError(errors)


class SurveyYear(models.Model):
    """Settings of one survey year: the anonymity threshold."""

    year = models.PositiveSmallIntegerField(_("år"), unique=True)
    threshold = models.PositiveSmallIntegerField(
        _("minsta antal svarande"),
        default=DEFAULT_THRESHOLD,
        validators=[MinValueValidator(1)],
        help_text=_("Inget värde visas för en grupp med färre svarande än så."),
    )

    class Meta:
        ordering = ["-year"]
        verbose_name = _("undersökningsår")
        verbose_name_plural = _("undersökningsår")
        permissions = [
            ("view_survey", _("Kan se medarbetarundersökningen per område")),
            ("view_survey_units", _("Kan se medarbetarundersökningen per verksamhet och enhet")),
            ("import_survey", _("Kan importera och ångra medarbetarundersökningen")),
        ]

    def __str__(self):
        return f"Medarbetarundersökning {self.year}"


class SurveyBatch(UploadBatch):
    """One upload: a year's answers or a year's employee counts."""

    class Kind(models.TextChoices):
        ANSWERS = "answers", _("Svar")
        POPULATION = "population", _("Antal medarbetare")

    year = models.PositiveSmallIntegerField(_("år"))
    kind = models.CharField(_("typ"), max_length=20, choices=Kind.choices)
    questionnaire = models.ForeignKey(
        Questionnaire,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("enkät"),
    )
    is_current = models.BooleanField(_("används"), default=False)
    # The respondents' answers as imported (gzip CSV: RespondentID, unit id, one column
    # per question code), to rebuild the sums when the questionnaire changes.
    answers = models.BinaryField(_("svar"), null=True, editable=False)
    # The organisation as it was when the answers were imported: one object per unit
    # (unit_id, ansvar, unit_name, department, area). The year's results are computed
    # with it, so a later re-organisation changes no figure already shown.
    organisation = models.JSONField(_("organisation"), default=list, blank=True, editable=False)
    # Which values of the year are hidden (survey.protection), decided once for the
    # stored sums and the threshold named in its key: {"key": ..., "hidden": [[group,
    # measure], ...]} (survey.selectors.hidden_values).
    protection = models.JSONField(_("dolda värden"), default=dict, blank=True, editable=False)

    class Meta(UploadBatch.Meta):
        verbose_name = _("MU-import")
        verbose_name_plural = _("MU-importer")
        indexes = [models.Index(fields=["year", "kind", "is_current"])]

    def __str__(self):
        return f"{self.year} {self.get_kind_display()} {self.file_name}"


class UnitResult(models.Model):
    """A measure's sums for one unit in one answers batch (survey.metrics.unit_sums).

    Index measures: score_sum (0-100 points) over `answers` answers given by
    `respondents` respondents. eNPS: the counts of promoters, passives and
    critics. response_rate: `respondents` is everyone in the unit's file rows.
    """

    batch = models.ForeignKey(SurveyBatch, on_delete=models.CASCADE, related_name="results")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    measure = models.CharField(max_length=40)
    respondents = models.PositiveIntegerField(default=0)
    answers = models.PositiveIntegerField(default=0)
    score_sum = models.FloatField(default=0.0)
    promoters = models.PositiveIntegerField(default=0)
    passives = models.PositiveIntegerField(default=0)
    critics = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["batch", "unit", "measure"], name="unitresult_unique"),
        ]

    def __str__(self):
        return f"{self.batch_id} {self.unit_id} {self.measure}"


class Population(models.Model):
    """Employees of a unit in one population batch."""

    batch = models.ForeignKey(SurveyBatch, on_delete=models.CASCADE, related_name="population")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    employees = models.PositiveIntegerField(_("antal medarbetare"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["batch", "unit"], name="population_unique"),
        ]

    def __str__(self):
        return f"{self.batch_id} {self.unit_id} {self.employees}"


class PendingSurveyUpload(PendingFile):
    """A checked upload waiting for the HR user's confirmation."""

    kind = models.CharField(max_length=20, choices=SurveyBatch.Kind.choices)
    year = models.PositiveSmallIntegerField()
    summary = models.JSONField(default=dict)


class HrAccess(models.Model):
    """The areas an HR user may see per department and unit; every area: HR strategist."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="hr_access",
        verbose_name=_("användare"),
    )
    areas = models.ManyToManyField(Area, blank=True, related_name="+", verbose_name=_("områden"))

    class Meta:
        verbose_name = _("HR-behörighet")
        verbose_name_plural = _("HR-behörigheter")

    def __str__(self):
        return str(self.user)
