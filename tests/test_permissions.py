"""Who may open what: every URL of the site x every role, with the expected status.

The site's URL patterns are walked from the root resolver (kpis, auth, i18n and the
admin). Every pattern outside the admin needs an entry in MATRIX; a new URL without
one fails `test_every_url_has_a_permission_entry`. The admin is covered as a group
(ADMIN_MODELS: one entry per registered model, also required).

Roles: anonymous; styrgrupp; controller (is_staff); hr (a plain member of the hr
group, with no areas assigned: the survey per area only; areas per HR user are
tested in tests/test_survey_pages.py); bemanning (the staffing office: the consultants'
placements under section 12 a with names, and their import; nothing else); superuser.

Statuses: a number is the expected status code; LOGIN is a redirect (302) to a login
page with ?next=<the URL asked for>.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from urllib.parse import quote

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, Permission, User
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.resolvers import RegexPattern, RoutePattern

from kpis.costs import services as cost_services
from kpis.models import (
    Area,
    ClosedThrough,
    Commentary,
    ImportBatch,
    NationalShare,
    PendingPlacementUpload,
    PendingUpload,
    PlacementAction,
    PlacementBatch,
)
from kpis.placements import services as placement_services
from kpis.sick_leave import services as sick_leave_services
from survey import services as survey_services
from survey.models import HrAccess, PendingSurveyUpload
from tests.conftest import make_user

ROLES = ["anonymous", "styrgrupp", "controller", "hr", "bemanning", "superuser"]
LOGIN = "login"


def row(anonymous, styrgrupp, controller, hr, bemanning, superuser) -> dict[str, object]:
    return dict(
        zip(ROLES, (anonymous, styrgrupp, controller, hr, bemanning, superuser), strict=True)
    )


# Who may see the dashboard (kpis.view_dashboard): styrgrupp, controller, superuser.
VIEWERS = row(LOGIN, 200, 200, 403, 403, 200)
# Who may import (kpis.import_data): controller, superuser.
IMPORTERS = row(LOGIN, 403, 200, 403, 403, 200)
# Who may see sick leave (kpis.view_sick_leave): styrgrupp, controller, hr, superuser.
SICK_LEAVE_VIEWERS = row(LOGIN, 200, 200, 200, 403, 200)
# The upload page and the import history: whoever may import some kind of extract
# (kpis.registry's permissions: the controller the ledger and sick leave, hr sick leave).
UPLOADERS = row(LOGIN, 403, 200, 200, 403, 200)
# Who may see the survey (survey.view_survey): styrgrupp, controller, hr, superuser.
SURVEY_VIEWERS = row(LOGIN, 200, 200, 200, 403, 200)
# Who may import the survey (survey.import_survey): hr, superuser.
SURVEY_IMPORTERS = row(LOGIN, 403, 403, 200, 403, 200)
# Who may see the consultants' placements with names (kpis.view_placements) and import
# them (kpis.import_placements): bemanning, superuser.
PLACEMENTS = row(LOGIN, 403, 403, 403, 200, 200)
# The hours per month from the placements beside the ledger's (no names): whoever sees
# the cost dashboard or the placements.
PLACEMENT_HOURS = row(LOGIN, 200, 200, 403, 200, 200)
# A POST-only view: GET is refused by method before anything else.
POST_ONLY = row(LOGIN, 405, 405, 405, 405, 405)
# Any signed-in user.
SIGNED_IN_REDIRECT = row(LOGIN, 302, 302, 302, 302, 302)


@dataclass(frozen=True)
class Entry:
    get: dict[str, object]
    post: dict[str, object] | None = None
    post_data: dict[str, str] | None = None


# url name -> what each role gets. POST rows for every view that changes something.
MATRIX: dict[str, Entry] = {
    # The site's address: without access, the user's start page instead of a refusal
    # (with a selection in the URL, 403: test_dashboard.py).
    "kpis:dashboard": Entry(get=row(LOGIN, 200, 200, 302, 302, 200)),
    "kpis:dashboard_csv": Entry(get=VIEWERS),
    "kpis:upload": Entry(
        get=UPLOADERS,
        # No file: the form again with its error (400) for those who may import (for
        # hr the kind "actuals" is no choice either).
        post=row(LOGIN, 403, 400, 400, 403, 400),
        post_data={"kind": "actuals"},
    ),
    "kpis:upload_confirm": Entry(
        # The pending upload belongs to the controller: nobody else sees it, not
        # even a superuser (404, not someone else's file).
        get=row(LOGIN, 403, 200, 404, 403, 404),
        post=row(LOGIN, 403, 302, 404, 403, 404),
        post_data={"cancel": "1"},
    ),
    # hr sees (and may undo) the sick-leave imports only; the sample batch is actuals.
    "kpis:batches": Entry(get=UPLOADERS),
    "kpis:batch_undo": Entry(get=POST_ONLY, post=row(LOGIN, 403, 302, 403, 403, 302)),
    "kpis:month_status": Entry(
        get=POST_ONLY,
        post=row(LOGIN, 403, 302, 403, 403, 302),
        post_data={"manad": "2024-04", "closed": "on"},
    ),
    "kpis:commentary": Entry(
        get=POST_ONLY,
        post=row(LOGIN, 403, 302, 403, 403, 302),
        post_data={"manad": "2024-04", "chart": "agency-r12", "text": "Kommentar"},
    ),
    "kpis:national_upload": Entry(
        get=IMPORTERS,
        post=row(LOGIN, 403, 400, 403, 403, 400),
        post_data={},
    ),
    "kpis:national_upload_confirm": Entry(
        # The controller's pending national table: nobody else sees it (404).
        get=row(LOGIN, 403, 200, 403, 403, 404),
        post=row(LOGIN, 403, 302, 403, 403, 404),
        post_data={"cancel": "1"},
    ),
    # The steering pack: the page and its download for whoever sees the dashboard; the
    # month's text slides are the controller's.
    "kpis:pack": Entry(get=VIEWERS),
    "kpis:pack_download": Entry(get=VIEWERS),
    "kpis:pack_texts": Entry(
        get=POST_ONLY,
        post=row(LOGIN, 403, 302, 403, 403, 302),
        post_data={
            "manad": "2024-04",
            "urval": "hsf",
            "texter-TOTAL_FORMS": "1",
            "texter-INITIAL_FORMS": "0",
            "texter-0-title": "Prioriterade åtgärder",
            "texter-0-text": "Stärka chefer",
        },
    ),
    "survey:results": Entry(get=SURVEY_VIEWERS),
    "survey:results_csv": Entry(get=SURVEY_VIEWERS),
    "survey:upload": Entry(
        get=SURVEY_IMPORTERS,
        post=row(LOGIN, 403, 403, 400, 403, 400),
        post_data={"kind": "answers", "year": "2024"},
    ),
    "survey:upload_confirm": Entry(
        # The pending upload belongs to the HR user: nobody else sees it.
        get=row(LOGIN, 403, 403, 200, 403, 404),
        post=row(LOGIN, 403, 403, 302, 403, 404),
        post_data={"cancel": "1"},
    ),
    "survey:batches": Entry(get=SURVEY_IMPORTERS),
    "survey:batch_undo": Entry(get=POST_ONLY, post=row(LOGIN, 403, 403, 302, 403, 302)),
    "kpis:sick_leave": Entry(get=SICK_LEAVE_VIEWERS),
    "kpis:sick_leave_csv": Entry(get=SICK_LEAVE_VIEWERS),
    "placements:list": Entry(get=PLACEMENTS),
    "placements:csv": Entry(get=PLACEMENTS),
    "placements:consultant": Entry(get=PLACEMENTS),
    "placements:action": Entry(
        get=POST_ONLY,
        post=row(LOGIN, 403, 403, 403, 302, 302),
        post_data={"kind": "offer_made", "date": "2026-05-02"},
    ),
    "placements:transition": Entry(get=POST_ONLY, post=row(LOGIN, 403, 403, 403, 302, 302)),
    "placements:hours": Entry(get=PLACEMENT_HOURS),
    "placements:upload": Entry(
        get=PLACEMENTS,
        post=row(LOGIN, 403, 403, 403, 400, 400),  # no file: the form again
        post_data={},
    ),
    "placements:upload_confirm": Entry(
        # The pending upload belongs to the bemanning user: nobody else sees it.
        get=row(LOGIN, 403, 403, 403, 200, 404),
        post=row(LOGIN, 403, 403, 403, 302, 404),
        post_data={"cancel": "1"},
    ),
    "placements:batches": Entry(get=PLACEMENTS),
    "placements:batch_undo": Entry(get=POST_ONLY, post=row(LOGIN, 403, 403, 403, 302, 302)),
    # Where a login lands: a redirect to each role's first page (hyrdash.views.start).
    "start": Entry(get=row(LOGIN, 302, 302, 302, 302, 302)),
    "login": Entry(get=row(200, 200, 200, 200, 200, 200)),
    # Django's LogoutView takes POST only.
    "logout": Entry(get=POST_ONLY, post=SIGNED_IN_REDIRECT),
    # Open to everybody (the login page has the language switch too): a redirect to next.
    "set_language": Entry(
        get=row(302, 302, 302, 302, 302, 302),
        post=row(302, 302, 302, 302, 302, 302),
        post_data={"language": "sv", "next": "/"},
    ),
}

# The admin, per registered model: (changelist, add) for the controller and the
# superuser. Anonymous users and users without is_staff are sent to a login page
# on every admin URL (test_the_admin_is_closed_to_anonymous_and_non_staff_users).
ADMIN_MODELS: dict[str, dict[str, tuple[int, int]]] = {
    "auth.group": {"controller": (403, 403), "superuser": (200, 200)},
    "auth.user": {"controller": (403, 403), "superuser": (200, 200)},
    "axes.accessattempt": {"controller": (403, 403), "superuser": (200, 403)},
    "axes.accesslog": {"controller": (403, 403), "superuser": (200, 403)},
    "axes.accessfailurelog": {"controller": (403, 403), "superuser": (200, 403)},
    # The registers and the account mapping (kpis 0002).
    "kpis.area": {"controller": (200, 200), "superuser": (200, 200)},
    "kpis.department": {"controller": (200, 200), "superuser": (200, 200)},
    "kpis.unit": {"controller": (200, 200), "superuser": (200, 200)},
    "kpis.account": {"controller": (200, 200), "superuser": (200, 200)},
    # Import history is read-only for everybody; imports go through the upload pages.
    "kpis.importbatch": {"controller": (200, 403), "superuser": (200, 403)},
    # Targets, commentary, national table (kpis 0004), closed months (kpis 0013).
    "kpis.target": {"controller": (200, 200), "superuser": (200, 200)},
    "kpis.closedthrough": {"controller": (200, 200), "superuser": (200, 200)},
    "kpis.commentary": {"controller": (200, 200), "superuser": (200, 200)},
    "kpis.nationalshare": {"controller": (200, 200), "superuser": (200, 200)},
    # The survey's questionnaires, thresholds and HR areas: the superuser's (survey 0001).
    "survey.questionnaire": {"controller": (403, 403), "superuser": (200, 200)},
    "survey.dimension": {"controller": (403, 403), "superuser": (200, 200)},
    "survey.question": {"controller": (403, 403), "superuser": (200, 200)},
    "survey.surveyyear": {"controller": (403, 403), "superuser": (200, 200)},
    "survey.hraccess": {"controller": (403, 403), "superuser": (200, 200)},
    # Survey import history is read-only; imports go through the HR pages.
    "survey.surveybatch": {"controller": (403, 403), "superuser": (200, 403)},
    # Who saw the consultants' names: the superuser reads it, nobody writes it by hand.
    "kpis.placementaccesslog": {"controller": (403, 403), "superuser": (200, 403)},
}
SURVEY_ANSWERS = """RespondentID;Ansvar;HME_M1;ENPS
""" + "".join(f"r{i};{'0101' if i < 6 else '2001'};4;8\n" for i in range(12))

SICK_LEAVE = """Period;Ansvar;Kön;Åldersgrupp;Antal anställda;Ordinarie arbetstid;\
Sjuktimmar dag 1-14;Sjuktimmar dag 15-59;Sjuktimmar dag 60-
2024-03;0101;K;30-49;20;3000;120;30;60
2024-03;2001;M;50-;15;2250;45;0;0
"""
PLACEMENTS_CSV = """KonsultID;Konsult;Bemanningsföretag;Yrkesgrupp;Ansvar;Startdatum;Slutdatum;Timmar
K1;Anna Alm;Vårdkraft AB;Läkare;0101;2024-05-01;2026-06-30;2000
"""
COSTS = """Period;Ansvar;Konto;Belopp;Timmar
2024-03;0101;4601;100 000;120
2024-03;2001;5111;1 000 000;
2024-04;0101;4601;80 000;100
2024-04;2001;5111;1 050 000;
"""


# --- the site's URL patterns ---------------------------------------------------------


@dataclass(frozen=True)
class Url:
    name: str | None  # "namespace:name", None for unnamed patterns
    route: str  # the full pattern, for messages
    pattern: URLPattern

    @property
    def key(self) -> str:
        return self.name or self.route

    @property
    def is_admin(self) -> bool:
        return self.route.startswith("admin/")


def site_urls(resolver: URLResolver | None = None, prefix="", namespace=None) -> list[Url]:
    """Every URL pattern of the site, recursively (admin and auth included)."""
    resolver = resolver or get_resolver()
    found = []
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            found += site_urls(pattern, route, inner)
        else:
            name = pattern.name and (f"{namespace}:{pattern.name}" if namespace else pattern.name)
            found.append(Url(name, route, pattern))
    return found


def url_of(url: Url, args: dict[str, str]) -> str:
    """A concrete path for the pattern, with the sample argument values."""
    pattern = url.pattern.pattern
    if url.name:
        kwargs = {key: args[key] for key in url.pattern.pattern.regex.groupindex}
        path = reverse(url.name, kwargs=kwargs)
    elif isinstance(pattern, RoutePattern):
        path = "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(args[m.group(1)]), url.route)
    elif isinstance(pattern, RegexPattern) and url.route.endswith("(?P<url>.*)$"):
        path = "/admin/finns-inte/"  # the admin's catch-all
    else:
        raise AssertionError(f"no sample path for the unnamed pattern {url.route}")
    match = resolve(path)
    assert match.func is url.pattern.callback, f"{path} does not resolve to {url.route}"
    return path


# --- the sample data and the users ---------------------------------------------------


@pytest.fixture
def site(registers, settings):
    """Every role's user, and the objects the URLs with parameters need."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed
    controller = make_user("ctrl", "controller", is_staff=True)
    assert set(
        Group.objects.get(name="bemanning").permissions.values_list("codename", flat=True)
    ) == {"view_placements", "import_placements"}, "bemanning's permissions changed: see MATRIX"
    users = {
        "anonymous": None,
        "styrgrupp": make_user("styr", "styrgrupp"),
        "controller": controller,
        "hr": make_user("hrp", "hr"),
        "bemanning": make_user("bem", "bemanning"),
        "superuser": User.objects.create_superuser("root", password="pw-root"),
    }
    batch, _check = cost_services.costs_import(
        data=COSTS.encode(), file_name="utfall.csv", kind=ImportBatch.Kind.ACTUALS
    )
    pending = PendingUpload.objects.create(
        kind="actuals", file_name="p.csv", data=b"x", checksum="0", created_by=controller
    )
    national_pending = PendingUpload.objects.create(
        kind=PendingUpload.NATIONAL,
        file_name="n.csv",
        data=b"x",
        checksum="0",
        created_by=controller,
    )
    ClosedThrough.objects.create(kind="actuals", period=dt.date(2024, 3, 1))
    Commentary.objects.create(period=dt.date(2024, 3, 1), chart="agency-r12", text="Text")
    NationalShare.objects.create(quarter="2024-Q1", region="Riket", share_pct=2)
    sick_leave_services.sick_leave_import(data=SICK_LEAVE.encode(), file_name="sjuk.csv")
    survey_batch, _check = survey_services.answers_import(
        data=SURVEY_ANSWERS.encode(), file_name="mu.csv", year=2024
    )
    survey_pending = PendingSurveyUpload.objects.create(
        kind="answers",
        year=2024,
        file_name="p.csv",
        data=b"x",
        checksum="0",
        created_by=users["hr"],
    )
    placement_batch, _check = placement_services.placements_import(
        data=PLACEMENTS_CSV.encode(), file_name="placeringar.csv"
    )
    placement_pending = PendingPlacementUpload.objects.create(
        file_name="p.csv", data=b"x", checksum="0", created_by=users["bemanning"]
    )
    args = {
        "pending_id": pending.id,
        "batch_id": batch.id,
        "series": "agency-r12",
        "object_id": "1",
        "id": str(users["styrgrupp"].id),
        "content_type_id": "1",
        "app_label": "kpis",
        "code": "sick-leave-r12",
        "chart": "hme",
        "upload_id": survey_pending.id,
        "import_id": survey_batch.id,
        "consultant_id": "K1",
        "placement_upload_id": placement_pending.id,
        "placement_import_id": placement_batch.id,
        "national_upload_id": national_pending.id,
    }
    return users, args


