"""The roles of hyrdash, as Django groups, and the permissions each one holds.

The groups are created by data migrations (kpis 0002, 0004, 0007); views check
permissions, never group names, so a superuser or a custom group works the same way.
"""

STYRGRUPP = "styrgrupp"
CONTROLLER = "controller"
HR = "hr"

VIEW_DASHBOARD = "kpis.view_dashboard"
IMPORT_DATA = "kpis.import_data"
VIEW_SICK_LEAVE = "kpis.view_sick_leave"
IMPORT_SICK_LEAVE = "kpis.import_sick_leave"

# The permission that imports an extract of each kind (ImportBatch.Kind), undoes such
# imports and closes that kind's months: ledger extracts are the controllers', sick
# leave is imported by controllers and HR alike.
IMPORT_PERMISSIONS = {
    "actuals": IMPORT_DATA,
    "budget": IMPORT_DATA,
    "sick_leave": IMPORT_SICK_LEAVE,
}

# codename -> groups holding it ("app_label.codename")
GROUP_PERMISSIONS: dict[str, list[str]] = {
    STYRGRUPP: [VIEW_DASHBOARD, VIEW_SICK_LEAVE],
    CONTROLLER: [
        VIEW_DASHBOARD,
        IMPORT_DATA,
        VIEW_SICK_LEAVE,
        IMPORT_SICK_LEAVE,
        "kpis.view_importbatch",
        *[
            f"kpis.{action}_{model}"
            for model in ("area", "department", "unit", "account")
            for action in ("add", "change", "view")
        ],
    ],
    HR: [VIEW_SICK_LEAVE, IMPORT_SICK_LEAVE],
}


def may_import(user, kind: str) -> bool:
    """Whether the user may import, undo and close months of this kind of extract."""
    permission = IMPORT_PERMISSIONS.get(kind)
    return permission is not None and user.has_perm(permission)


def importable_kinds(user) -> list[str]:
    """The kinds of extract the user may import, in the order the upload form lists them."""
    return [kind for kind in IMPORT_PERMISSIONS if may_import(user, kind)]
