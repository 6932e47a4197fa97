"""Migrations that change how the monthly sums are stored keep them on the way back.

kpis 0009 turns MonthlyCost into a view and 0011 makes DepartmentMonthlyCost anew
with a composite primary key. Unapplied, both tables come back filled from the
ledger; applied again, the sums are what they were.
"""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from kpis.models import DepartmentMonthlyCost, MonthlyCost

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
