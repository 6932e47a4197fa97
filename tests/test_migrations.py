"""Migrations that change how data is stored keep it on the way back.

kpis 0009 turns MonthlyCost into a view and 0011 makes DepartmentMonthlyCost anew
with a composite primary key. Unapplied, both tables come back filled from the
ledger; applied again, the sums are what they were. kpis 0013 turns the closed months
(one MonthStatus per month) into the last closed month per kind (ClosedThrough), and
back. kpis 0016 gives every unit its first placement (the organisation's history).
"""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from kpis.models import (
    ClosedThrough,
    Commentary,
    DepartmentMonthlyCost,
    MonthlyCost,
    UnitPlacement,
)
from kpis.sick_leave.services import sick_leave_import

from .test_import_costs import MARCH_APRIL, MARCH_APRIL_COSTS, run_import

BEFORE_VIEW = ("kpis", "0008_monthlycost_fewer_indexes")


def sums(model) -> dict:
    """(kind, month, unit or department, category) -> (amount, hours) of a sums model."""
    place = "unit_id" if any(f.name == "unit" for f in model._meta.fields) else "department_id"
    return {
        (row["kind"], row["period"].strftime("%Y-%m"), row[place], row["category"]): (
            row["amount"],
            row["hours"],
        )
        for row in model.objects.values("kind", "period", place, "category", "amount", "hours")
    }


def migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


@pytest.mark.django_db(transaction=True)
def test_the_sums_survive_going_back_to_tables_and_forward_again(registers):
    run_import(MARCH_APRIL)
    units, departments = sums(MonthlyCost), sums(DepartmentMonthlyCost)
    assert len(units) == len(MARCH_APRIL_COSTS)
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes("kpis")
    try:
        executor = migrate([BEFORE_VIEW])
        old = executor.loader.project_state([BEFORE_VIEW]).apps
        # Tables again, with an id: filled from the ledger by the reverse SQL.
        assert sums(old.get_model("kpis", "MonthlyCost")) == units
        assert sums(old.get_model("kpis", "DepartmentMonthlyCost")) == departments
    finally:
        migrate(latest)
    assert sums(MonthlyCost) == units
    assert sums(DepartmentMonthlyCost) == departments


BEFORE_CLOSED_THROUGH = ("kpis", "0011_departmentmonthlycost_composite_key")

SICK_LEAVE_MARCH_APRIL = """Period;Ansvar;Kön;Åldersgrupp;Antal anställda;Ordinarie arbetstid;\
Sjuktimmar dag 1-14;Sjuktimmar dag 15-59;Sjuktimmar dag 60-
2024-03;0101;K;30-49;20;3000;120;30;60
2024-04;0101;K;30-49;20;3000;120;30;60
"""


@pytest.mark.django_db(transaction=True)
def test_closed_months_become_closed_through_a_month_and_comments_the_administrations(
    registers,
):
    run_import(MARCH_APRIL)
    sick_leave_import(data=SICK_LEAVE_MARCH_APRIL.encode(), file_name="sjuk.csv")
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes("kpis")
    try:
        executor = migrate([BEFORE_CLOSED_THROUGH])
        old = executor.loader.project_state([BEFORE_CLOSED_THROUGH]).apps
        # Only April of the ledger was closed (March never was); sick leave: nothing,
        # so under the old rule only its newest month, April, was preliminary.
        old.get_model("kpis", "MonthStatus").objects.create(
            kind="actuals", period=dt.date(2024, 4, 1), closed=True
        )
        old.get_model("kpis", "Commentary").objects.create(
            period=dt.date(2024, 4, 1), chart="agency-r12", text="Färre hyrläkare."
        )
        migrate(latest)
        assert dict(ClosedThrough.objects.values_list("kind", "period")) == {
            "actuals": dt.date(2024, 4, 1),  # what the charts already drew as final
            "sick_leave": dt.date(2024, 3, 1),  # every month but the newest
        }
        assert list(Commentary.objects.values_list("scope", "text")) == [
            ("hsf", "Färre hyrläkare.")
        ]

        executor = migrate([BEFORE_CLOSED_THROUGH])
        old = executor.loader.project_state([BEFORE_CLOSED_THROUGH]).apps
        closed = old.get_model("kpis", "MonthStatus").objects.filter(closed=True)
        assert sorted(closed.values_list("kind", "period")) == [
            ("actuals", dt.date(2024, 3, 1)),
            ("actuals", dt.date(2024, 4, 1)),
            ("sick_leave", dt.date(2024, 3, 1)),
        ]
    finally:
        migrate(latest)


