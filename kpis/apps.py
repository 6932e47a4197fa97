from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KpisConfig(AppConfig):
    name = "kpis"
    verbose_name = _("Nyckeltal: personalkostnader och hyrpersonal")

    def ready(self):
        # The registry imports every subject's services, whose signal receivers (the
        # cost sums' rebuild after a register change) must be connected at start-up; so
        # must the data version's, which raise it on every change a page shows.
        from kpis import data_version, registry  # noqa: F401

        data_version.connect()
