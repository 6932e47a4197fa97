"""Survey views: permission check, form, one service or selector call, render."""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hyrdash.lib import exports, pagecache, uploads
from hyrdash.lib.coverage import Coverage, warning_lines
from kpis import data_version

from . import access, pages, selectors, services
from .forms import ReplaceYearForm, SurveyUploadForm
from .models import PendingSurveyUpload, SurveyBatch


@permission_required(access.VIEW, raise_exception=True)
def results(request):
    """The survey for a year and a group (GET ar, urval), compared upward and with last year;
    one index (GET index) per group side by side and per question.

    What the page computes is kept in the page cache (hyrdash.lib.pagecache) under the
    data version, the years' thresholds and the selection (year, group, index and the
    groups side by side, which the user's areas decide); the select's groups under the
    areas the user may see."""
    version = data_version.current(*data_version.SURVEY_PAGES)  # before any data is read
    data = selectors.survey_data()
    if data.latest is None:
        return render(request, "survey/results.html", {"nav": "survey", "empty": True})
    try:
        selection = pages.parse_selection(request.GET, data=data, user=request.user)
    except pages.SelectionError as exc:
        raise Http404(str(exc)) from exc
    visible = access.unit_areas(request.user)
    try:
        computed = pagecache.cached(
            "survey",
            (version, selectors.thresholds(), *pages.cache_parts(selection)),
            lambda: pages.computed(data, selection),
        )
    except pages.SelectionError as exc:  # an index the year does not have
        raise Http404(str(exc)) from exc
    context = {
        "nav": "survey",
        "selection": selection,
        "years": list(reversed(data.years)),
        "scope_choices": pagecache.cached(
            "survey-scopes",
            (version, selection.year, None if visible is None else sorted(visible)),
            lambda: pages.scope_choices(data, request.user, selection.year),
        ),
        **computed,
    }
    return render(request, "survey/results.html", context)


@permission_required(access.VIEW, raise_exception=True)
def results_csv(request, chart):
    """One chart's table as CSV for Swedish Excel, the same rows the page shows."""
    if chart not in pages.CHART_CODES:
        raise Http404(_("Okänt diagram."))
    version = data_version.current(*data_version.SURVEY_PAGES)
    data = selectors.survey_data()
    if data.latest is None:
        raise Http404(_("Det finns ingen medarbetarundersökning ännu."))
    try:
        selection = pages.parse_selection(request.GET, data=data, user=request.user)
    except pages.SelectionError as exc:
        raise Http404(str(exc)) from exc
    try:
        table = pagecache.cached(
            "survey-csv",
            (version, selectors.thresholds(), chart, *pages.cache_parts(selection)),
            lambda: pages.section_table(chart, data, selection),
        )
    except pages.SelectionError as exc:
        raise Http404(str(exc)) from exc
    return exports.download(table, pages.csv_filename(chart, selection))


@permission_required(access.IMPORT, raise_exception=True)
def upload(request):
    """Step 1: check the file against the year's questionnaire and keep it for confirmation."""
    form = SurveyUploadForm(*uploads.posted(request))
    return uploads.check_upload(
        request,
        form,
        check=lambda data: _check(
            data, kind=form.cleaned_data["kind"], year=form.cleaned_data["year"]
        ),
        unchanged=lambda check: _unchanged(request, check, year=form.cleaned_data["year"]),
        pending_model=PendingSurveyUpload,
        keep=lambda check: {
            "kind": form.cleaned_data["kind"],
            "year": form.cleaned_data["year"],
            "summary": check.summary(),
        },
        confirm_url="survey:upload_confirm",
        page=lambda problems: _upload_page(request, form, problems),
    )


def _check(data: bytes, *, kind: str, year: int):
    if kind == SurveyBatch.Kind.ANSWERS:
        return services.answers_check(data=data, year=year)
    return services.population_check(data=data, year=year)


def _unchanged(request, check, *, year: int):
    if check.identical_to is None:
        return None
    messages.info(
        request,
        _(
            "Filen är identisk med import %(id)s (%(name)s) som används för "
            "%(year)s; inget har ändrats."
        )
        % {"id": check.identical_to.id, "name": check.identical_to.file_name, "year": year},
    )
    return redirect("survey:upload")


def _upload_page(request, form, problems):
    context = {"form": form, "nav": "survey_import"}
    return uploads.upload_page(request, "survey/upload.html", context, problems)


@permission_required(access.IMPORT, raise_exception=True)
@uploads.waiting_upload(
    PendingSurveyUpload, history_url="survey:batches", upload_url="survey:upload"
)
def upload_confirm(request, pending):
    """Step 2: show what will be stored, and store it when the HR user confirms (for a
    file that covers clearly less than the year in use, only when told to replace it)."""
    coverage = pending.summary.get("coverage")
    form = ReplaceYearForm(
        request.POST or None,
        partial=bool(pending.summary.get("partial")),
        new_year=bool(coverage and coverage.get("compared_with")),
    )
    if request.method == "POST":
        if "cancel" in request.POST:
            return uploads.cancel(request, pending, "survey:upload")
        if form.is_valid():
            return _store(request, pending, form.cleaned_data["replace_year"])
    return render(
        request,
        "survey/upload_confirm.html",
        {
            "pending": pending,
            "summary": pending.summary,
            "form": form,
            "warning": warning_lines(
                [Coverage.from_dict(coverage)] if coverage else [],
                services.survey_figure_labels(),
            ),
            "nav": "survey_import",
        },
        status=400 if form.errors else 200,
    )


def _store(request, pending: PendingSurveyUpload, replace_year: bool):
    service = (
        services.answers_import
        if pending.kind == SurveyBatch.Kind.ANSWERS
        else services.population_import
    )
    return uploads.store(
        request,
        pending,
        partial(service, year=pending.year, user=request.user, replace_year=replace_year),
        refused=lambda lines: _upload_page(request, SurveyUploadForm(), lines),
        stored=lambda batch, _check: (
            _("Import %(id)s sparad: %(rows)s rader för %(year)s.")
            % {"id": batch.id, "rows": batch.row_count, "year": batch.year}
        ),
        done_url="survey:batches",
    )


@permission_required(access.IMPORT, raise_exception=True)
def batches(request):
    page = Paginator(
        SurveyBatch.objects.select_related("created_by", "undone_by", "questionnaire"), 50
    ).get_page(request.GET.get("sida"))
    return render(request, "survey/batches.html", {"page": page, "nav": "survey_batches"})


@require_POST
@permission_required(access.IMPORT, raise_exception=True)
def batch_undo(request, import_id):
    return uploads.undo(
        request,
        services.batch_undo,
        batch_id=import_id,
        message=services.undone_message,
        done_url="survey:batches",
    )
