"""Views: permission check, form, one service or selector call, render."""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from . import dashboard as cost_dashboard
from . import exports, roles, selectors
from . import sick_leave_dashboard as sick_leave_page
from .extracts import ExtractError
from .forms import CommentaryForm, ExtractUploadForm, MonthStatusForm, UploadForm
from .models import Category, ImportBatch, NationalShare, PendingUpload
from .services import (
    ServiceError,
    commentary_save,
    extract_check,
    extract_import,
    month_status_set,
    national_import,
)
from .services import batch_undo as undo_service
from .uploads import cancel, forget_stale, problem_lines, store


def dashboard(request):
    """The steering group's monthly cost dashboard for a month and a scope (GET parameters).

    It is the site's address (/): someone without access who types it is sent to their
    own start page; a link with a selection is refused (403), saying why.
    """
    if not request.user.has_perm(roles.VIEW_DASHBOARD):
        if not request.GET:
            return redirect("start")
        raise PermissionDenied
    data = selectors.cost_data()
    if data.last_month is None:
        return render(request, "kpis/dashboard.html", {"nav": "dashboard", "empty": True})
    selection, problems = cost_dashboard.parse_selection(request.GET, data=data)
    for problem in problems:
        messages.warning(request, problem)
    charts = cost_dashboard.build_charts(
        data,
        selection,
        comments=selectors.commentaries(month=selection.month),
        national=selectors.national_shares(),
        region=getattr(settings, "HYRDASH_REGION", "Västerbotten"),
    )
    context = {
        "nav": "dashboard",
        "selection": selection,
        "selected_month": selection.month_text,
        "preliminary": data.is_preliminary(selection.month),
        "month_choices": cost_dashboard.month_choices(data),
        "scope_choices": cost_dashboard.scope_choices(data, selection.scope),
        "query": selection.query(),
        "charts": charts,
    }
    return render(request, "kpis/dashboard.html", context)