BEFORE_HISTORY = ("kpis", "0015_pack_text_slides")


@pytest.mark.django_db(transaction=True)
def test_every_existing_unit_is_placed_from_the_beginning_where_it_is():
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes("kpis")
    try:
        executor = migrate([BEFORE_HISTORY])
        old = executor.loader.project_state([BEFORE_HISTORY]).apps
        area = old.get_model("kpis", "Area").objects.create(name="Tandvården")
        department = old.get_model("kpis", "Department").objects.create(
            name="Allmäntandvård Umeå", area=area
        )
        for ansvar, care in (("0101", "tandvård"), ("0102", "övrigt")):
            old.get_model("kpis", "Unit").objects.create(
                ansvar=ansvar, name=ansvar, department=department, care_type=care
            )
    finally:
        migrate(latest)
    placed = UnitPlacement.objects.order_by("unit__ansvar")
    assert [
        (p.unit.ansvar, p.valid_from.isoformat(), p.department.name, p.area.name, p.care_type)
        for p in placed
    ] == [
        ("0101", "1900-01-01", "Allmäntandvård Umeå", "Tandvården", "tandvård"),
        ("0102", "1900-01-01", "Allmäntandvård Umeå", "Tandvården", "övrigt"),
    ]


def test_answers_stored_before_questions_were_measures_get_their_questions_sums(registers):
    """survey 0006: an answers batch without its questions' sums gets them from its
    stored answers, the sums an import makes now; backwards they go again."""
    import importlib

    from django.apps import apps

    from survey import services
    from survey.models import SurveyBatch, UnitResult

    # PS_STRESS1 is reversed: 1 scores 100, 5 scores 0. HME_M1: 4 scores 75.
    data = "RespondentID;Ansvar;HME_M1;PS_STRESS1;ENPS\n" + "".join(
        f"r{unit}{i};{unit};{4 if i % 2 else ''};{1 + i % 5};{i % 11}\n"
        for unit in ("0101", "0102", "2001")
        for i in range(7)
    )
    batch, _check = services.answers_import(data=data.encode(), file_name="mu.csv", year=2024)
    questions = UnitResult.objects.filter(batch=batch, measure__in=["HME_M1", "PS_STRESS1"])
    columns = ["unit_id", "measure", "respondents", "answers", "score_sum"]
    made = sorted(questions.values_list(*columns))
    # Three units, each: HME_M1 answered by 3 of 7 (i = 1, 3, 5), 3 x 75 points;
    # PS_STRESS1 by all 7, answers 1, 2, 3, 4, 5, 1, 2: (4+3+2+1+0+4+3) x 25 = 425.
    assert {(m, r, a, s) for _u, m, r, a, s in made} == {
        ("HME_M1", 3, 3, 225.0),
        ("PS_STRESS1", 7, 7, 425.0),
    }
    assert len(made) == 6
    questions.delete()  # as stored before

    migration = importlib.import_module("survey.migrations.0006_question_sums")
    migration.forwards(apps, None)
    assert sorted(questions.values_list(*columns)) == made
    migration.forwards(apps, None)  # again: nothing twice
    assert questions.count() == 6
    migration.backwards(apps, None)
    assert not questions.exists()
    assert SurveyBatch.objects.get(pk=batch.pk).results.filter(measure="hme").exists()
