from django.contrib import admin
from django.db import transaction

from hyrdash.lib.admin import ReadOnlyAdmin
from kpis.signals import registers_changed

from .models import (
    Account,
    Area,
    Commentary,
    Department,
    ImportBatch,
    MonthStatus,
    NationalShare,
    Target,
    Unit,
)


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "area"]
    list_filter = ["area"]
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
        "undone_at",
        "undone_by",
    ]


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ["measure", "year", "scope_kind", "care_type", "area", "pct"]
    list_filter = ["measure", "year", "scope_kind"]


@admin.register(MonthStatus)
class MonthStatusAdmin(admin.ModelAdmin):
    list_display = ["kind", "period", "closed", "changed_by", "changed_at"]
    list_filter = ["kind"]
    readonly_fields = ["changed_by", "changed_at"]


@admin.register(Commentary)
class CommentaryAdmin(admin.ModelAdmin):
    list_display = ["period", "chart", "author", "updated_at"]
    list_filter = ["chart"]
    readonly_fields = ["author", "updated_at"]


@admin.register(NationalShare)
class NationalShareAdmin(admin.ModelAdmin):
    list_display = ["quarter", "region", "share_pct", "is_average"]
    list_filter = ["quarter"]
