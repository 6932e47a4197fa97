from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hyrdash.lib.admin import ReadOnlyAdmin
from hyrdash.lib.page import parse_month
from kpis.organisation.services import (
    MoveAudit,
    move_month,
    move_month_text,
    move_notice,
    moves_apply,
    unit_move_audit,
    withheld_notice,
)
from kpis.registry import PUBLISHED_PERSONAL_DATA
from kpis.signals import registers_changed

from .models import (
    Account,
    Area,
    ClosedThrough,
    Commentary,
    Department,
    ImportBatch,
    NationalShare,
    PlacementAccessLog,
    Target,
    Unit,
)


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    search_fields = ["name"]


def _saved_with_moves(request, save, *, from_month=None, audited=None) -> None:
    """Save a change of the register through moves_apply (the history of where units
    stand; costs follow the moved units) and say from which month the moves hold, and
    which figures they withhold more. `audited`: the form's audit of the move, made in
    this request's transaction (the admin saves in the one it validated the form in)."""
    _value, moves = moves_apply(
        save, from_month=from_month, published=PUBLISHED_PERSONAL_DATA, audited=audited
    )
    if moves.units:
        registers_changed.send(sender=Unit)
        messages.info(
            request,
            _("Flytten gäller från %(month)s för %(units)s.")
            % {"month": move_month_text(moves.month), "units": ", ".join(moves.units)},
        )
    if notice := withheld_notice(moves.withheld):
        messages.warning(request, notice)


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "area", "units_separate"]
    list_filter = ["area", "units_separate"]
    search_fields = ["name"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.base_fields["area"].help_text = _(
            "En verksamhet som byter område flyttar sina enheter. %(notice)s"
        ) % {"notice": move_notice(*move_month())}
        return form

    def save_model(self, request, obj, form, change):
        _saved_with_moves(request, lambda: super(DepartmentAdmin, self).save_model(
            request, obj, form, change))  # fmt: skip


class UnitForm(forms.ModelForm):
    """The unit and, for a move, the month it holds from (ÅÅÅÅ-MM). A move from a month
    already shown that needs more figures withheld is saved only once `withhold` is
    ticked: the form says first how many figures of which months."""

    from_month = forms.CharField(
        label=gettext_lazy("Flytten gäller från"), required=False, max_length=7
    )
    withhold = forms.BooleanField(
        label=gettext_lazy("Dölj fler sjukfrånvarosiffror om flytten kräver det"), required=False
    )

    class Meta:
        model = Unit
        fields = ["ansvar", "name", "department", "care_type", "from_month", "withhold"]

    move_audit = None  # the audit of a move of an existing unit (clean)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        month, default = move_month()
        self.fields["from_month"].help_text = _(
            "ÅÅÅÅ-MM. Lämna tomt för standard. %(notice)s En tidigare månad godtas bara om de "
            "omräknade siffrorna kan döljas så att inget dolt värde röjs; formuläret säger "
            "först hur många fler siffror som då döljs."
        ) % {"notice": move_notice(month, default)}

    def clean_from_month(self):
        text = self.cleaned_data["from_month"].strip()
        if not text:
            return None
        month = parse_month(text)
        if month is None:
            raise forms.ValidationError(
                _("”%(value)s” är ingen månad; skriv ÅÅÅÅ-MM, till exempel 2024-03.")
                % {"value": text}
            )
        return month

    def clean(self):
        cleaned = super().clean()
        department, care_type = cleaned.get("department"), cleaned.get("care_type")
        if self.instance.pk is None or department is None or not care_type or self.errors:
            return cleaned
        if (department.id, care_type) == (self.instance.department_id, self.instance.care_type):
            self.move_audit = MoveAudit()  # no move: nothing to audit
            return cleaned
        audit = unit_move_audit(
            unit=self.instance,
            department=department,
            care_type=care_type,
            from_month=cleaned.get("from_month"),
            published=PUBLISHED_PERSONAL_DATA,
        )
        if audit.refusal:
            raise forms.ValidationError(audit.refusal)
        notice = withheld_notice(audit.added)
        if notice and not cleaned.get("withhold"):
            raise forms.ValidationError(
                _("%(notice)s Kryssa i ”%(field)s” och spara igen för att flytta ändå.")
                % {"notice": notice, "field": self.fields["withhold"].label}
            )
        self.move_audit = audit
        return cleaned


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    form = UnitForm
    list_display = ["ansvar", "name", "department", "care_type"]
    list_filter = ["care_type", "department__area"]
    search_fields = ["ansvar", "name", "department__name"]
    list_select_related = ["department"]

    def save_model(self, request, obj, form, change):
        _saved_with_moves(
            request,
            lambda: super(UnitAdmin, self).save_model(request, obj, form, change),
            from_month=form.cleaned_data.get("from_month"),
            audited=form.move_audit,  # UnitForm.clean audited a move of an existing unit
        )


@admin.register(Account)
class AccountAdmin(admin.ModelAdmin):
    list_display = ["konto", "name", "category"]
    list_filter = ["category"]
    search_fields = ["konto", "name"]

    def save_model(self, request, obj, form, change):
        # A new category changes which KPI the account's stored rows count towards.
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            if change and "category" in form.changed_data:
                registers_changed.send(sender=Account)


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnlyAdmin):
    """Read-only history; imports and undo go through the upload pages."""

    list_display = [
        "id",
        "kind",
        "replaces",
        "file_name",
        "created_at",
        "created_by",
        "row_count",
        "undone_at",
    ]
    list_filter = ["kind", "replaces"]
    # In the order the page has always shown them (UploadBatch's would come first).
    fields = [
        "kind",
        "replaces",
        "file_name",
        "checksum",
        "created_by",
        "row_count",
        "totals",
        "skipped",
        "closed_months",
        "undone_at",
        "undone_by",
    ]


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ["measure", "year", "scope_kind", "care_type", "area", "pct", "follows_hsf"]
    list_filter = ["measure", "year", "scope_kind", "follows_hsf"]


@admin.register(ClosedThrough)
class ClosedThroughAdmin(admin.ModelAdmin):
    """Closing and reopening go through the pages and `close_months`; the admin shows
    (and can correct) where each kind's closed months end."""

    list_display = ["kind", "period", "changed_by", "changed_at"]
    readonly_fields = ["changed_by", "changed_at"]


@admin.register(Commentary)
class CommentaryAdmin(admin.ModelAdmin):
    list_display = ["period", "chart", "scope", "author", "updated_at"]
    list_filter = ["chart"]
    search_fields = ["scope", "text"]
    readonly_fields = ["author", "updated_at"]


@admin.register(NationalShare)
class NationalShareAdmin(admin.ModelAdmin):
    list_display = ["quarter", "region", "share_pct", "is_average"]
    list_filter = ["quarter"]


@admin.register(PlacementAccessLog)
class PlacementAccessLogAdmin(ReadOnlyAdmin):
    """Who saw or exported the consultants' list (section 12 a): for superusers only,
    whatever permissions a staff user holds."""

    list_display = ["at", "who", "what", "filters"]
    list_filter = ["what"]
    search_fields = ["who"]
    date_hierarchy = "at"

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser
