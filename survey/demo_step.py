"""The survey's part of load_demo: the demo years through HR's import commands, and the
demo HR users' areas (registered with kpis.registry in survey.apps)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from django.contrib.auth import get_user_model

from kpis.models import Area
from kpis.organisation import demo as org_demo
from survey.demo import YEARS, generate, questions_of, write_files
from survey.models import HrAccess, Questionnaire
from survey.questionnaires import spec_for

# Who imports the survey in the demo, and the one area the demo HR partner sees.
SURVEY_USER = "hr-strateg"
HR_PARTNER_AREA = org_demo.NSO_SKE


def load_demo_step(command, data, directory: Path, *, seed: int, small: bool) -> None:
    """The survey years 2023 and 2024 for the demo region's units, through HR's import
    commands (load_demo runs this after the extracts; see survey.apps)."""
    questionnaire = Questionnaire.for_year(max(YEARS))
    if questionnaire is None:
        return
    # A reduced demo's units keep the sizes they have in the full region.
    full = org_demo._build_units(np.random.default_rng(seed)) if small else None
    years = generate(data.units, questions_of(spec_for(questionnaire)), seed=seed, scale_from=full)
    for year, answers, staff in write_files(years, directory):
        command.stdout.write(f"Läser in medarbetarundersökningen {year} ({answers.name}) …")
        command.run("import_survey", str(answers), year=year, user=SURVEY_USER)
        command.run("import_survey_population", str(staff), year=year, user=SURVEY_USER)


def assign_hr_areas(command=None) -> None:
    """The demo HR partner sees one area's units, the HR strategist every area's."""
    User = get_user_model()
    partner = User.objects.filter(username="hr").first()
    if partner is not None:
        access, _ = HrAccess.objects.get_or_create(user=partner)
        access.areas.set(Area.objects.filter(name=HR_PARTNER_AREA))
    strategist = User.objects.filter(username="hr-strateg").first()
    if strategist is not None:
        access, _ = HrAccess.objects.get_or_create(user=strategist)
        access.areas.set(Area.objects.all())