def sign_in(client, users, role):
    if users[role] is not None:
        client.force_login(users[role])  # axes needs a request for client.login


def check(response, expected, path) -> str | None:
    """None when the response is what the matrix says, else what differs."""
    if expected == LOGIN:
        location = response.get("Location", "")
        wanted = (f"{reverse('login')}?next={quote(path)}", f"/admin/login/?next={quote(path)}")
        if response.status_code == 302 and location in wanted:
            return None
        return f"{response.status_code} {location or ''} (expected a redirect to the login)"
    if response.status_code != expected:
        return f"{response.status_code} (expected {expected})"
    return None


# --- the matrix ----------------------------------------------------------------------


def test_every_url_has_a_permission_entry():
    missing = [u.key for u in site_urls() if not u.is_admin and u.key not in MATRIX]
    assert not missing, "new URL without a permission entry: " + ", ".join(missing)
    stale = set(MATRIX) - {u.key for u in site_urls()}
    assert not stale, f"permission entries for URLs that no longer exist: {sorted(stale)}"


def test_every_admin_model_has_a_permission_entry():
    registered = {model._meta.label_lower for model in admin.site._registry}
    missing = sorted(registered - set(ADMIN_MODELS))
    assert not missing, "new admin model without a permission entry: " + ", ".join(missing)
    assert not set(ADMIN_MODELS) - registered


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_what_the_matrix_says(client, site, role):
    users, args = site
    sign_in(client, users, role)
    urls = [(url, MATRIX[url.key], url_of(url, args)) for url in site_urls() if not url.is_admin]
    wrong = []
    # Every GET first: the POSTs change data (undo the batch, cancel the upload, log out).
    for url, entry, path in urls:
        problem = check(client.get(path), entry.get[role], path)
        if problem:
            wrong.append(f"GET {url.key} {path}: {problem}")
    for url, entry, path in urls:
        if entry.post is not None:
            problem = check(client.post(path, entry.post_data or {}), entry.post[role], path)
            if problem:
                wrong.append(f"POST {url.key} {path}: {problem}")
            sign_in(client, users, role)  # again, after the logout
    assert not wrong, f"{role}:\n" + "\n".join(wrong)


