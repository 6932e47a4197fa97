"""Organisation register, account mapping, the cost ledger and sick leave.

The register is today's organisation (Unit.department, Unit.care_type); UnitPlacement
keeps where each unit stood from which month, which personal data is computed with.

The ledger keeps every imported row (month x unit x account) per import batch.
An import replaces whole months (a full extract) or only the units in its file (a
correction, `ImportBatch.Replaces`). A month's data is, for each unit, the rows of the
newest import not undone that covers the unit in that month: the newest whole-month
import, unless a newer import of only some units holds the unit (`BatchMonthUnit`).
`BatchMonth.is_current` marks the batches whose rows of a month are in use, and
`ReplacedUnit` the units among them a newer import holds instead (kpis.batches keeps
both; `current_rows_sql` reads them). `MonthlyCost` is a view of the sums of the
current rows per month x unit x category. `DepartmentMonthlyCost` stores those sums
per department and care type; it is what dashboards read and is rewritten in the
same transaction as every import, undo or mapping change.

Sick leave (`SickLeaveRow`, month x unit x gender x age band) uses the same
batches and current months; it is small enough to be read from the current
batches' rows directly, so it has no table of sums.
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hyrdash.lib.coverage import listed


class CareType(models.TextChoices):
    SJUKHUSVARD = "sjukhusvård", _("Sjukhusvård")
    PRIMARVARD = "primärvård", _("Primärvård")
    TANDVARD = "tandvård", _("Tandvård")
    OVRIGT = "övrigt", _("Övrigt")


class Category(models.TextChoices):
    HYR_LAKARE = "hyr_lakare", _("Hyrpersonal läkare")
    HYR_SSK_BM = "hyr_ssk_bm", _("Hyrpersonal sjuksköterskor/barnmorskor")
    HYR_OVRIGA = "hyr_ovriga", _("Hyrpersonal övriga")
    EGEN_LON = "egen_lon", _("Egen personal: löner")
    EGEN_PO = "egen_po", _("Egen personal: personalomkostnader")
    EGEN_PENSION = "egen_pension", _("Egen personal: pensioner")
    EGEN_OVRIGT = "egen_ovrigt", _("Egen personal: övriga personalkostnader")
    IGNORERA = "ignorera", _("Ignorera")


AGENCY_CATEGORIES = (Category.HYR_LAKARE, Category.HYR_SSK_BM, Category.HYR_OVRIGA)
OWN_STAFF_CATEGORIES = (
    Category.EGEN_LON,
    Category.EGEN_PO,
    Category.EGEN_PENSION,
    Category.EGEN_OVRIGT,
)


class Area(models.Model):
    name = models.CharField(_("namn"), max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("område")
        verbose_name_plural = _("områden")

    def __str__(self):
        return self.name


class Department(models.Model):
    name = models.CharField(_("namn"), max_length=150, unique=True)
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="departments", verbose_name=_("område")
    )
    # Section 12 a counts placements per operating unit (driftsenhet): the department,
    # unless its units are operating units of their own (kpis.placements.rules).
    units_separate = models.BooleanField(
        _("varje enhet är en egen driftsenhet"),
        default=False,
        help_text=_(
            "För 12 a § i lagen om uthyrning av arbetstagare: räkna placeringar per enhet i "
            "stället för per verksamhet."
        ),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("verksamhet")
        verbose_name_plural = _("verksamheter")

    def __str__(self):
        return self.name


class Unit(models.Model):
    ansvar = models.CharField(_("ansvar"), max_length=20, unique=True)
    name = models.CharField(_("namn"), max_length=200)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="units", verbose_name=_("verksamhet")
    )
    care_type = models.CharField(_("vårdtyp"), max_length=20, choices=CareType.choices)

    class Meta:
        ordering = ["ansvar"]
        verbose_name = _("enhet")
        verbose_name_plural = _("enheter")

    def __str__(self):
        return f"{self.ansvar} {self.name}"


# The first month of every unit's history: a unit placed "from the beginning" has been
# where it is for every month with data.
HISTORY_START = dt.date(1900, 1, 1)


class UnitPlacement(models.Model):
    """Where a unit stood in the organisation from a month on: its department, that
    department's area and its care type, until its next placement.

    Personal data (sick leave) is computed with the placement of each month
    (kpis.organisation.selectors.placements_as_of), so a re-organisation changes no
    figure already shown; Unit.department and Unit.care_type are today's, and the
    costs follow them (restated). A unit's newest placement is today's register.
    """

    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="placements", verbose_name=_("enhet")
    )
    valid_from = models.DateField(_("gäller från"))  # the first day of a month
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="+", verbose_name=_("verksamhet")
    )
    # The department's area then: a department can move to another area too.
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="+", verbose_name=_("område")
    )
    care_type = models.CharField(_("vårdtyp"), max_length=20, choices=CareType.choices)

    class Meta:
        ordering = ["unit", "valid_from"]
        verbose_name = _("placering")
        verbose_name_plural = _("placeringar")
        constraints = [
            models.UniqueConstraint(fields=["unit", "valid_from"], name="unitplacement_unique"),
        ]

    def __str__(self):
        return f"{self.unit_id} {self.valid_from:%Y-%m} {self.department_id} {self.care_type}"


class WithheldFigure(models.Model):
    """A sick-leave figure of a month withheld because a move restated the month
    (kpis.organisation.history.move_withholding): shown with the figures published
    before the move it would let a hidden figure be worked out. The month's disclosure
    decision (kpis.sick_leave.decisions.hidden_figures) withholds it from then on, as
    it withholds a small group. `node` is a scope key (hsf, area:X, department:X,
    care:X) and `group` total, K, M or an age band.
    """

    month = models.DateField(_("månad"))  # the first day of the month
    node = models.CharField(_("omfattning"), max_length=250)
    group = models.CharField(_("grupp"), max_length=10)
    created_at = models.DateTimeField(_("sparad"), auto_now_add=True)

    class Meta:
        ordering = ["month", "node", "group"]
        verbose_name = _("dold siffra efter flytt")
        verbose_name_plural = _("dolda siffror efter flytt")
        constraints = [
            models.UniqueConstraint(
                fields=["month", "node", "group"], name="withheldfigure_unique"
            ),
        ]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.node} {self.group}"


class Account(models.Model):
    konto = models.CharField(_("konto"), max_length=20, unique=True)
    name = models.CharField(_("benämning"), max_length=200)
    category = models.CharField(_("kategori"), max_length=20, choices=Category.choices)

    class Meta:
        ordering = ["konto"]
        verbose_name = _("konto")
        verbose_name_plural = _("kontomappning")

    def __str__(self):
        return f"{self.konto} {self.name}"


class UploadBatch(models.Model):
    """What every import keeps: the file, who imported it and when, who undid it and when.

    ImportBatch (the ledger's and payroll's extracts) and survey.SurveyBatch (the
    survey's answers and employee counts) are uploads of this kind.
    """

    file_name = models.CharField(_("filnamn"), max_length=255)
    checksum = models.CharField(_("kontrollsumma (SHA-256)"), max_length=64)
    row_count = models.PositiveIntegerField(_("rader"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("importerad av"),
    )
    created_at = models.DateTimeField(_("importerad"), auto_now_add=True)
    undone_at = models.DateTimeField(_("ångrad"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ångrad av"),
    )

    class Meta:
        abstract = True
        ordering = ["-created_at", "-id"]

    @property
    def is_undone(self) -> bool:
        return self.undone_at is not None


class ImportBatch(UploadBatch):
    class Kind(models.TextChoices):
        ACTUALS = "actuals", _("Utfall")
        BUDGET = "budget", _("Budget")
        SICK_LEAVE = "sick_leave", _("Sjukfrånvaro")

    class Replaces(models.TextChoices):
        """What an import replaces in its months: everything (a full extract), or only
        the units in its file (a correction; every other unit keeps its rows)."""

        MONTHS = "months", _("Hela månader")
        UNITS = "units", _("Bara filens enheter")

    kind = models.CharField(_("typ"), max_length=20, choices=Kind.choices)
    replaces = models.CharField(
        _("ersätter"), max_length=10, choices=Replaces.choices, default=Replaces.MONTHS
    )
    # Indexed here: each check looks for an import of the same file by its checksum.
    checksum = models.CharField(_("kontrollsumma (SHA-256)"), max_length=64, db_index=True)
    totals = models.JSONField(_("summor per kategori"), default=dict)
    skipped = models.JSONField(_("överhoppade konton"), default=list)
    # The months of the import that were closed (final) when it was made, 'YYYY-MM':
    # it changed figures the steering group had seen as final (kpis.batches.closed_months).
    closed_months = models.JSONField(_("ändrade stängda månader"), default=list, blank=True)

    class Meta(UploadBatch.Meta):
        permissions = [
            ("view_dashboard", _("Kan se instrumentpanelerna")),
            ("import_data", _("Kan importera och ångra underlag")),
            ("view_sick_leave", _("Kan se sjukfrånvaron")),
            ("import_sick_leave", _("Kan importera och ångra sjukfrånvarounderlag")),
        ]
        verbose_name = _("importomgång")
        verbose_name_plural = _("importomgångar")

    def __str__(self):
        return f"{self.get_kind_display()} {self.file_name} ({self.created_at:%Y-%m-%d %H:%M})"

    def unit_list(self) -> str:
        """'0101, 0102': the units an import of only some units holds (uses prefetched
        months__units__unit), listed as warnings list them."""
        ansvar = sorted({u.unit.ansvar for m in self.months.all() for u in m.units.all()})
        return listed(ansvar)

    def month_range(self) -> str:
        """'2024-01 – 2024-12 (12)': the months the batch covers (uses prefetched months)."""
        periods = sorted(m.period for m in self.months.all())
        if not periods:
            return "–"
        first, last = periods[0].strftime("%Y-%m"), periods[-1].strftime("%Y-%m")
        span = first if first == last else f"{first} – {last}"
        return f"{span} ({len(periods)})"


class BatchMonth(models.Model):
    """A month covered by a batch; `is_current` marks a batch whose rows of the month are
    in use: the newest whole-month batch and the newer batches of only some units (but
    for their ReplacedUnit units)."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="months")
    period = models.DateField(_("månad"))
    is_current = models.BooleanField(default=False)

    class Meta:
        ordering = ["period"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "period"], name="batchmonth_unique"),
        ]
        indexes = [models.Index(fields=["period", "is_current"])]

    def __str__(self):
        return f"{self.batch_id} {self.period:%Y-%m}"


