"""Signals between the registers and the subjects that derive data from them.

`registers_changed` is sent inside the transaction that moved units, changed a unit's
care type or an account's category: a subject that keeps sums by department or category
(the cost dashboards' DepartmentMonthlyCost) rebuilds them in its receiver, so the
registers need not know which subjects exist.
"""

from django.dispatch import Signal

registers_changed = Signal()