@pytest.mark.parametrize("role", ["styrgrupp", "controller", "hr", "bemanning", "superuser"])
def test_a_refused_post_changes_nothing(client, site, role):
    users, args = site
    sign_in(client, users, role)
    batch = ImportBatch.objects.get(pk=args["batch_id"])
    may_import = users[role].has_perm("kpis.import_data")

    client.post(reverse("kpis:batch_undo", args=[batch.id]))
    client.post(reverse("kpis:month_status"), {"manad": "2024-03", "closed": ""})
    client.post(reverse("kpis:upload_confirm", args=[args["pending_id"]]), {"cancel": "1"})

    batch.refresh_from_db()
    assert (batch.undone_at is not None) == may_import
    # reopening March leaves the months closed through February
    closed = ClosedThrough.objects.get(kind="actuals").period
    assert closed == (dt.date(2024, 2, 1) if may_import else dt.date(2024, 3, 1))
    # Only its owner, the controller, may cancel the pending upload.
    outcome = PendingUpload.objects.get(pk=args["pending_id"]).outcome
    assert outcome == ("cancelled" if role == "controller" else "")


@pytest.mark.parametrize("role", ["styrgrupp", "controller", "hr", "bemanning", "superuser"])
def test_a_refused_post_changes_no_placements(client, site, role):
    users, args = site
    sign_in(client, users, role)
    may_import = role in ("bemanning", "superuser")
    batch = PlacementBatch.objects.get(pk=args["placement_import_id"])

    client.post(
        reverse("placements:action", args=["K1"]), {"kind": "offer_made", "date": "2026-05-02"}
    )
    client.post(reverse("placements:transition"))
    client.post(reverse("placements:batch_undo", args=[batch.id]))
    client.post(
        reverse("placements:upload_confirm", args=[args["placement_upload_id"]]), {"cancel": "1"}
    )

    batch.refresh_from_db()
    assert (batch.undone_at is not None) == may_import
    # The action and the transition decision (K1 started before 2026-04-30 and ended
    # after 2023-05-01, when the window ending on it begins) for K1.
    assert PlacementAction.objects.filter(consultant_id="K1").count() == (2 if may_import else 0)
    # Only its owner, the bemanning user, may cancel the pending upload.
    outcome = PendingPlacementUpload.objects.get(pk=args["placement_upload_id"]).outcome
    assert outcome == ("cancelled" if role == "bemanning" else "")


