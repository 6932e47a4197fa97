from hyrdash.lib.commands import ReplacingImportCommand
from hyrdash.lib.formatting import format_number
from kpis.costs.services import cost_figure_labels, costs_check, costs_import
from kpis.imports import closed_warning
from kpis.models import Category, ImportBatch


class Command(ReplacingImportCommand):
    help = (
        "Importera ett kostnadsunderlag ur huvudboken (kolumner: Period;Ansvar;Konto;Belopp "
        "eller Debet och Kredit, och valfritt Timmar). Filen ersätter hela sina månader "
        "(--replace-months) eller bara sina enheter i dem (--only-units); en fil som täcker "
        "klart mindre än det som är sparat importeras bara med ett av valen."
    )

    def add_own_arguments(self, parser):
        parser.add_argument("--kind", required=True, choices=ImportBatch.Kind.values)

    def store(self, *, data, file_name, user, options):
        check = costs_check(data=data, kind=options["kind"])
        self.write_layout(check.layout)
        if check.identical_to is None:
            self.write_closed_warning(closed_warning(kind=options["kind"], months=check.months))
            self.write_coverage(check, cost_figure_labels())
        return costs_import(
            data=data,
            file_name=file_name,
            kind=options["kind"],
            user=user,
            check=check,
            replaces=options["replaces"],
        )

    def write_layout(self, layout) -> None:
        if layout.header_row > 1:
            self.stdout.write(
                f"Rubrikraden är rad {layout.header_row}; raderna ovanför den har inte lästs."
            )
        if layout.total_row is not None:
            self.stdout.write(f"Summaraden på rad {layout.total_row} stämmer med filens summa.")
        if layout.debit_credit:
            self.stdout.write("Belopp är Debet − Kredit.")

    def report(self, batch, check):
        for item in check.skipped:
            self.stdout.write(
                f"Överhoppat konto {item['konto']} (finns inte i kontomappningen): "
                f"{item['rows']} rader, summa {format_number(item['amount'], 2)} kr."
            )
        if batch is None:
            self.write_identical(check.identical_to)
            return
        labels = dict(Category.choices)
        self.stdout.write(
            f"Import {batch.id}: {batch.row_count} rader, månader {check.months[0]}"
            f"–{check.months[-1]} ({len(check.months)} st)."
        )
        for category, amount in check.totals().items():
            self.stdout.write(f"  {labels[category]}: {format_number(amount, 2)} kr")
        self.write_replaced(batch, check)
        self.write_undo_hint(batch)