class MonthUnit(models.Model):
    """A unit in one of a batch's months, once: BatchMonthUnit and ReplacedUnit, each with
    its `month` (the key (month, unit) is their only index; its name follows the class:
    batchmonthunit_unique, replacedunit_unique)."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", db_index=False)

    class Meta:
        abstract = True
        constraints = [
            models.UniqueConstraint(fields=["month", "unit"], name="%(class)s_unique"),
        ]

    def __str__(self):
        return f"{self.month} {self.unit_id}"


class BatchMonthUnit(MonthUnit):
    """A unit an import of only some units (ImportBatch.Replaces.UNITS) holds in one of its
    months: the unit's data for the month is that import's rows, until a newer import
    holds the unit or the whole month."""

    # Looked up through the unique constraint's index, which begins with the month.
    month = models.ForeignKey(
        BatchMonth, on_delete=models.CASCADE, related_name="units", db_index=False
    )


class ReplacedUnit(MonthUnit):
    """A unit whose rows in a current batch's month are not in use: a newer import of only
    some units holds the unit for that month (BatchMonthUnit). Kept by
    kpis.batches.refresh_months; reads of the current rows leave these out. Its key
    (month, unit) is the index those reads look a row's unit up in."""

    month = models.ForeignKey(
        BatchMonth, on_delete=models.CASCADE, related_name="replaced_units", db_index=False
    )