def test_anonymous_users_are_sent_to_the_login_from_every_page(client, site):
    """Outside the admin, the login page itself and the language switch, by GET and POST."""
    _users, args = site
    login = reverse("login")
    for url in site_urls():
        if url.is_admin or url.name in {"login", "set_language"}:
            continue
        path = url_of(url, args)
        for method in (client.get, client.post):
            response = method(path)
            assert response.status_code == 302, (url.key, method)
            assert response["Location"] == f"{login}?next={quote(path)}", url.key


def test_the_url_walk_finds_the_app_auth_and_admin_urls():
    names = {u.key for u in site_urls()}
    assert {"kpis:dashboard", "kpis:batch_undo", "login", "logout", "admin:index"} <= names
    assert "admin:kpis_area_changelist" in names
    assert "admin:auth_user_password_change" in names


# --- the start page ------------------------------------------------------------------

# Where /start/ sends each role.
START = {
    "styrgrupp": "/",
    "controller": "/",
    "hr": "/medarbetarundersokning/",
    "bemanning": "/bemanning/",
    "superuser": "/",
}


def test_the_start_page_tells_a_user_without_a_role_there_is_nothing_yet(client, registers):
    client.force_login(make_user("ingen"))
    response = client.get(reverse("start"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Ditt konto har inga sidor ännu" in page
    assert "Ingen behörighet" not in page


def hr_with_one_area(username="hr1"):
    user = make_user(username, "hr")
    access = HrAccess.objects.create(user=user)
    access.areas.set(Area.objects.filter(name="Länssjukvårdsområde 1"))
    return user


@pytest.mark.parametrize("role", ROLES)
def test_the_start_page_sends_each_role_to_its_first_page(client, site, role):
    users, _args = site
    if role == "hr":
        users = dict(users, hr=hr_with_one_area())  # an HR partner, as in real life
    sign_in(client, users, role)
    response = client.get(reverse("start"))
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('login')}?next={quote(reverse('start'))}"
        return
    assert response.status_code == 302
    assert response["Location"] == START[role]
    assert client.get(response["Location"]).status_code == 200  # a page it may open


@pytest.mark.parametrize(
    ("groups", "permissions", "expected"),
    [
        # A custom group with sick leave only: the sick-leave page.
        ([], ["kpis.view_sick_leave"], "/sjukfranvaro/"),
        # Import rights only: the upload page of that kind.
        ([], ["kpis.import_sick_leave"], "/importera/"),
        ([], ["survey.import_survey"], "/medarbetarundersokning/importera/"),
        # The consultants' placements: their list.
        ([], ["kpis.view_placements"], "/bemanning/"),
        # Both the dashboard and the survey: the dashboard comes first.
        (["hr", "styrgrupp"], [], "/"),
    ],
)
def test_the_start_page_follows_permissions_not_group_names(
    client, registers, groups, permissions, expected
):
    user = make_user("someone", *groups)
    for permission in permissions:
        app_label, codename = permission.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    client.force_login(user)
    response = client.get(reverse("start"))
    assert (response.status_code, response["Location"]) == (302, expected)
    assert client.get(expected).status_code == 200


def test_a_staff_user_with_only_the_registers_starts_in_the_admin(client, registers):
    user = make_user("reg", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_area"))
    client.force_login(user)
    response = client.get(reverse("start"))
    assert (response.status_code, response["Location"]) == (302, reverse("admin:index"))


@pytest.mark.parametrize(
    ("username", "next_path", "lands"),
    [
        # No next: LOGIN_REDIRECT_URL, the start page, for everyone.
        ("styr", None, "/start/"),
        ("hrp", None, "/start/"),
        # The bare site root (what opening the address asks for) is no choice of page.
        ("hrp", "/", "/start/"),
        ("styr", "/", "/start/"),
        # A page asked for is kept, with its parameters.
        ("hrp", "/sjukfranvaro/", "/sjukfranvaro/"),
        ("styr", "/?urval=hsf", "/?urval=hsf"),
    ],
)
def test_a_login_lands_on_the_start_page(client, site, username, next_path, lands):
    data = {"username": username, "password": f"pw-{username}"}
    if next_path is not None:
        data["next"] = next_path
    response = client.post(reverse("login"), data)
    assert (response.status_code, response["Location"]) == (302, lands)


def test_hr_logs_in_from_the_site_address_and_reaches_the_survey(client, site):
    """The whole way, as a browser goes: /, the login, /start/, the survey page."""
    response = client.get("/", follow=True)
    assert response.redirect_chain == [(f"{reverse('login')}?next=/", 302)]
    response = client.post(
        response.redirect_chain[-1][0],
        {"username": "hrp", "password": "pw-hrp", "next": "/"},
        follow=True,
    )
    assert response.redirect_chain == [("/start/", 302), ("/medarbetarundersokning/", 302)]
    assert response.status_code == 200


def test_the_brand_and_the_refusal_link_to_the_start_page(client, site):
    users, _args = site
    sign_in(client, users, "hr")
    refused = client.get(reverse("kpis:dashboard") + "?urval=hsf")
    assert refused.status_code == 403
    page = refused.content.decode()
    assert '<a class="navbar-brand" href="/start/">hyrdash</a>' in page
    assert '<a href="/start/">Till din startsida</a>' in page


# --- the admin -----------------------------------------------------------------------


@pytest.mark.parametrize("role", ["anonymous", "styrgrupp", "hr", "bemanning"])
def test_the_admin_is_closed_to_anonymous_and_non_staff_users(client, site, role):
    users, args = site
    sign_in(client, users, role)
    wrong = []
    for url in site_urls():
        if not url.is_admin:
            continue
        path = url_of(url, args)
        if url.name == "admin:login":
            # The form (for a signed-in user without is_staff: "not authorised").
            expected = 200
        elif url.name == "admin:logout" and role != "anonymous":
            expected = 302  # to the admin index, which sends them to the login
        else:
            expected = LOGIN
        problem = check(client.get(path), expected, path)
        if problem:
            wrong.append(f"GET {url.key} {path}: {problem}")
    assert not wrong, f"{role}:\n" + "\n".join(wrong)


@pytest.mark.parametrize("role", ["controller", "superuser"])
def test_staff_get_the_admin_pages_their_permissions_allow(client, site, role):
    users, _args = site
    sign_in(client, users, role)
    wrong = []
    assert client.get(reverse("admin:index")).status_code == 200
    for label, expected in ADMIN_MODELS.items():
        app_label, model = label.split(".")
        changelist, add = expected[role]
        for view, status in (("changelist", changelist), ("add", add)):
            got = client.get(reverse(f"admin:{app_label}_{model}_{view}")).status_code
            if got != status:
                wrong.append(f"{label} {view}: {got} (expected {status})")
    assert not wrong, f"{role}:\n" + "\n".join(wrong)


def with_object(url: Url, args: dict[str, str]) -> dict[str, str]:
    """The sample arguments, with object_id an object of the URL's model if there is one."""
    match = re.match(r"admin/(\w+)/(\w+)/", url.route)
    if not match:
        return args
    label = ".".join(match.groups())
    model = next((m for m in admin.site._registry if m._meta.label_lower == label), None)
    first = model and model.objects.order_by("pk").first()
    return args if first is None else dict(args, object_id=str(first.pk), id=str(first.pk))


def test_the_controller_cannot_reach_users_groups_or_login_records(client, site):
    """is_staff for the registers, nothing more: no way to raise its own rights."""
    users, args = site
    # Records in axes' tables: a failed and a successful login through the form.
    assert (
        client.post(reverse("login"), {"username": "ctrl", "password": "pw-ctrl"}).status_code
        == 302
    )
    client.post(reverse("login"), {"username": "ingen", "password": "fel"})
    for url in site_urls():
        if url.route.startswith(("admin/auth/", "admin/axes/")) and url.name != "admin:app_list":
            url_args = with_object(url, args)
            path = url_of(url, url_args)
            response = client.get(path, follow=True)
            if url_args is args and "object_id" in url.route:
                # No such object (axes keeps no failure log): Django's "does not exist"
                # redirect to the admin index comes before the permission check.
                assert response.status_code == 403 or response.redirect_chain[-1:] == [
                    (reverse("admin:index"), 302)
                ], url.key
                continue
            assert response.status_code == 403, (url.key, path, response.status_code)
            response = client.post(path, {"is_superuser": "on", "username": "ctrl"}, follow=True)
            assert response.status_code in (403, 405), (url.key, path, response.status_code)
    for app_label in ("auth", "axes"):
        response = client.get(reverse("admin:app_list", args=[app_label]))
        assert response.status_code == 404, app_label
    users["controller"].refresh_from_db()
    assert not users["controller"].is_superuser


@pytest.mark.parametrize("role", ["controller", "superuser"])
def test_no_admin_url_fails_for_staff(client, site, role):
    """Every admin URL, with an object that exists where there is one: never a 500."""
    users, args = site
    sign_in(client, users, role)
    for url in site_urls():
        if not url.is_admin or url.name == "admin:logout":
            continue
        path = url_of(url, with_object(url, args))
        response = client.get(path)
        assert response.status_code in (200, 302, 403, 404), (url.key, path, response.status_code)