def may_upload(view):
    """The upload pages and the import history: for whoever may import some kind of
    extract (roles.IMPORT_PERMISSIONS); each page then checks the kind at hand."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not roles.importable_kinds(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


# What the confirmation page calls the figures of a sick-leave check's summary.
SICK_LEAVE_SUMMARY_LABELS = {
    "employees": (gettext_lazy("Anställda"), 0),
    "ordinary_hours": (gettext_lazy("Ordinarie arbetstid (timmar)"), 2),
    "sick_hours": (gettext_lazy("Sjuktimmar"), 2),
}


@may_upload
def upload(request):
    """Step 1: check the file and keep it until the uploader confirms."""
    kinds = roles.importable_kinds(request.user)
    problems = []
    if request.method == "POST":
        form = ExtractUploadForm(request.POST, request.FILES, kinds=kinds)
        if form.is_valid():
            upload_file = form.cleaned_data["file"]
            data = upload_file.read()
            kind = form.cleaned_data["kind"]
            try:
                check = extract_check(data=data, kind=kind)
            except (ExtractError, ServiceError) as exc:
                problems = problem_lines(exc)
            else:
                if check.identical_to is not None:
                    messages.info(
                        request,
                        _(
                            "Filen är identisk med import %(id)s (%(name)s, %(when)s) "
                            "och används redan; inget har ändrats."
                        )
                        % {
                            "id": check.identical_to.id,
                            "name": check.identical_to.file_name,
                            "when": timezone.localtime(check.identical_to.created_at).strftime(
                                "%Y-%m-%d %H:%M"
                            ),
                        },
                    )
                    return redirect("kpis:upload")
                forget_stale(PendingUpload)
                pending = PendingUpload.objects.create(
                    kind=kind,
                    file_name=upload_file.name[:255],
                    data=data,
                    checksum=check.checksum,
                    summary=check.summary().to_dict("records"),
                    skipped=check.skipped,
                    row_count=check.row_count,
                    created_by=request.user,
                )
                return redirect("kpis:upload_confirm", pending_id=pending.id)
    else:
        wanted = request.GET.get("typ")
        form = ExtractUploadForm(kinds=kinds, initial={"kind": wanted} if wanted in kinds else None)
    return render(
        request,
        "kpis/upload.html",
        {"form": form, "problems": problems, "nav": "import", "kinds": kinds},
        status=400 if problems or form.errors else 200,
    )


@may_upload
def upload_confirm(request, pending_id):
    """Step 2: show what will be stored, and store it when the uploader confirms."""
    pending = get_object_or_404(PendingUpload, pk=pending_id, created_by=request.user)
    if not roles.may_import(request.user, pending.kind):
        raise PermissionDenied
    if request.method == "POST":
        if "cancel" in request.POST:
            return cancel(request, pending, "kpis:upload")
        kinds = roles.importable_kinds(request.user)
        return store(
            request,
            pending,
            lambda: extract_import(
                data=bytes(pending.data),
                file_name=pending.file_name,
                kind=pending.kind,
                user=request.user,
            ),
            refused=lambda lines: render(
                request,
                "kpis/upload.html",
                {
                    "form": ExtractUploadForm(kinds=kinds, initial={"kind": pending.kind}),
                    "problems": lines,
                    "nav": "import",
                    "kinds": kinds,
                },
                status=400,
            ),
            stored=lambda batch, check: (
                ngettext(
                    "Import %(id)s sparad: %(rows)s rader, %(months)s månad.",
                    "Import %(id)s sparad: %(rows)s rader, %(months)s månader.",
                    len(check.months),
                )
                % {"id": batch.id, "rows": batch.row_count, "months": len(check.months)}
            ),
            done_url="kpis:batches",
        )
    if pending.kind == ImportBatch.Kind.SICK_LEAVE:
        labels = SICK_LEAVE_SUMMARY_LABELS
        caption = _("Anställda och timmar per månad")
    else:
        labels = {code: (label, 2) for code, label in Category.choices}
        caption = _("Belopp per månad och kategori (kr)")
    summary = [
        dict(row, label=labels[row["category"]][0], decimals=labels[row["category"]][1])
        if row["category"] in labels
        else dict(row, label=row["category"], decimals=2)
        for row in pending.summary
    ]
    return render(
        request,
        "kpis/upload_confirm.html",
        {"pending": pending, "summary": summary, "caption": caption, "nav": "import"},
    )


@may_upload
def batches(request):
    """The imports of the kinds the user may import, newest first, with undo."""
    page = Paginator(
        ImportBatch.objects.filter(kind__in=roles.importable_kinds(request.user))
        .select_related("created_by", "undone_by")
        .prefetch_related("months"),
        50,
    ).get_page(request.GET.get("sida"))
    return render(request, "kpis/batches.html", {"page": page, "nav": "batches"})


@require_POST
@may_upload
def batch_undo(request, batch_id):
    kind = ImportBatch.objects.filter(pk=batch_id).values_list("kind", flat=True).first()
    if kind is not None and not roles.may_import(request.user, kind):
        raise PermissionDenied
    try:
        batch = undo_service(batch_id=batch_id, user=request.user)
    except ServiceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("Import %(id)s (%(name)s) är ångrad; månaderna har sina tidigare värden.")
            % {"id": batch.id, "name": batch.file_name},
        )
    return redirect("kpis:batches")


def _back(request):
    """Where a controller's small form returns to: the page it was posted from."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("kpis:dashboard")


@require_POST
@may_upload
def month_status(request):
    """Close or reopen a month of one kind of data (the ledger's by default)."""
    form = MonthStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Månadens status kunde inte ändras."))
        return _back(request)
    kind = form.cleaned_data["kind"] or ImportBatch.Kind.ACTUALS
    if not roles.may_import(request.user, kind):
        raise PermissionDenied
    period, closed = form.cleaned_data["manad"], form.cleaned_data["closed"]
    month_status_set(period=period, closed=closed, user=request.user, kind=kind)
    if closed:
        messages.success(request, _("%(month)s är stängd.") % {"month": f"{period:%Y-%m}"})
    else:
        messages.success(
            request,
            _("%(month)s är öppnad och visas som preliminär.") % {"month": f"{period:%Y-%m}"},
        )
    return _back(request)


