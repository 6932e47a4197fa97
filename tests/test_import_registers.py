"""Importing the organisation register (import_org) and the account mapping (import_accounts)."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from hyrdash.lib.tabular import ExtractError
from kpis.accounts.services import accounts_import
from kpis.costs.services import costs_import
from kpis.models import Account, Area, Department, LedgerRow, MonthlyCost, Unit
from kpis.organisation.services import org_import
from tests.conftest import ORG_CSV, ROOT

HEADER = "Ansvar;Enhet;Verksamhet;Område;Vårdtyp\n"


def write(tmp_path, text, name="fil.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return str(path)


# What import_org says before saving when there is no sick leave to keep unchanged.
NO_SICK_LEAVE_YET = (
    "Det finns ingen sjukfrånvaro ännu: flyttade enheter räknas dit för alla månader."
)


def run(command_name, path):
    """Run an import command; returns its stdout lines."""
    out = StringIO()
    call_command(command_name, path, stdout=out, stderr=StringIO())
    return out.getvalue().splitlines()


def refused(command_name, path):
    """Run an import command that must fail; returns (error message, stderr lines)."""
    err = StringIO()
    with pytest.raises(CommandError) as info:
        call_command(command_name, path, stdout=StringIO(), stderr=err)
    return str(info.value), err.getvalue().splitlines()


def tree():
    """{ansvar: (unit name, department, area, care type)} as stored."""
    return {
        u.ansvar: (u.name, u.department.name, u.department.area.name, u.care_type)
        for u in Unit.objects.select_related("department__area")
    }


# The register in tests/conftest.py.
ORG_TREE = {
    "0101": (
        "Hälsocentral Boliden",
        "Primärvård Skellefteå",
        "Närsjukvårdsområde Skellefteå",
        "primärvård",
    ),
    "0102": (
        "Hälsocentral Ursviken",
        "Primärvård Skellefteå",
        "Närsjukvårdsområde Skellefteå",
        "primärvård",
    ),
    "2001": ("Kirurgavdelning 1", "Kirurgiskt centrum", "Länssjukvårdsområde 1", "sjukhusvård"),
    "2002": ("Operation", "Kirurgiskt centrum", "Länssjukvårdsområde 1", "sjukhusvård"),
    "3001": ("Folktandvården Lycksele", "Tandvård Södra Lappland", "Tandvården", "tandvård"),
}


# --- organisation register ------------------------------------------------------------


def test_it_creates_areas_departments_and_units(db, tmp_path):
    lines = run("import_org", write(tmp_path, ORG_CSV))

    assert lines == [NO_SICK_LEAVE_YET, "Enheter: 5 nya, 0 ändrade, 0 oförändrade, 0 borttagna."]
    assert tree() == ORG_TREE
    assert sorted(Area.objects.values_list("name", flat=True)) == [
        "Länssjukvårdsområde 1",
        "Närsjukvårdsområde Skellefteå",
        "Tandvården",
    ]
    assert sorted(Department.objects.values_list("name", "area__name")) == [
        ("Kirurgiskt centrum", "Länssjukvårdsområde 1"),
        ("Primärvård Skellefteå", "Närsjukvårdsområde Skellefteå"),
        ("Tandvård Södra Lappland", "Tandvården"),
    ]


def test_it_keeps_leading_zeros_and_reads_care_types_in_any_case(org):
    # ORG_CSV writes "Primärvård" and "SJUKHUSVÅRD" as well as lower case.
    assert Unit.objects.get(ansvar="0102").care_type == "primärvård"
    assert Unit.objects.get(ansvar="2002").care_type == "sjukhusvård"
    assert not Unit.objects.filter(ansvar="101").exists()
    assert Unit.objects.filter(ansvar__startswith="0").count() == 2


def test_it_reads_a_windows_1252_register(db, tmp_path):
    run("import_org", write(tmp_path, ORG_CSV, encoding="cp1252"))

    assert tree() == ORG_TREE


def test_importing_the_same_register_again_changes_nothing(org, tmp_path):
    lines = run("import_org", write(tmp_path, ORG_CSV))

    assert lines == [NO_SICK_LEAVE_YET, "Enheter: 0 nya, 0 ändrade, 5 oförändrade, 0 borttagna."]
    assert tree() == ORG_TREE


def test_reimport_updates_names_and_moves_units(registers, tmp_path):
    # 0101 has ledger data; 3001 has none.
    costs_import(
        data=b"Period;Ansvar;Konto;Belopp\n2024-03;0101;4601;1000\n",
        file_name="utfall.csv",
        kind="actuals",
    )
    text = HEADER + (
        # renamed
        "0102;Hälsocentral Ursviken-Bureå;Primärvård Skellefteå;Närsjukvårdsområde Skellefteå;"
        "primärvård\n"
        # the department moves to another area; the unit itself is unchanged
        "2001;Kirurgavdelning 1;Kirurgiskt centrum;Länssjukvårdsområde 2;sjukhusvård\n"
        # the unit moves to a new department and changes care type
        "2002;Operation;Operationscentrum;Länssjukvårdsområde 2;Övrigt\n"
        # new
        "4001;Vårdcentral Ålidhem;Primärvård Umeå;Närsjukvårdsområde Umeå;PRIMÄRVÅRD\n"
        # 0101 and 3001 are left out
    )

    lines = run("import_org", write(tmp_path, text))

    assert lines == [
        NO_SICK_LEAVE_YET,
        "Enheter: 1 nya, 2 ändrade, 1 oförändrade, 1 borttagna.",
        "1 enheter saknas i filen men har data och behålls: 0101",
        # No sick leave yet: the moves hold for every month.
        "2 enheter har ny verksamhet, nytt område eller ny vårdtyp från början: 2001, 2002",
    ]
    assert tree() == {
        "0101": ORG_TREE["0101"],
        "0102": (
            "Hälsocentral Ursviken-Bureå",
            "Primärvård Skellefteå",
            "Närsjukvårdsområde Skellefteå",
            "primärvård",
        ),
        "2001": (
            "Kirurgavdelning 1",
            "Kirurgiskt centrum",
            "Länssjukvårdsområde 2",
            "sjukhusvård",
        ),
        "2002": ("Operation", "Operationscentrum", "Länssjukvårdsområde 2", "övrigt"),
        "4001": (
            "Vårdcentral Ålidhem",
            "Primärvård Umeå",
            "Närsjukvårdsområde Umeå",
            "primärvård",
        ),
    }
    # Left empty: Tandvård Södra Lappland and its area, and Länssjukvårdsområde 1.
    assert sorted(Department.objects.values_list("name", flat=True)) == [
        "Kirurgiskt centrum",
        "Operationscentrum",
        "Primärvård Skellefteå",
        "Primärvård Umeå",
    ]
    assert sorted(Area.objects.values_list("name", flat=True)) == [
        "Länssjukvårdsområde 2",
        "Närsjukvårdsområde Skellefteå",
        "Närsjukvårdsområde Umeå",
    ]
    # The data of the kept unit is untouched.
    assert LedgerRow.objects.get().unit.ansvar == "0101"
    assert MonthlyCost.objects.get().amount == Decimal("1000.00")


def test_it_never_deletes_a_unit_with_data(registers):
    costs_import(
        data=b"Period;Ansvar;Konto;Belopp\n2024-03;3001;5111;500\n",
        file_name="utfall.csv",
        kind="actuals",
    )
    without_3001 = "".join(
        line + "\n" for line in ORG_CSV.splitlines() if not line.startswith("3001")
    )

    result = org_import(data=without_3001.encode())

    assert (result.removed, result.kept) == (0, ["3001"])
    assert Unit.objects.get(ansvar="3001").department.name == "Tandvård Södra Lappland"


def test_it_removes_a_unit_without_data(org):
    without_3001 = "".join(
        line + "\n" for line in ORG_CSV.splitlines() if not line.startswith("3001")
    )

    result = org_import(data=without_3001.encode())

    assert (result.removed, result.kept) == (1, [])
    assert set(tree()) == {"0101", "0102", "2001", "2002"}
    assert not Department.objects.filter(name="Tandvård Södra Lappland").exists()
    assert not Area.objects.filter(name="Tandvården").exists()


def test_it_rejects_duplicate_cost_centres(org, tmp_path):
    text = HEADER + (
        "0101;Hälsocentral Boliden;Primärvård Skellefteå;Närsjukvårdsområde Skellefteå;"
        "primärvård\n"
        "0101;Hälsocentral Kåge;Primärvård Skellefteå;Närsjukvårdsområde Skellefteå;"
        "primärvård\n"
    )

    message, errors = refused("import_org", write(tmp_path, text))

    assert message == "Filen importerades inte: 1 fel. Inget har sparats."
    assert errors == [
        "Rad 3, kolumn Ansvar: ”0101” förekommer flera gånger "
        "(varje ansvar får bara finnas på en rad)."
    ]
    assert tree() == ORG_TREE


def test_it_rejects_an_unknown_care_type(org, tmp_path):
    text = HEADER + "5001;Ambulans Umeå;Ambulanssjukvård;Länssjukvårdsområde 2;Akutvård\n"

    message, errors = refused("import_org", write(tmp_path, text))

    assert message == "Filen importerades inte: 1 fel. Inget har sparats."
    assert errors == [
        "Rad 2, kolumn Vårdtyp: ”Akutvård” är ingen vårdtyp "
        "(tillåtna: sjukhusvård, primärvård, tandvård, övrigt)."
    ]
    assert tree() == ORG_TREE


def test_it_rejects_a_department_under_two_areas(org, tmp_path):
    text = HEADER + (
        "2001;Kirurgavdelning 1;Kirurgiskt centrum;Länssjukvårdsområde 1;sjukhusvård\n"
        "2002;Operation;Kirurgiskt centrum;Länssjukvårdsområde 2;sjukhusvård\n"
        "2003;Dagkirurgi;Kirurgiskt centrum;Länssjukvårdsområde 2;sjukhusvård\n"
    )

    message, errors = refused("import_org", write(tmp_path, text))

    assert message == "Filen importerades inte: 1 fel. Inget har sparats."
    assert errors == [
        "Rad 2, kolumn Område: verksamheten ”Kirurgiskt centrum” står under flera områden "
        "(”Länssjukvårdsområde 1”, ”Länssjukvårdsområde 2”)."
    ]
    assert tree() == ORG_TREE


def test_it_rejects_a_register_with_a_missing_column(org, tmp_path):
    text = "Ansvar;Enhet;Verksamhet;Område\n0101;A;B;C\n"

    message, errors = refused("import_org", write(tmp_path, text))

    assert message == "Filen importerades inte: 2 fel. Inget har sparats."
    assert errors == [
        "Kolumnen ”Vårdtyp” saknas.",
        "Filens kolumner är: ”Ansvar”, ”Enhet”, ”Verksamhet”, ”Område”.",
    ]
    assert tree() == ORG_TREE


# --- account mapping ------------------------------------------------------------------


def test_it_imports_the_default_account_mapping(db):
    lines = run("import_accounts", str(ROOT / "fixtures" / "konton.csv"))

    assert lines == ["Konton: 23 nya, 0 ändrade, 0 oförändrade."]
    by_category = {}
    for konto, category in Account.objects.values_list("konto", "category"):
        by_category.setdefault(category, []).append(konto)
    assert by_category == {
        "hyr_lakare": ["4601", "4602"],
        "hyr_ssk_bm": ["4611", "4612", "4613"],
        "hyr_ovriga": ["4621", "4622", "4629"],
        "egen_lon": ["5111", "5112", "5121", "5122", "5131", "5132", "5141"],
        "egen_po": ["5411", "5412"],
        "egen_pension": ["5511", "5512"],
        "egen_ovrigt": ["5611", "5612", "5619"],
        "ignorera": ["5711"],
    }
    assert Account.objects.get(konto="4601").name == "Inhyrd personal läkare"


def test_it_creates_and_updates_accounts(accounts, tmp_path):
    text = (
        "Konto;Benämning;Kategori\n"
        "4601;Hyrläkare;hyr_lakare\n"  # renamed
        "4602;Inhyrd personal läkare, distans;Hyr_Ovriga\n"  # recategorised, any case
        "4611;Inhyrd personal sjuksköterskor;hyr_ssk_bm\n"  # unchanged
        "4631;Inhyrd personal tandläkare;HYR_OVRIGA\n"  # new
    )

    lines = run("import_accounts", write(tmp_path, text))

    assert lines == [
        "Konton: 1 nya, 2 ändrade, 1 oförändrade.",
        "Ny kategori för 4602; månadssummorna är omräknade.",
    ]
    assert Account.objects.get(konto="4601").name == "Hyrläkare"
    assert Account.objects.get(konto="4602").category == "hyr_ovriga"
    assert Account.objects.get(konto="4631").category == "hyr_ovriga"
    # Accounts absent from the file are kept.
    assert Account.objects.count() == 24


def test_it_rejects_an_unknown_category(accounts, tmp_path):
    text = "Konto;Benämning;Kategori\n4601;Hyrläkare;hyr_lakare\n4699;Bemanning;hyrpersonal\n"

    message, errors = refused("import_accounts", write(tmp_path, text))

    assert message == "Filen importerades inte: 1 fel. Inget har sparats."
    assert errors == [
        "Rad 3, kolumn Kategori: ”hyrpersonal” är ingen kategori (tillåtna: hyr_lakare, "
        "hyr_ssk_bm, hyr_ovriga, egen_lon, egen_po, egen_pension, egen_ovrigt, ignorera)."
    ]
    assert Account.objects.get(konto="4601").name == "Inhyrd personal läkare"
    assert not Account.objects.filter(konto="4699").exists()


def test_it_rejects_a_duplicate_account(accounts, tmp_path):
    text = "Konto;Benämning;Kategori\n4699;Bemanning;hyr_ovriga\n4699;Bemanning 2;hyr_ovriga\n"

    _message, errors = refused("import_accounts", write(tmp_path, text))

    assert errors == [
        "Rad 3, kolumn Konto: ”4699” förekommer flera gånger "
        "(varje konto får bara finnas på en rad)."
    ]
    assert not Account.objects.filter(konto="4699").exists()


def test_account_import_is_all_or_nothing(accounts):
    text = "Konto;Benämning;Kategori\n4601;Hyrläkare;hyr_lakare\n4699;;hyr_ovriga\n"

    with pytest.raises(ExtractError, match="^Rad 3, kolumn Benämning: värde saknas.$"):
        accounts_import(data=text.encode())

    assert Account.objects.get(konto="4601").name == "Inhyrd personal läkare"
