"""The roles of hyrdash, as Django groups, and the permissions each one holds.

The groups are created by data migrations (kpis 0002, 0004, 0007, 0014); views check
permissions, never group names, so a superuser or a custom group works the same way.
"""

STYRGRUPP = "styrgrupp"
CONTROLLER = "controller"
HR = "hr"
# The staffing office: the consultants' placements under section 12 a, with names.
BEMANNING = "bemanning"

VIEW_DASHBOARD = "kpis.view_dashboard"
IMPORT_DATA = "kpis.import_data"
VIEW_SICK_LEAVE = "kpis.view_sick_leave"
IMPORT_SICK_LEAVE = "kpis.import_sick_leave"
VIEW_PLACEMENTS = "kpis.view_placements"
IMPORT_PLACEMENTS = "kpis.import_placements"

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
    BEMANNING: [VIEW_PLACEMENTS, IMPORT_PLACEMENTS],
}
