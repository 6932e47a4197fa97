from django.contrib import admin
from django.db import transaction

from hyrdash.lib.admin import ReadOnlyAdmin
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


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "area", "units_separate"]
    list_filter = ["area", "units_separate"]
    search_fields = ["name"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["ansvar", "name", "department", "care_type"]
    list_filter = ["care_type", "department__area"]
    search_fields = ["ansvar", "name", "department__name"]
    list_select_related = ["department"]


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