# LedgerRow, MonthlyCost and DepartmentMonthlyCost are written in bulk, only by
# kpis.services, which checks every id first (units and accounts against the
# registers, the batch it has just created). Their foreign keys have no
# constraint in the database (db_constraint=False): PostgreSQL checks such a
# constraint one row at a time at commit, measured at 26 s of a 60 s import of
# 1,000,000 rows (bench/import_costs.py). Django still enforces on_delete
# (PROTECT, CASCADE) itself. What that gives up: a unit deleted by another
# transaction between an import's check and its commit would leave rows that
# point at no unit, where PostgreSQL would have refused the import.


class LedgerRow(models.Model):
    """One row of an imported extract (SEK; hours only on agency accounts).

    Rows are only appended, a batch at a time, and read a batch's month at a
    time (the MonthlyCost view) or all at once. So besides the primary key the
    only index is a BRIN index on (batch, period), on PostgreSQL (migration
    0010): a few pages that keep the range of both per block of rows, where a
    B-tree index cost 1 s of every 1,000,000 rows copied in. SQLite has none.
    """

    batch = models.ForeignKey(
        ImportBatch,
        on_delete=models.CASCADE,
        related_name="rows",
        db_index=False,
        db_constraint=False,
    )
    period = models.DateField(_("månad"))
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False
    )
    account = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False
    )
    amount = models.DecimalField(_("belopp"), max_digits=16, decimal_places=2)
    hours = models.DecimalField(_("timmar"), max_digits=14, decimal_places=2, null=True)

    def __str__(self):
        return f"{self.period:%Y-%m} {self.unit_id} {self.account_id} {self.amount}"


