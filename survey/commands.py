"""What the survey's two import commands share: the survey year and the report of a file
already in use."""

from hyrdash.lib.commands import BatchImportCommand


class YearImportCommand(BatchImportCommand):
    """An import of one survey year: `import_(data=, file_name=, year=, user=)` stores
    it; `report_stored(batch, summary, year)` says what was stored."""

    import_ = None

    def add_own_arguments(self, parser):
        parser.add_argument("--year", required=True, type=int, help="undersökningsåret, t.ex. 2024")

    def store(self, *, data, file_name, user, options):
        return type(self).import_(data=data, file_name=file_name, year=options["year"], user=user)

    def report(self, batch, check):
        if batch is None:
            self.write_identical(check.identical_to, year=check.year)
            return
        self.report_stored(batch, check.summary(), check.year)

    def report_stored(self, batch, summary: dict, year: int) -> None:
        raise NotImplementedError
