"""What the data migrations that give the role groups their permissions share.

The migrations kpis 0002, 0004, 0007 and survey 0003 call these functions, so
what they do must stay as it is: a change in what a group may do belongs in a
new migration with its own list of permissions, not here.
"""

from django.contrib.auth.management import create_permissions


def create_all_permissions(apps) -> None:
    """Create every model's permissions now: Django normally creates them only after
    all migrations have run, too late for a migration that grants them."""
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def grant_permissions(apps, group_permissions: dict[str, list[str]]) -> None:
    """Give each group its permissions ({group name: ["app_label.codename", ...]}),
    creating the permissions and any missing group first."""
    create_all_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, perms in group_permissions.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        for perm in perms:
            app_label, codename = perm.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def revoke_permissions(apps, group_permissions: dict[str, list[str]]) -> None:
    """Take back what grant_permissions gave; groups that do not exist are skipped."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, perms in group_permissions.items():
        group = Group.objects.filter(name=group_name).first()
        if group is None:
            continue
        for perm in perms:
            app_label, codename = perm.split(".")
            group.permissions.remove(
                *Permission.objects.filter(content_type__app_label=app_label, codename=codename)
            )
