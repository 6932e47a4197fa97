"""A move from a month whose sick leave has been shown: the restated figures hide more
where the figures shown before would otherwise reveal a hidden one
(kpis.organisation.services.move_audit, history.move_withholding), the figures withheld
are stored with the move (kpis.WithheldFigure) and every page, CSV and export_kpi
withholds them; refused only when no withholding protects everything.

On the `registers` organisation with tests/sick_leave_data.py and `sick_leave_0102`
(see tests/test_reorganisation.py).
"""

import pandas as pd
import pytest
from django.core.management import CommandError
from django.urls import reverse

from hyrdash.lib.disclosure import ProtectionError
from kpis.models import Unit, WithheldFigure
from tests.sick_leave_data import KIRURGI, LSO, MONTHS, NSO, PV_SKE
from tests.sick_leave_data import import_sick_leave as sick_leave_import
from tests.sick_leave_data import rows as sick_leave_rows
from tests.test_reorganisation import (
    _unit_form,
    every_sick_leave_figure,
    import_org,
    org_file,
    placements,
    sick_hours,
)

REFUSED_0102 = (
    "Flytten kan inte gälla från 2024-07: siffror för de månaderna har redan visats, och "
    "tillsammans med de omräknade skulle de röja enhet 0102: Kvinnor (2024-07); "
)
RESTATED_0102 = pd.period_range("2024-07", "2025-03", freq="M")
WITHHELD_0102 = (
    "För att de omräknade siffrorna inte ska röja något tillsammans med dem som redan har "
    "visats döljs 108 siffror till för sjukfrånvaron: "
    + ", ".join(f"{month} (12)" for month in RESTATED_0102.strftime("%Y-%m"))
    + "."
)
# Every figure the move changes that the month's own rule would show: Kirurgiskt centrum
# and its area (2001, and 0102's 8 women and 5 men, all 30-49) in every group but the
# age bands 0102 has nobody in; Primärvård Skellefteå and its area (0101 alone after)
# in total and 30-49 (its 6 men are hidden, so are its women, the complement).
WITHHELD_EACH_MONTH = {
    *((node, group) for node in (f"department:{KIRURGI}", f"area:{LSO}")
      for group in ("total", "K", "M", "30-49")),
    *((node, group) for node in (f"department:{PV_SKE}", f"area:{NSO}")
      for group in ("total", "30-49")),
}  # fmt: skip


@pytest.fixture
def sick_leave_0102(registers):
    """The sick-leave data set, and 0102 (8 women, 5 men, all 30-49) every month:
    Primärvård Skellefteå is 0101 and 0102, 39 people (28 women, 11 men: both shown)."""
    extra = [
        (month, "0102", gender, "30-49", size, size * 150, size * 5, 0, 0)
        for month in MONTHS
        for gender, size in (("K", 8), ("M", 5))
    ]
    return sick_leave_import([*sick_leave_rows(), *extra])


def withheld(month: str) -> set[tuple[str, str]]:
    return set(WithheldFigure.objects.filter(month=f"{month}-01").values_list("node", "group"))


def duration_download(client, scope: str) -> dict[str, list[str]]:
    """The page's CSV of the duration chart for `scope`, {month: its fields}."""
    response = client.get(
        reverse("kpis:sick_leave_csv", args=["sick-leave-duration"]),
        {"manad": "2025-03", "urval": scope},
    )
    assert response.status_code == 200
    lines = response.content.decode("utf-8").lstrip("\ufeff").splitlines()[1:]
    return {line.split(";")[0]: line.split(";")[1:] for line in lines}


def assert_kept_or_withheld(after: dict[tuple, str], before: dict[tuple, str]) -> set[str]:
    """Every figure of `before` is in `after` with the same values, or withheld there
    (no value, suppressed); the months with a figure withheld now."""
    months = set()
    assert after.keys() == before.keys()
    for key, table in before.items():
        old, new = table.splitlines(), after[key].splitlines()
        assert old[0] == new[0] and len(old) == len(new), key
        for was, now in zip(old[1:], new[1:], strict=True):
            if was != now:
                fields = now.split(",")
                assert fields[-1] == "1" and set(fields[2:-2]) <= {""}, (key, was, now)
                months.add(fields[0])
    return months


