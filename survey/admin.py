from django.contrib import admin, messages
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from hyrdash.lib.admin import ReadOnlyAdmin

from .models import Dimension, HrAccess, Question, Questionnaire, SurveyBatch, SurveyYear, Theme
from .services import questionnaire_results_rebuild, year_protection_store


def _rebuild(request, questionnaire: Questionnaire) -> None:
    """Stored sums follow the questionnaire: recompute the imports read with it."""
    count = questionnaire_results_rebuild(questionnaire=questionnaire)
    if count:
        messages.info(
            request,
            _("Resultaten för %(count)s importer med enkäten %(year)s är omräknade.")
            % {"count": count, "year": questionnaire.year},
        )


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0
    fields = ["order", "code", "text", "scale", "reversed", "index", "sub_index", "theme"]

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        # Only the themes of this questionnaire.
        field = formset.form.base_fields["theme"]
        field.queryset = Theme.objects.filter(dimension__questionnaire=obj).select_related(
            "dimension"
        )
        return formset


@admin.register(Questionnaire)
class QuestionnaireAdmin(admin.ModelAdmin):
    list_display = ["year", "name"]
    inlines = [QuestionInline]
    actions = ["copy_to_next_year"]

    def save_related(self, request, form, formsets, change):
        with transaction.atomic():
            super().save_related(request, form, formsets, change)
            if change:
                _rebuild(request, form.instance)

    @admin.action(description=_("Kopiera till nästa år (frågor, dimensioner och teman)"))
    def copy_to_next_year(self, request, queryset):
        for questionnaire in queryset:
            year = questionnaire.year + 1
            if Questionnaire.objects.filter(year=year).exists():
                messages.warning(
                    request, _("Det finns redan en enkät för %(year)s.") % {"year": year}
                )
                continue
            with transaction.atomic():
                copy = Questionnaire.objects.create(year=year, name="")
                themes = {}
                for dimension in questionnaire.dimensions.all():
                    new_dimension = Dimension.objects.create(
                        questionnaire=copy,
                        code=dimension.code,
                        name=dimension.name,
                        order=dimension.order,
                    )
                    for theme in dimension.themes.all():
                        themes[theme.id] = Theme.objects.create(
                            dimension=new_dimension,
                            code=theme.code,
                            name=theme.name,
                            order=theme.order,
                        )
                for question in questionnaire.questions.all():
                    Question.objects.create(
                        questionnaire=copy,
                        code=question.code,
                        text=question.text,
                        scale=question.scale,
                        reversed=question.reversed,
                        index=question.index,
                        sub_index=question.sub_index,
                        theme=themes.get(question.theme_id),
                        order=question.order,
                    )
            messages.success(request, _("Enkäten för %(year)s är skapad.") % {"year": year})


class ThemeInline(admin.TabularInline):
    model = Theme
    extra = 0
    fields = ["order", "code", "name"]


@admin.register(Dimension)
class DimensionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "questionnaire", "order"]
    list_filter = ["questionnaire"]
    inlines = [ThemeInline]


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["code", "text", "questionnaire", "index", "sub_index", "theme", "reversed"]
    list_filter = ["questionnaire", "index", "reversed"]
    search_fields = ["code", "text"]
    list_select_related = ["questionnaire", "theme__dimension"]

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            _rebuild(request, obj.questionnaire)


@admin.register(SurveyYear)
class SurveyYearAdmin(admin.ModelAdmin):
    list_display = ["year", "threshold"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # What is hidden depends on the threshold: decided now, not on a page.
        year_protection_store(year=obj.year)


@admin.register(SurveyBatch)
class SurveyBatchAdmin(ReadOnlyAdmin):
    """Read-only history; imports and undo go through the HR pages."""

    list_display = ["id", "year", "kind", "file_name", "created_at", "created_by", "row_count"]
    list_filter = ["year", "kind"]
    # In the order the page has always shown them (UploadBatch's would come first).
    fields = [
        "year",
        "kind",
        "questionnaire",
        "file_name",
        "checksum",
        "row_count",
        "created_by",
        "undone_at",
        "undone_by",
        "is_current",
    ]


@admin.register(HrAccess)
class HrAccessAdmin(admin.ModelAdmin):
    list_display = ["user", "area_list"]
    filter_horizontal = ["areas"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]

    @admin.display(description=_("områden"))
    def area_list(self, obj):
        return ", ".join(obj.areas.values_list("name", flat=True)) or "–"