@require_POST
@permission_required(roles.IMPORT_DATA, raise_exception=True)
def commentary(request):
    form = CommentaryForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Kommentaren kunde inte sparas: högst 2 000 tecken."))
        return _back(request)
    saved = commentary_save(
        period=form.cleaned_data["manad"],
        chart=form.cleaned_data["chart"],
        text=form.cleaned_data["text"],
        user=request.user,
    )
    messages.success(
        request, _("Kommentaren är sparad.") if saved else _("Kommentaren är borttagen.")
    )
    return _back(request)


@permission_required(roles.IMPORT_DATA, raise_exception=True)
def national_upload(request):
    """The small national comparison table (Period;Region;Andel) from SKR's statistics."""
    problems = []
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                quarters = national_import(data=form.cleaned_data["file"].read())
            except ExtractError as exc:
                problems = exc.lines()
            else:
                messages.success(
                    request,
                    _("Nationell jämförelse sparad för %(quarters)s.")
                    % {"quarters": ", ".join(quarters)},
                )
                return redirect("kpis:national_upload")
    else:
        form = UploadForm()
    shares = NationalShare.objects.all().order_by("-quarter", "-share_pct")
    return render(
        request,
        "kpis/national_upload.html",
        {"form": form, "problems": problems, "shares": shares, "nav": "national"},
        status=400 if problems or form.errors else 200,
    )


@permission_required(roles.VIEW_DASHBOARD, raise_exception=True)
def dashboard_csv(request, series):
    """One chart's table as CSV for Swedish Excel: the same table the page shows."""
    if series not in cost_dashboard.CHART_CODES:
        raise Http404(_("Okänd serie."))
    data = selectors.cost_data()
    if data.last_month is None:
        raise Http404(_("Det finns inga utfall ännu."))
    selection, problems = cost_dashboard.parse_selection(request.GET, data=data)
    if problems:
        return HttpResponseBadRequest(" ".join(problems), content_type="text/plain; charset=utf-8")
    national = selectors.national_shares() if series == cost_dashboard.NATIONAL else None
    table = cost_dashboard.series_table(series, data, selection, national=national)
    return exports.download(table, cost_dashboard.csv_filename(series, selection, table))


@permission_required(roles.VIEW_SICK_LEAVE, raise_exception=True)
def sick_leave(request):
    """Sick leave R12 for a month and a scope (GET parameters), every figure of a group
    too small to show withheld (kpis.series.sick_leave_cells)."""
    data = selectors.sick_leave_data()
    if data.last_month is None:
        return render(request, "kpis/sick_leave.html", {"nav": "sick_leave", "empty": True})
    selection, problems = sick_leave_page.parse_selection(request.GET, data=data)
    for problem in problems:
        messages.warning(request, problem)
    context = {
        "nav": "sick_leave",
        "selection": selection,
        "selected_month": selection.month_text,
        "preliminary": data.is_preliminary(selection.month),
        "newest": selection.month == data.last_month,
        "threshold": data.threshold,
        "month_choices": sick_leave_page.month_choices(data),
        "scope_choices": sick_leave_page.scope_choices(data, selection.scope),
        "query": selection.query(),
        "charts": sick_leave_page.build_charts(data, selection),
    }
    return render(request, "kpis/sick_leave.html", context)


@permission_required(roles.VIEW_SICK_LEAVE, raise_exception=True)
def sick_leave_csv(request, code):
    """One sick-leave chart's table as CSV for Swedish Excel, withheld values empty."""
    if code not in sick_leave_page.CHART_CODES:
        raise Http404(_("Okänd serie."))
    data = selectors.sick_leave_data()
    if data.last_month is None:
        raise Http404(_("Det finns ingen sjukfrånvaro ännu."))
    selection, problems = sick_leave_page.parse_selection(request.GET, data=data)
    if problems:
        return HttpResponseBadRequest(" ".join(problems), content_type="text/plain; charset=utf-8")
    table = sick_leave_page.series_table(code, data, selection)
    return exports.download(table, sick_leave_page.csv_filename(code, selection))