def test_an_earlier_month_that_would_reveal_a_small_group_withholds_more(sick_leave_0102,
                                                                         tmp_path, client,
                                                                         superuser):  # fmt: skip
    from kpis.sick_leave.releases import sick_leave_releases
    from tests.test_organisation_history import joint_exposures

    client.force_login(superuser)
    assert duration_download(client, f"department:{PV_SKE}")["2024-07"][:2] == ["39", "302,00"]
    assert sick_hours(f"department:{PV_SKE}", "2024-07") == "302.00"  # 237 + 8 x 5 + 5 x 5
    shown = every_sick_leave_figure()
    before = sick_leave_releases(None, RESTATED_0102[0])
    path = org_file(tmp_path, a0102=("Hälsocentral Ursviken", KIRURGI, LSO, "primärvård"))

    # Refused until the restated figures could hide more: Primärvård Skellefteå's women
    # were shown (28); without 0102 they would be 20, and 0102's 8 women the difference.
    lines = import_org(path, "--from", "2024-07")

    assert lines[1:] == [  # what it withholds said before the import is saved
        WITHHELD_0102,
        "Enheter: 0 nya, 1 ändrade, 4 oförändrade, 0 borttagna.",
        "1 enheter har ny verksamhet, nytt område eller ny vårdtyp från 2024-07: 0102",
    ]
    assert placements("0102")[-1] == ("2024-07", KIRURGI, "primärvård")
    for month in RESTATED_0102.strftime("%Y-%m"):
        # Kept with what the month's rule hides anyway (its decision starts from them).
        assert withheld(month) >= WITHHELD_EACH_MONTH, month
        assert (f"department:{PV_SKE}", "M") in withheld(month)  # 0101's 6 men
    assert withheld("2024-06") == set()
    # Every figure shown before keeps its value or is withheld now, in restated months
    # only; the page's CSV (cached before the move) follows.
    assert assert_kept_or_withheld(every_sick_leave_figure(), shown) == set(
        RESTATED_0102.strftime("%Y-%m")
    )
    assert sick_hours(f"department:{PV_SKE}", "2024-07") == ""
    assert sick_hours(f"department:{PV_SKE}", "2024-05") == "302.00"
    page = duration_download(client, f"department:{PV_SKE}")
    assert page["2024-07"][:2] == ["", ""] and page["2024-05"][:2] == ["39", "302,00"]
    # The independent audit over what was shown before and what is published now.
    after = sick_leave_releases(None, RESTATED_0102[0])
    assert after.keys() == before.keys() == set(RESTATED_0102)
    for month in RESTATED_0102:
        assert joint_exposures(before[month], after[month]) == frozenset(), month


def test_an_earlier_month_that_no_withholding_protects_is_refused(sick_leave_0102, tmp_path,
                                                                 monkeypatch):  # fmt: skip
    from kpis.organisation import services

    def impossible(before, after, **kwargs):
        raise ProtectionError("no choice protects them")

    monkeypatch.setattr(services, "move_withholding", impossible)
    path = org_file(tmp_path, a0102=("Hälsocentral Ursviken", KIRURGI, LSO, "primärvård"))

    with pytest.raises(CommandError) as refused:
        import_org(path, "--from", "2024-07")

    message = str(refused.value)
    assert message.startswith(REFUSED_0102), message
    assert message.endswith(
        ", också om fler av de omräknade siffrorna döljs. Låt flytten gälla från 2025-04, den "
        "första månaden utan sjukfrånvarodata, så ändras inga visade siffror."
    )
    assert Unit.objects.get(ansvar="0102").department.name == PV_SKE  # nothing saved
    assert placements("0102") == [("1900-01", PV_SKE, "primärvård")]
    assert not WithheldFigure.objects.exists()


def test_an_earlier_month_in_the_admin_says_what_it_withholds_before_saving(sick_leave_0102,
                                                                            client,
                                                                            superuser):  # fmt: skip
    client.force_login(superuser)
    unit = Unit.objects.get(ansvar="0102")
    url = reverse("admin:kpis_unit_change", args=[unit.id])
    form = _unit_form(unit, department=KIRURGI, from_month="2024-07")
    response = client.post(url, form)

    assert response.status_code == 200  # the form again, with what it would withhold
    assert WITHHELD_0102 in response.content.decode()
    assert Unit.objects.get(ansvar="0102").department.name == PV_SKE
    assert placements("0102") == [("1900-01", PV_SKE, "primärvård")]
    assert not WithheldFigure.objects.exists()

    saved = client.post(url, {**form, "withhold": "on"}, follow=True)
    assert "Flytten gäller från 2024-07 för 0102." in saved.content.decode()
    assert WITHHELD_0102 in saved.content.decode()
    assert placements("0102")[-1] == ("2024-07", KIRURGI, "primärvård")
    assert withheld("2024-07") >= WITHHELD_EACH_MONTH
    assert sick_hours(f"department:{PV_SKE}", "2024-07") == ""


def test_the_same_move_from_the_first_month_without_sick_leave_is_accepted(sick_leave_0102,
                                                                           tmp_path):  # fmt: skip
    path = org_file(tmp_path, a0102=("Hälsocentral Ursviken", KIRURGI, LSO, "primärvård"))
    import_org(path)
    assert placements("0102")[-1] == ("2025-04", KIRURGI, "primärvård")
    assert sick_hours(f"department:{PV_SKE}", "2025-03") == "302.00"
