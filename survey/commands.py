"""What the survey's two import commands share: the survey year, --replace-year for a
file that covers clearly less than the year in use, the report of a file already in use
and how to undo the new import."""

from hyrdash.lib.commands import BatchImportCommand


class YearImportCommand(BatchImportCommand):
    """An import of one survey year: `import_(data=, file_name=, year=, user=,
    replace_year=)` stores it; `report_stored(batch, summary, year)` says what was stored."""

    import_ = None

    partial_hint = "Ange --replace-year för att ändå ersätta årets värden med filens."
    new_period_hint = (
        "Ange --replace-year för att ändå importera filen: dess enheter blir allt som finns "
        "för året."
    )
    undo_option = " --survey"

    def add_own_arguments(self, parser):
        parser.add_argument("--year", required=True, type=int, help="undersökningsåret, t.ex. 2024")
        parser.add_argument(
            "--replace-year",
            action="store_true",
            help=(
                "ersätt årets värden även om filen täcker klart mindre än det som används "
                "(för ett år utan värden: än senaste året med värden)"
            ),
        )

    def store(self, *, data, file_name, user, options):
        return type(self).import_(
            data=data,
            file_name=file_name,
            year=options["year"],
            user=user,
            replace_year=options["replace_year"],
        )

    def report(self, batch, check):
        if batch is None:
            self.write_identical(check.identical_to, year=check.year)
            return
        self.report_stored(batch, check.summary(), check.year)
        self.write_undo_hint(batch)

    def report_stored(self, batch, summary: dict, year: int) -> None:
        raise NotImplementedError
