"""Migrations that change how the monthly sums are stored keep them on the way back.

kpis 0009 turns MonthlyCost into a view and 0011 makes DepartmentMonthlyCost anew
with a composite primary key. Unapplied, both tables come back filled from the
ledger; applied again, the sums are what they were. kpis 0016 gives every unit
its first placement (the organisation's history).
"""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from kpis.models import DepartmentMonthlyCost, MonthlyCost, UnitPlacement

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


BEFORE_HISTORY = ("kpis", "0011_departmentmonthlycost_composite_key")


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