class MonthlyCost(models.Model):
    """Sum of the current ledger rows per kind x month x unit x category (SEK).

    A database view over the ledger (migration 0009), not a table: it is the
    current rows' sums by definition, in every transaction, and an import writes
    nothing for it. Writing it as a table cost an import of 1,000,000 rows 3.9 of
    its 10.4 s (673,186 sums with their unique index) for a table nothing reads
    often: the dashboards read `DepartmentMonthlyCost`. Read-only.
    """

    pk = models.CompositePrimaryKey("kind", "period", "unit", "category")
    kind = models.CharField(max_length=20, choices=ImportBatch.Kind.choices)
    period = models.DateField()
    # The ledger's rows protect their unit; a view has nothing to protect.
    unit = models.ForeignKey(
        Unit, on_delete=models.DO_NOTHING, related_name="+", db_constraint=False
    )
    category = models.CharField(max_length=20, choices=Category.choices)
    amount = models.DecimalField(max_digits=16, decimal_places=2)
    hours = models.DecimalField(max_digits=14, decimal_places=2, null=True)

    class Meta:
        managed = False
        db_table = "kpis_monthlycost"

    def __str__(self):
        return f"{self.kind} {self.period:%Y-%m} {self.unit_id} {self.category} {self.amount}"


class PendingFile(models.Model):
    """What every two-step upload keeps of a checked file until its uploader confirms or
    cancels it (hyrdash.lib.uploads): PendingUpload, survey.PendingSurveyUpload and
    placements.PendingPlacementUpload are pending files of this kind."""

    file_name = models.CharField(max_length=255)
    data = models.BinaryField()
    checksum = models.CharField(max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Once confirmed or cancelled the file is dropped, but the record stays a while, so
    # that going back to its page says what became of it (hyrdash.lib.uploads).
    outcome = models.CharField(max_length=10, blank=True, default="")
    batch_id = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        abstract = True

    def __str__(self):
        return self.file_name


class PendingUpload(PendingFile):
    """An uploaded file that passed the checks and waits for the controller's confirmation."""

    # SKR's national table (kpis.national) is checked and confirmed as the extracts are,
    # but stored without an import batch: a kind of pending upload only.
    NATIONAL = "national"

    kind = models.CharField(
        max_length=20,
        choices=[*ImportBatch.Kind.choices, (NATIONAL, _("Nationell jämförelse"))],
    )
    # What the check found, shown on the confirmation page (computed once at upload).
    summary = models.JSONField(default=list)
    skipped = models.JSONField(default=list)
    row_count = models.PositiveIntegerField(default=0)
    # Coverage per month against what is stored, whether the file is partial, and how it
    # was written (header row, total row): kpis.coverage and the kind's check.
    details = models.JSONField(default=dict)


class DepartmentMonthlyCost(models.Model):
    """MonthlyCost summed per department and care type: what the dashboards read.

    Its size depends on the organisation and the number of months, not on the
    ledger, so dashboard time does not grow with the ledger. Written by every
    import, undo and mapping change, and whenever units move.

    Its key is its primary key, its only index (migration 0011): an `id` column
    and a unique constraint beside it made writing an import's 90,000 sums take
    0.75-0.96 s instead of 0.37 s.
    """

    pk = models.CompositePrimaryKey("kind", "period", "department", "care_type", "category")
    kind = models.CharField(max_length=20, choices=ImportBatch.Kind.choices)
    period = models.DateField()
    # Not indexed: a department is deleted only when the register loses it, and
    # finding its sums then reads the table once.
    department = models.ForeignKey(
        Department,
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    care_type = models.CharField(max_length=20, choices=CareType.choices)
    category = models.CharField(max_length=20, choices=Category.choices)
    amount = models.DecimalField(max_digits=16, decimal_places=2)
    hours = models.DecimalField(max_digits=14, decimal_places=2, null=True)

    def __str__(self):
        return f"{self.kind} {self.period:%Y-%m} {self.department_id} {self.category}"


class Target(models.Model):
    """A target in % for a measure, a year and a scope: the SKR measure (agency cost in %
    of own-staff cost) or sick leave R12 (sick hours in % of ordinary hours).

    A care type or an area without a target for a year has none: nobody decided one.
    A controller may mark it to follow the administration's target of that year
    (`follows_hsf`, without a percentage of its own); the pages then say so.
    """

    class Measure(models.TextChoices):
        SKR = "skr", _("SKR-måttet")
        SICK_LEAVE = "sick_leave", _("Sjukfrånvaro R12")

    class ScopeKind(models.TextChoices):
        HSF = "hsf", _("Hela förvaltningen")
        CARE = "care", _("Vårdtyp")
        AREA = "area", _("Område")

    measure = models.CharField(
        _("mått"), max_length=20, choices=Measure.choices, default=Measure.SKR
    )
    year = models.PositiveSmallIntegerField(_("år"))
    scope_kind = models.CharField(_("nivå"), max_length=10, choices=ScopeKind.choices)
    care_type = models.CharField(
        _("vårdtyp"), max_length=20, choices=CareType.choices, blank=True, default=""
    )
    area = models.ForeignKey(
        Area, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("område")
    )
    pct = models.DecimalField(_("mål (%)"), max_digits=5, decimal_places=2, null=True, blank=True)
    follows_hsf = models.BooleanField(
        _("följer förvaltningens mål"),
        default=False,
        help_text=_(
            "För en vårdtyp eller ett område utan eget mål: använd förvaltningens mål för "
            "året. Lämna då målet tomt."
        ),
    )

    class Meta:
        ordering = ["measure", "year", "scope_kind", "care_type", "area__name"]
        verbose_name = _("mål")
        verbose_name_plural = _("mål")
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "year"],
                condition=models.Q(scope_kind="hsf"),
                name="target_unique_hsf",
            ),
            models.UniqueConstraint(
                fields=["measure", "year", "care_type"],
                condition=models.Q(scope_kind="care"),
                name="target_unique_care",
            ),
            models.UniqueConstraint(
                fields=["measure", "year", "area"],
                condition=models.Q(scope_kind="area"),
                name="target_unique_area",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(scope_kind="hsf", care_type="", area__isnull=True)
                    | (models.Q(scope_kind="care", area__isnull=True) & ~models.Q(care_type=""))
                    | models.Q(scope_kind="area", care_type="", area__isnull=False)
                ),
                name="target_scope_consistent",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(follows_hsf=False, pct__isnull=False)
                    | (models.Q(follows_hsf=True, pct__isnull=True) & ~models.Q(scope_kind="hsf"))
                ),
                name="target_pct_or_follows_hsf",
                violation_error_message=_(
                    "Ange antingen ett eget mål eller att urvalet följer förvaltningens mål "
                    "(förvaltningen själv har alltid ett eget)."
                ),
            ),
        ]

    def __str__(self):
        value = "förvaltningens" if self.follows_hsf else f"{self.pct} %"
        return f"{self.get_measure_display()} {self.year} {self.scope_key}: {value}"

    @property
    def scope_key(self) -> str:
        if self.scope_kind == self.ScopeKind.CARE:
            return f"care:{self.care_type}"
        if self.scope_kind == self.ScopeKind.AREA:
            return f"area:{self.area.name}"
        return "hsf"


