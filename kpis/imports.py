"""What the upload pages, the import history and the commands say about an import of the
ledger or payroll extracts: the confirmation page's figures and coverage, what a stored
or undone import replaced. The texts per kind come from kpis.registry.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hyrdash.lib.coverage import Coverage, listed, new_periods_only, period_name, warning_lines
from kpis.batches import closed_months
from kpis.forms import ReplacesForm
from kpis.models import ImportBatch, PendingUpload
from kpis.registry import extract_kind


def replaces_form(pending: PendingUpload, data=None) -> ReplacesForm:
    """The confirmation page's choice of what the file replaces: required for a partial
    file; for a file partial only in months with nothing stored, one choice, importing it
    anyway (hyrdash.lib.coverage)."""
    details = pending.details
    coverages = [Coverage.from_dict(item) for item in details.get("coverage", [])]
    new_months = []
    if new_periods_only(coverages):
        new_months = [c.period for c in coverages if c.partial]
    return ReplacesForm(data, partial=bool(details.get("partial")), new_months=new_months)


def closed_warning(*, kind: str, months: list[str]) -> str:
    """What the confirmation page and the import commands say of a file with months that
    are closed (kpis.batches.closed_months): it is imported all the same, when confirmed;
    '' for a file with none."""
    closed = closed_months(kind=kind, months=months)
    if not closed:
        return ""
    return _(
        "Filen ändrar månader som är stängda (slutliga): %(months)s. Sparas den ändras "
        "deras värden, och styrgruppens publicerade siffror för dem stämmer inte längre."
    ) % {"months": ", ".join(closed)}


def confirm_context(pending: PendingUpload, form) -> dict:
    """The confirmation page: per month and figure the new sums against what is stored;
    per month the units (and accounts) with data now that the file lacks; the warning
    for a partial file; how the file was written; the choice of what it replaces."""
    entry = extract_kind(pending.kind)
    labels = entry.summary_labels()
    summary = [
        dict(row, label=labels[row["category"]][0], decimals=labels[row["category"]][1])
        if row["category"] in labels
        else dict(row, label=row["category"], decimals=2)
        for row in pending.summary
    ]
    details = pending.details
    coverages = [Coverage.from_dict(item) for item in details.get("coverage", [])]
    months = sorted({row["period"] for row in pending.summary})
    return {
        "pending": pending,
        "summary": summary,
        "show_only_units": any(row.get("only_units") is not None for row in summary),
        "caption": entry.caption,
        "summary_heading": entry.summary_heading,
        "coverage": [coverage_row(coverage) for coverage in coverages],
        "show_accounts": details.get("accounts", False),
        "warning": warning_lines(coverages, labels),
        "partial": details.get("partial", False),
        "new_months_only": new_periods_only(coverages),
        "closed_warning": closed_warning(kind=pending.kind, months=months),
        "header_row": details.get("header_row", 1),
        "total_row": details.get("total_row"),
        "debit_credit": details.get("debit_credit", False),
        "form": form,
        "nav": "import",
    }


def coverage_row(coverage: Coverage) -> dict:
    """A month of the coverage table: counts and the missing units and accounts, listed
    up to hyrdash.lib.coverage.MAX_LISTED_UNITS."""
    return {
        "period": coverage.period,
        "units_in_file": coverage.units_in_file,
        "units_stored": coverage.units_stored,
        "units_missing": len(coverage.missing_units),
        "missing_units": listed(coverage.missing_units),
        "accounts_missing": len(coverage.missing_accounts),
        "missing_accounts": listed(coverage.missing_accounts),
        "partial": coverage.partial,
        "compared_with": period_name(coverage.compared_with) if coverage.compared_with else "",
    }


def replaced_text(batch: ImportBatch, unit_count: int) -> str:
    """What an import replaced, as the import summary says it."""
    if batch.replaces == ImportBatch.Replaces.UNITS:
        return ngettext(
            "Bara filens enhet ersattes; andra enheter behöll sina värden.",
            "Bara filens %(count)s enheter ersattes; andra enheter behöll sina värden.",
            unit_count,
        ) % {"count": unit_count}
    return _("Hela månaderna ersattes.")


def closed_text(batch: ImportBatch) -> str:
    """'Stängda månader ändrades: 2026-09, 2026-10.' for an import that changed closed
    months (ImportBatch.closed_months); '' otherwise."""
    if not batch.closed_months:
        return ""
    return _("Stängda månader ändrades: %(months)s.") % {"months": ", ".join(batch.closed_months)}


def stored_message(batch: ImportBatch, check) -> str:
    """The message after an import: its number, rows, months, what it replaced and the
    closed months it changed."""
    months = len(check.months)
    stored = ngettext(
        "Import %(id)s sparad: %(rows)s rader, %(months)s månad.",
        "Import %(id)s sparad: %(rows)s rader, %(months)s månader.",
        months,
    ) % {"id": batch.id, "rows": batch.row_count, "months": months}
    message = f"{stored} {replaced_text(batch, int(check.rows['unit_id'].nunique()))}"
    closed = closed_text(batch)
    return f"{message} {closed}" if closed else message


def undone_message(batch: ImportBatch) -> str:
    """The message after an undo: what got its values back."""
    values = {"id": batch.id, "name": batch.file_name}
    if batch.replaces == ImportBatch.Replaces.UNITS:
        return (
            _(
                "Import %(id)s (%(name)s, bara filens enheter) är ångrad; dess enheter har "
                "sina tidigare värden för dess månader."
            )
            % values
        )
    return _("Import %(id)s (%(name)s) är ångrad; månaderna har sina tidigare värden.") % values
