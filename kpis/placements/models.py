"""Consultant placements from the staffing system and what section 12 a asks of them.

Imported by `kpis.models` (the app's models module), so these are kpis models.

Every import keeps its rows (`Placement`, per `PlacementBatch`). A placement is known by
its consultant, unit and start date; the one in use (`is_current`) is the row of the
newest import holding that key that is not undone. So a new export replaces the
placements it holds and adds the new ones, keys it lacks stay as they were, and undoing
an import gives its keys back the rows of the import before it (or none).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kpis.models import PendingFile, Unit, UploadBatch


class PlacementBatch(UploadBatch):
    """One upload of the staffing system's placements export."""

    added = models.PositiveIntegerField(_("nya placeringar"), default=0)
    replaced = models.PositiveIntegerField(_("ändrade placeringar"), default=0)

    class Meta(UploadBatch.Meta):
        permissions = [
            ("view_placements", _("Kan se inhyrda konsulter med namn (12 a §)")),
            ("import_placements", _("Kan importera placeringar och registrera åtgärder")),
        ]
        verbose_name = _("placeringsimport")
        verbose_name_plural = _("placeringsimporter")

    def __str__(self):
        return f"{self.id} {self.file_name} ({self.created_at:%Y-%m-%d %H:%M})"

    def get_kind_display(self) -> str:
        """What the import history (templates/_batch_history.html) calls the kind."""
        return str(_("Placeringar"))


class Placement(models.Model):
    """One row of a placements export: a consultant placed at a unit from `start` to `end`
    (both inclusive; no end while the placement is ongoing), with the hours booked."""

    batch = models.ForeignKey(PlacementBatch, on_delete=models.CASCADE, related_name="placements")
    consultant_id = models.CharField(_("konsult-id"), max_length=50)
    consultant_name = models.CharField(_("konsult"), max_length=200, blank=True)
    agency = models.CharField(_("bemanningsföretag"), max_length=200, blank=True)
    profession = models.CharField(_("yrkesgrupp"), max_length=100, blank=True)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    start = models.DateField(_("startdatum"))
    end = models.DateField(_("slutdatum"), null=True, blank=True)
    hours = models.DecimalField(_("timmar"), max_digits=14, decimal_places=2, null=True)
    is_current = models.BooleanField(_("används"), default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["batch", "consultant_id", "unit", "start"], name="placement_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["consultant_id", "unit", "start"]),
            models.Index(fields=["is_current"]),
        ]

    def __str__(self):
        return f"{self.consultant_id} {self.unit_id} {self.start}–{self.end or ''}"


class PendingPlacementUpload(PendingFile):
    """A checked placements file waiting for its uploader's confirmation."""

    summary = models.JSONField(default=dict)


class PlacementAction(models.Model):
    """What was done for a consultant under section 12 a, by whom and when."""

    class Kind(models.TextChoices):
        OFFER_MADE = "offer_made", _("Erbjudande om anställning lämnat")
        OFFER_ACCEPTED = "offer_accepted", _("Erbjudandet antaget")
        OFFER_DECLINED = "offer_declined", _("Erbjudandet avböjt")
        COMPENSATION_PAID = "compensation_paid", _("Ersättning (två månadslöner) betald")
        TRANSITION_OFFER = "transition_offer", _("Erbjuden anställning enligt övergångsbeslutet")

    consultant_id = models.CharField(_("konsult-id"), max_length=50, db_index=True)
    kind = models.CharField(_("åtgärd"), max_length=20, choices=Kind.choices)
    date = models.DateField(_("datum"))
    note = models.TextField(_("anteckning"), max_length=1000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("registrerad av"),
    )
    recorded_at = models.DateTimeField(_("registrerad"), auto_now_add=True)

    class Meta:
        ordering = ["consultant_id", "date", "id"]
        verbose_name = _("åtgärd enligt 12 a §")
        verbose_name_plural = _("åtgärder enligt 12 a §")

    def __str__(self):
        return f"{self.consultant_id} {self.date} {self.kind}"


class PlacementAccessLog(models.Model):
    """Who looked at or exported the consultants' list (personal data), when and how."""

    class What(models.TextChoices):
        LIST = "list", _("Listan")
        CONSULTANT = "consultant", _("En konsult")
        CSV = "csv", _("CSV-export av listan")
        EXPORT_KPI = "export_kpi", _("export_kpi placements-12a")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("användare"),
    )
    # Kept as text too: the name stays when the user is deleted, and the command line
    # has no user of the site.
    who = models.CharField(_("vem"), max_length=150)
    at = models.DateTimeField(_("när"), auto_now_add=True, db_index=True)
    what = models.CharField(_("vad"), max_length=20, choices=What.choices)
    filters = models.JSONField(_("urval"), default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("åtkomst till konsultlistan")
        verbose_name_plural = _("åtkomstlogg för konsultlistan")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.who} {self.what}"