class ClosedThrough(models.Model):
    """The months of one kind of data that are closed (final): every month up to and
    including `period`. Later months are preliminary. One row per kind, or none (nothing
    is closed yet).

    Closing is through a month: closing October closes every month before it, and
    reopening a month reopens the later ones (kpis.batches.months_close, months_reopen).
    The ledger's months (kind `actuals`) are closed by a controller; sick leave's
    (kind `sick_leave`) by whoever imports it, once payroll's corrections are in.
    """

    kind = models.CharField(
        _("underlag"),
        max_length=20,
        choices=[
            (ImportBatch.Kind.ACTUALS.value, ImportBatch.Kind.ACTUALS.label),
            (ImportBatch.Kind.SICK_LEAVE.value, ImportBatch.Kind.SICK_LEAVE.label),
        ],
        unique=True,
    )
    period = models.DateField(_("stängd till och med"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("stängda månader")
        verbose_name_plural = _("stängda månader")

    def __str__(self):
        return f"{self.get_kind_display()} t.o.m. {self.period:%Y-%m}"

    def save(self, *args, **kwargs):
        self.period = self.period.replace(day=1)
        super().save(*args, **kwargs)


class DataVersion(models.Model):
    """One row per subject of the data (kpis.data_version.SUBJECTS): a number raised in
    the transaction of every change of that subject, the part of the page cache's keys
    that says "this data"."""

    # The first row, from before there were subjects, is every page's ("all").
    subject = models.CharField(max_length=20, unique=True, default="all")
    value = models.BigIntegerField(default=0)
    # Random, new with every change: a change rolled back after pages were computed for
    # it (inside its transaction) leaves keys no committed state ever has.
    token = models.CharField(max_length=32, blank=True, default="")

    class Meta:
        verbose_name = _("dataversion")
        verbose_name_plural = _("dataversion")

    def __str__(self):
        return f"{self.subject} {self.value}"


class Commentary(models.Model):
    """A controller's short comment on one chart for one month and one scope: the
    administration (`hsf`), a care type, an area or a department, by the scope's key
    ("hsf", "care:primärvård", "area:<område>", "department:<verksamhet>")."""

    period = models.DateField(_("månad"))
    chart = models.CharField(_("diagram"), max_length=40)
    scope = models.CharField(_("urval"), max_length=200, default="hsf")
    text = models.TextField(_("kommentar"), max_length=2000)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("kommentar")
        verbose_name_plural = _("kommentarer")
        constraints = [
            models.UniqueConstraint(fields=["period", "chart", "scope"], name="commentary_unique"),
        ]

    def __str__(self):
        return f"{self.period:%Y-%m} {self.chart} {self.scope}"


class PackText(models.Model):
    """A text slide the controllers write for one month's steering pack of one scope:
    a title and its bullets, one per line (an indented line is a sub-bullet)."""

    period = models.DateField(_("månad"))
    scope = models.CharField(_("urval"), max_length=120)  # hsf, care:<vårdtyp>, area:<område>
    order = models.PositiveSmallIntegerField(_("ordning"), default=1)
    title = models.CharField(_("rubrik"), max_length=150)
    text = models.TextField(_("punkter"), max_length=2000)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["period", "scope", "order", "id"]
        verbose_name = _("textbild")
        verbose_name_plural = _("textbilder")
        indexes = [models.Index(fields=["period", "scope"])]

    def __str__(self):
        return f"{self.period:%Y-%m} {self.scope} {self.order} {self.title}"


class NationalShare(models.Model):
    """Agency share per region for a quarter, from SKR's statistics (uploaded table)."""

    quarter = models.CharField(_("kvartal"), max_length=7)  # "2024-Q3"
    region = models.CharField(_("region"), max_length=100)
    share_pct = models.DecimalField(_("andel (%)"), max_digits=5, decimal_places=2)
    is_average = models.BooleanField(_("riksgenomsnitt"), default=False)

    class Meta:
        ordering = ["quarter", "region"]
        verbose_name = _("nationell jämförelse")
        verbose_name_plural = _("nationell jämförelse")
        constraints = [
            models.UniqueConstraint(fields=["quarter", "region"], name="nationalshare_unique"),
        ]

    def __str__(self):
        return f"{self.quarter} {self.region} {self.share_pct} %"


class Gender(models.TextChoices):
    """Kön as the payroll extract writes it."""

    K = "K", _("Kvinnor")
    M = "M", _("Män")


class AgeBand(models.TextChoices):
    """Åldersgrupp as the payroll extract writes it (the statutory bands)."""

    UPTO_29 = "-29", _("29 år eller yngre")
    FROM_30_TO_49 = "30-49", _("30–49 år")
    FROM_50 = "50-", _("50 år eller äldre")


class SickLeaveRow(models.Model):
    """One row of a sick-leave extract: a unit's employees of one gender and age band in
    a month, their ordinary (scheduled) working hours and their sick hours by the day
    of the sick period the hours fell on (1-14, 15-59, 60 and later).

    What is in use for a month is the rows of that month's current batch
    (BatchMonth.is_current), as for the ledger.
    """

    batch = models.ForeignKey(
        ImportBatch, on_delete=models.CASCADE, related_name="sick_leave_rows", db_index=False
    )
    period = models.DateField(_("månad"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", db_index=False)
    gender = models.CharField(_("kön"), max_length=1, choices=Gender.choices)
    age_band = models.CharField(_("åldersgrupp"), max_length=5, choices=AgeBand.choices)
    employees = models.PositiveIntegerField(_("antal anställda"))
    ordinary_hours = models.DecimalField(_("ordinarie arbetstid"), max_digits=14, decimal_places=2)
    sick_hours_1_14 = models.DecimalField(_("sjuktimmar dag 1-14"), max_digits=14, decimal_places=2)
    sick_hours_15_59 = models.DecimalField(
        _("sjuktimmar dag 15-59"), max_digits=14, decimal_places=2
    )
    sick_hours_60 = models.DecimalField(_("sjuktimmar dag 60-"), max_digits=14, decimal_places=2)

    class Meta:
        # Its index also serves the reads, which go through a batch's month.
        constraints = [
            models.UniqueConstraint(
                fields=["batch", "period", "unit", "gender", "age_band"],
                name="sickleaverow_unique",
            ),
        ]

    def __str__(self):
        return f"{self.period:%Y-%m} {self.unit_id} {self.gender} {self.age_band}"


# The consultant placements (section 12 a) live in their subject's folder; importing them
# here makes them models of this app.
from kpis.placements.models import (  # noqa: E402, F401
    PendingPlacementUpload,
    Placement,
    PlacementAccessLog,
    PlacementAction,
    PlacementBatch,
)
