from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveyConfig(AppConfig):
    name = "survey"
    verbose_name = _("Medarbetarundersökning")

    def ready(self):
        # What the survey adds to kpis: its export_kpi series, its part of load_demo, its
        # slides in the steering pack and its undo (kpis never imports the survey; the
        # survey builds on kpis).
        from kpis import registry
        from survey import demo_step, exports, pack, services

        registry.register_series_export(
            "survey",
            registry.SeriesExport(
                exports.build,
                columns=exports.COLUMNS,
                months=registry.YEAR,
                load=exports.load,
                parse_scope=exports.parse_scope,
                scope_help=exports.SCOPE_HELP,
            ),
        )
        registry.register_demo_step(demo_step.load_demo_step, after=demo_step.assign_hr_areas)
        registry.register_pack_section("survey", pack.pack_section)
        # undo_import ID --survey: a survey import, numbered apart from the ledger's.
        registry.register_undo("survey", services.batch_undo, services.undone_message)
