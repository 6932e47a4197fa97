"""The demo region's organisation: six areas, about 40 departments and 300 units with
their care types, and the units' sizes the other subjects' demo data scale by.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

FIRST_YEAR = 2021


SJUKHUS, PRIMAR, TAND, OVRIGT = "sjukhusvård", "primärvård", "tandvård", "övrigt"

# Units with at least this many employees book on every account.
DETAIL_MIN_EMPLOYEES = 35


def _agency_intensity(rng, area: str, department: str, name: str, care: str, kind: str):  # noqa: C901 (the demo's table of unit kinds, one branch each)
    """Agency cost as a share of the unit's own-staff cost (before national scaling)."""
    chance, low, high = 0.0, 0.0, 0.0
    remote = area in (NSO_SKE, NSO_SL)
    if kind == "admin":
        return 0.0
    if care == PRIMAR and kind in ("hc", "sjukstuga"):
        if remote:
            chance, low, high = 0.9, 0.12, 0.42
        elif "kust" in department:
            chance, low, high = 0.8, 0.06, 0.20
        else:
            chance, low, high = 0.55, 0.03, 0.10
    elif care == PRIMAR:
        chance, low, high = (0.5, 0.03, 0.10) if remote else (0.25, 0.01, 0.05)
    elif care == TAND:
        inland = area == TANDVARDEN and any(
            place in name
            for place in ("Storuman", "Vilhelmina", "Sorsele", "Dorotea", "Åsele", "Tärnaby", "Malå",
                          "Norsjö", "Lycksele")
        )  # fmt: skip
        chance, low, high = (0.6, 0.01, 0.05) if inland else (0.08, 0.005, 0.02)
    elif department == "Psykiatri Skellefteå":
        chance, low, high = 1.0, 0.10, 0.22
    elif area == NSO_SL:
        chance, low, high = 0.75, 0.04, 0.12
    elif area == NSO_SKE:
        chance, low, high = 0.55, 0.02, 0.07
    elif "Lycksele" in name or "Skellefteå" in name:
        chance, low, high = 0.6, 0.02, 0.08
    else:
        chance, low, high = {
            "op": (0.7, 0.02, 0.06),
            "psych": (0.7, 0.04, 0.10),
            "obstetric": (0.7, 0.03, 0.07),
            "diag": (0.6, 0.02, 0.06),
            "lab": (0.4, 0.01, 0.03),
            "amb": (0.5, 0.01, 0.03),
            "ward": (0.3, 0.01, 0.04),
        }.get(kind, (0.25, 0.01, 0.04))
    if rng.random() >= chance:
        return 0.0
    return float(rng.uniform(low, high))


# Units that improved (the seeds' positive examples): month -> factor on their agency cost.
_ANCHOR_STORIES = {
    "hc_turnaround": {"2021-01": 1.0, "2023-12": 1.1, "2024-12": 0.55, "2026-12": 0.3},
    "psych_ske": {"2021-01": 0.9, "2023-06": 1.2, "2024-06": 1.0, "2025-06": 0.5, "2026-12": 0.4},
    "cfog": {"2021-01": 1.0, "2023-06": 1.1, "2024-12": 0.45, "2026-12": 0.35},
    "ambulance": {"2021-01": 1.0, "2022-06": 0.8, "2023-06": 0.0, "2030-12": 0.0},
    "sjukstuga": {"2021-01": 1.0, "2024-01": 1.05, "2025-06": 0.55, "2026-12": 0.5},
}


def _story(area: str, department: str, name: str, kind: str) -> str | None:
    turnaround = ("Bolidens", "Ursvikens", "Anderstorps", "Erikslids")
    if kind == "hc" and any(place in name for place in turnaround):
        return "hc_turnaround"
    if department == "Psykiatri Skellefteå":
        return "psych_ske"
    if department == "Centrum för obstetrik och gynekologi" and "Lycksele" not in name:
        return "cfog"
    if kind == "amb":
        return "ambulance"
    if kind == "sjukstuga" and any(p in name for p in ("Vilhelmina", "Storumans", "Dorotea")):
        return "sjukstuga"
    return None


def _profile(values) -> np.ndarray:
    array = np.asarray(values, dtype=float)
    return array / array.mean()


LSO1 = "Länssjukvårdsområde 1"

LSO2 = "Länssjukvårdsområde 2"

NSO_UMEA = "Närsjukvårdsområde Umeå"

NSO_SKE = "Närsjukvårdsområde Skellefteå"

NSO_SL = "Närsjukvårdsområde Södra Lappland"

TANDVARDEN = "Tandvården"

AREAS = (NSO_UMEA, NSO_SKE, NSO_SL, LSO1, LSO2, TANDVARDEN)

# First digit of the area's ansvar codes: Tandvården's start with a zero ("0101"),
# which a careless import (or Excel) would strip.
AREA_DIGIT = {LSO1: "2", LSO2: "3", NSO_UMEA: "4", NSO_SKE: "5", NSO_SL: "6", TANDVARDEN: "0"}


# (area, department, care type, units). A unit is a name, or (name, care type)
# when its care type differs from the department's.
ORGANISATION: list[tuple[str, str, str, list]] = [
    # Länssjukvårdsområde 1: surgery, women and children, diagnostics (Umeå, county-wide)
    (LSO1, "Kirurgiskt centrum", SJUKHUS, [
        "Kirurgavdelning 1", "Kirurgavdelning 2", "Kirurgavdelning 3", "Kirurgmottagning Umeå",
        "Kolorektalkirurgi", "Övre gastrointestinal kirurgi", "Bröst- och endokrinkirurgi",
        "Urologavdelning", "Urologmottagning", "Kärlkirurgi", "Plastikkirurgi",
        "Endoskopienheten",
    ]),
    (LSO1, "Ortopedi och handkirurgi", SJUKHUS, [
        "Ortopedavdelning 1", "Ortopedavdelning 2", "Ortopedmottagning Umeå", "Handkirurgi",
        "Gipsmottagningen", "Ryggkirurgi",
    ]),
    (LSO1, "Anestesi, operation och intensivvård", SJUKHUS, [
        "Centraloperation Umeå", "Anestesienheten Umeå", "Intensivvårdsavdelning Umeå",
        "Intermediärvårdsavdelning", "Postoperativa avdelningen", "Dagkirurgiska enheten",
        "Smärtmottagningen", "Thoraxoperation", ("Sterilcentralen", OVRIGT),
    ]),
    (LSO1, "Centrum för obstetrik och gynekologi", SJUKHUS, [
        "Förlossningsavdelning Umeå", "BB Umeå", "Gynekologisk avdelning Umeå",
        "Kvinnomottagning Umeå", "Förlossningsavdelning Skellefteå", "Kvinnomottagning Skellefteå",
        "Förlossningsavdelning Lycksele", "Kvinnomottagning Lycksele", "Fosterdiagnostik",
        "Reproduktionsmedicin",
    ]),
    (LSO1, "Barn- och ungdomscentrum", SJUKHUS, [
        "Barnavdelning 1", "Barnavdelning 2", "Barnmottagning Umeå", "Neonatalavdelning",
        "Barnkirurgi", "Barnonkologi", "Barn- och ungdomspsykiatri Umeå",
        "Barn- och ungdomspsykiatri Skellefteå", "Barn- och ungdomspsykiatri Lycksele",
        "Barn- och ungdomshabilitering",
    ]),
    (LSO1, "Bild- och funktionsmedicin", SJUKHUS, [
        "Röntgen Umeå", "Röntgen Skellefteå", "Röntgen Lycksele", "Klinisk fysiologi Umeå",
        "Klinisk fysiologi Skellefteå", "Nuklearmedicin", "Klinisk neurofysiologi",
        "Mammografi",
    ]),
    (LSO1, "Laboratoriemedicin", SJUKHUS, [
        "Klinisk kemi Umeå", "Klinisk kemi Skellefteå", "Klinisk kemi Lycksele",
        "Klinisk mikrobiologi", "Klinisk patologi", "Transfusionsmedicin", "Klinisk genetik",
    ]),
    (LSO1, "Öron-näsa-hals, ögon och hud", SJUKHUS, [
        "ÖNH-avdelning", "ÖNH-mottagning Umeå", "ÖNH-mottagning Skellefteå",
        "Hörsel- och balansmottagning", "Ögonmottagning Umeå", "Ögonmottagning Skellefteå",
        "Ögonoperation", "Hudmottagning Umeå", "Hudmottagning Skellefteå",
    ]),
    (LSO1, "Ledning Länssjukvårdsområde 1", OVRIGT, [
        "Områdesledning Länssjukvårdsområde 1", "Utvecklingsenhet Länssjukvårdsområde 1",
    ]),
    # Länssjukvårdsområde 2: medicine, heart, neuro, cancer, psychiatry, ambulance
    (LSO2, "Hjärtcentrum", SJUKHUS, [
        "Hjärtavdelning", "Hjärtintensivavdelning", "Hjärtmottagning", "Hjärtsviktsmottagning",
        "Thoraxkirurgisk avdelning", "Thoraxintensivavdelning", "Arytmienheten",
        "Kardiologiska laboratoriet",
    ]),
    (LSO2, "Medicin- och infektionscentrum", SJUKHUS, [
        "Medicinavdelning 1", "Medicinavdelning 2", "Medicinavdelning 3", "Medicinavdelning 4",
        "Medicinavdelning 5", "Njurmedicin", "Dialysavdelning Umeå", "Endokrinmottagning",
        "Lungmottagning", "Allergimottagning", "Mag- och tarmmottagning",
        "Reumatologimottagning", "Infektionsavdelning", "Infektionsmottagning", "Vårdhygien",
    ]),
    (LSO2, "Akutcentrum", SJUKHUS, [
        "Akutmottagning Umeå", "Akutvårdsavdelning Umeå", "Observationsenheten",
        "Akutläkarenheten", ("Katastrofmedicinskt centrum", OVRIGT),
    ]),
    (LSO2, "Neurocentrum", SJUKHUS, [
        "Neurologavdelning", "Strokeenheten", "Neurokirurgisk avdelning", "Neurologmottagning",
        "Neurokirurgmottagning",
    ]),
    (LSO2, "Cancercentrum", SJUKHUS, [
        "Onkologavdelning", "Onkologimottagning", "Strålbehandlingen", "Hematologavdelning",
        "Hematologimottagning", "Palliativt konsultteam",
    ]),
    (LSO2, "Psykiatri Umeå", SJUKHUS, [
        "Psykiatrisk akutmottagning Umeå", "Allmänpsykiatrisk avdelning 1",
        "Allmänpsykiatrisk avdelning 2", "Psykosavdelning", "Psykiatrisk öppenvård Umeå",
        "Rättspsykiatrisk avdelning", "Beroendecentrum Umeå", "Ätstörningsenheten",
        "Neuropsykiatriska enheten",
    ]),
    (LSO2, "Geriatrik och rehabiliteringsmedicin", SJUKHUS, [
        "Geriatrisk avdelning 1", "Geriatrisk avdelning 2", "Minnesmottagning Umeå",
        "Rehabiliteringsmedicinsk avdelning", "Rehabiliteringsmedicinsk mottagning",
    ]),
    (LSO2, "Ambulanssjukvård", SJUKHUS, [
        "Ambulans Umeå", "Ambulans Skellefteå", "Ambulans Lycksele", "Ambulans Storuman",
        "Ambulans Vilhelmina", "Ambulans Sorsele", "Ambulans Dorotea", "Ambulans Malå",
        "Ambulans Norsjö", "Ambulansdirigering",
    ]),
    (LSO2, "Ledning Länssjukvårdsområde 2", OVRIGT, [
        "Områdesledning Länssjukvårdsområde 2", "Utvecklingsenhet Länssjukvårdsområde 2",
    ]),
    # Närsjukvårdsområde Umeå
    (NSO_UMEA, "Primärvård Umeå stad", PRIMAR, [
        f"{place} hälsocentral"
        for place in (
            "Ålidhems", "Mariehems", "Ersboda", "Tegs", "Västerslätts", "Haga", "Berghems",
            "Umedalens", "Tomtebo", "Dragonens",
        )
    ]),
    (NSO_UMEA, "Primärvård Umeå kust och inland", PRIMAR, [
        f"{place} hälsocentral"
        for place in (
            "Holmsunds", "Hörnefors", "Sävar", "Vännäs", "Vindelns", "Robertsfors",
            "Nordmalings", "Bjurholms",
        )
    ]),
    (NSO_UMEA, "Rehabilitering och hälsa Umeå", PRIMAR, [
        "Primärvårdsrehab Umeå stad", "Primärvårdsrehab Umeå kust och inland",
        "Barnhälsovård Umeå", "Mödrahälsovård Umeå", "Ungdomsmottagningen Umeå",
        "Första linjen unga Umeå", "Psykosocialt team primärvård Umeå",
    ]),
    (NSO_UMEA, "Närsjukvård Umeå", SJUKHUS, [
        "Mobil närvård Umeå", "Palliativa vårdavdelningen Umeå", "Korttidsavdelning Umeå",
    ]),
    (NSO_UMEA, "Ledning Närsjukvårdsområde Umeå", OVRIGT, [
        "Områdesledning Närsjukvårdsområde Umeå", "Utvecklingsenhet Närsjukvårdsområde Umeå",
    ]),
    # Närsjukvårdsområde Skellefteå
    (NSO_SKE, "Primärvård Skellefteå stad", PRIMAR, [
        f"{place} hälsocentral"
        for place in (
            "Anderstorps", "Erikslids", "Norrhammars", "Morö Backe", "Ursvikens",
            "Skelleftehamns", "Skellefteå centrum", "Kåge",
        )
    ] + ["Jourcentralen Skellefteå"]),
    (NSO_SKE, "Primärvård Skellefteå landsbygd", PRIMAR, [
        f"{place} hälsocentral"
        for place in (
            "Bolidens", "Byske", "Burträsk", "Bureå", "Jörns", "Norsjö", "Malå", "Lövångers",
        )
    ]),
    (NSO_SKE, "Rehabilitering och hälsa Skellefteå", PRIMAR, [
        "Primärvårdsrehab Skellefteå", "Barnhälsovård Skellefteå", "Mödrahälsovård Skellefteå",
        "Ungdomsmottagningen Skellefteå", "Första linjen unga Skellefteå",
    ]),
    (NSO_SKE, "Medicin- och akutkliniken Skellefteå", SJUKHUS, [
        "Medicinavdelning 1 Skellefteå", "Medicinavdelning 2 Skellefteå",
        "Hjärtavdelning Skellefteå", "Medicinmottagning Skellefteå", "Dialysavdelning Skellefteå",
        "Akutmottagning Skellefteå", "Akutvårdsavdelning Skellefteå",
    ]),
    (NSO_SKE, "Kirurgkliniken Skellefteå", SJUKHUS, [
        "Kirurgavdelning Skellefteå", "Kirurgmottagning Skellefteå", "Operation Skellefteå",
        "Anestesi och intensivvård Skellefteå", "Ortopedavdelning Skellefteå",
        "Ortopedmottagning Skellefteå", "Dagkirurgi Skellefteå",
    ]),
    (NSO_SKE, "Psykiatri Skellefteå", SJUKHUS, [
        "Psykiatrisk avdelning Skellefteå", "Psykiatrisk öppenvård Skellefteå",
        "Beroendemottagning Skellefteå", "Psykiatrisk akutmottagning Skellefteå",
    ]),
    (NSO_SKE, "Geriatrik och rehabilitering Skellefteå", SJUKHUS, [
        "Geriatrisk avdelning Skellefteå", "Rehabiliteringsavdelning Skellefteå",
        "Minnesmottagning Skellefteå",
    ]),
    (NSO_SKE, "Ledning Närsjukvårdsområde Skellefteå", OVRIGT, [
        "Områdesledning Närsjukvårdsområde Skellefteå",
        "Utvecklingsenhet Närsjukvårdsområde Skellefteå",
    ]),
    # Närsjukvårdsområde Södra Lappland (Lycksele)
    (NSO_SL, "Primärvård södra Lappland", PRIMAR, [
        f"{place} hälsocentral"
        for place in (
            "Lycksele", "Storumans", "Vilhelmina", "Sorsele", "Åsele", "Dorotea", "Tärnaby",
        )
    ]),
    (NSO_SL, "Sjukstugor södra Lappland", PRIMAR, [
        "Vilhelmina sjukstuga", "Vilhelmina sjukstuga, vårdplatser", "Storumans sjukstuga",
        "Storumans sjukstuga, vårdplatser", "Dorotea sjukstuga", "Dorotea sjukstuga, vårdplatser",
        "Sorsele sjukstuga", "Sorsele sjukstuga, vårdplatser", "Åsele sjukstuga",
        "Tärnaby sjukstuga",
    ]),
    (NSO_SL, "Rehabilitering och hälsa södra Lappland", PRIMAR, [
        "Primärvårdsrehab södra Lappland", "Barnhälsovård södra Lappland",
        "Ungdomsmottagningen Lycksele", "Distansmottagning södra Lappland",
    ]),
    (NSO_SL, "Medicinkliniken Lycksele", SJUKHUS, [
        "Medicinavdelning Lycksele", "Medicinmottagning Lycksele", "Dialysavdelning Lycksele",
        "Akutmottagning Lycksele", "Observationsavdelning Lycksele",
    ]),
    (NSO_SL, "Kirurgiskt centrum södra Lappland", SJUKHUS, [
        "Kirurgavdelning Lycksele", "Operation Lycksele", "Anestesi Lycksele",
        "Kirurgmottagning Lycksele", "Ortopedmottagning Lycksele",
    ]),
    (NSO_SL, "Psykiatri södra Lappland", SJUKHUS, [
        "Psykiatrisk avdelning Lycksele", "Psykiatrisk öppenvård Lycksele",
        "Psykiatrisk öppenvård Vilhelmina",
    ]),
    (NSO_SL, "Ledning Närsjukvårdsområde Södra Lappland", OVRIGT, [
        "Områdesledning Närsjukvårdsområde Södra Lappland",
        "Utvecklingsenhet Närsjukvårdsområde Södra Lappland",
    ]),
    # Tandvården
    (TANDVARDEN, "Allmäntandvård Umeå", TAND, [
        f"Folktandvården {place}"
        for place in (
            "Ålidhem", "Mariehem", "Ersboda", "Teg", "Haga", "Holmsund", "Sävar", "Vännäs",
            "Nordmaling", "Robertsfors", "Vindeln", "Hörnefors",
        )
    ]),
    (TANDVARDEN, "Allmäntandvård Skellefteå", TAND, [
        f"Folktandvården {place}"
        for place in (
            "Anderstorp", "Morö Backe", "Skellefteå centrum", "Ursviken", "Byske", "Burträsk",
            "Norsjö", "Boliden", "Malå", "Lövånger",
        )
    ]),
    (TANDVARDEN, "Allmäntandvård södra Lappland", TAND, [
        f"Folktandvården {place}"
        for place in ("Lycksele", "Storuman", "Vilhelmina", "Sorsele", "Dorotea", "Åsele", "Tärnaby")
    ]),
    (TANDVARDEN, "Specialisttandvård", TAND, [
        "Käkkirurgi", "Ortodonti Umeå", "Ortodonti Skellefteå", "Pedodonti", "Parodontologi",
        "Protetik", "Endodonti", "Sjukhustandvård",
    ]),
    (TANDVARDEN, "Tandvårdens ledning och stöd", OVRIGT, [
        "Tandvårdsledning", ("Tandtekniskt laboratorium", TAND),
    ]),
]  # fmt: skip


# The reduced demo (--small): these areas, the first departments and units of each.
SMALL_AREAS = (NSO_SKE, TANDVARDEN)

SMALL_DEPARTMENTS = 2

SMALL_UNITS = 3


ORG_COLUMNS = ["Ansvar", "Enhet", "Verksamhet", "Område", "Vårdtyp"]


# --- organisation ---------------------------------------------------------------------


def _unit_kind(name: str, department: str, care_type: str) -> str:  # noqa: C901 (the demo's table of unit names, one branch each)
    lower = name.lower()
    if care_type == OVRIGT and "steril" not in lower and "katastrof" not in lower:
        return "admin"
    if care_type == TAND:
        return "dental"
    if "hälsocentral" in lower or "jourcentral" in lower:
        return "hc"
    if "sjukstuga" in lower:
        return "sjukstuga"
    if lower.startswith("ambulans"):
        return "amb"
    if "psykiatri" in lower or "psykos" in lower or "beroende" in lower or "ätstörning" in lower:
        return "psych"
    if "neuropsykiatri" in lower or "första linjen" in lower or "psykosocial" in lower:
        return "psych"
    if "operation" in lower or "anestesi" in lower or "intensiv" in lower or "intermediär" in lower:
        return "op"
    if "postoperativ" in lower or "dagkirurgi" in lower:
        return "op"
    if "förlossning" in lower or lower.startswith("bb ") or "kvinnomottagning" in lower:
        return "obstetric"
    if "mödrahälsovård" in lower:
        return "obstetric"
    if "röntgen" in lower or "fysiologi" in lower or "nuklear" in lower or "mammografi" in lower:
        return "diag"
    if department == "Laboratoriemedicin":
        return "lab"
    if "rehab" in lower or "barnhälsovård" in lower or "ungdomsmottagning" in lower:
        return "rehab"
    if "avdelning" in lower or "enheten" in lower or "vårdplatser" in lower:
        return "ward"
    return "clinic"


# kind -> (employees low, high, cost per employee factor)
KIND_SIZE = {
    "hc": (15, 38, 1.10),
    "sjukstuga": (15, 35, 1.0),
    "ward": (35, 70, 0.95),
    "op": (50, 130, 1.10),
    "obstetric": (25, 70, 1.0),
    "clinic": (12, 40, 1.10),
    "diag": (20, 75, 1.05),
    "lab": (20, 70, 0.90),
    "psych": (20, 55, 1.05),
    "amb": (15, 60, 1.0),
    "rehab": (8, 25, 0.95),
    "dental": (8, 30, 0.95),
    "admin": (5, 18, 1.05),
}

# kind -> share of agency cost per profession (doctors, nurses/midwives, others)
KIND_MIX = {
    "hc": (0.90, 0.06, 0.04),
    "sjukstuga": (0.75, 0.25, 0.0),
    "ward": (0.55, 0.45, 0.0),
    "op": (0.45, 0.55, 0.0),
    "obstetric": (0.40, 0.60, 0.0),
    "clinic": (0.80, 0.20, 0.0),
    "diag": (0.65, 0.25, 0.10),
    "lab": (0.10, 0.0, 0.90),
    "psych": (0.75, 0.05, 0.20),
    "amb": (0.0, 1.0, 0.0),
    "rehab": (0.0, 0.30, 0.70),
    "dental": (0.0, 0.0, 1.0),
    "admin": (0.0, 0.0, 0.0),
}


def _build_units(rng) -> pd.DataFrame:
    records = []
    for dept_index_by_area in _department_numbers():
        area, department, care_default, units, dept_no = dept_index_by_area
        for unit_no, spec in enumerate(units, start=1):
            name, care = (spec, care_default) if isinstance(spec, str) else spec
            kind = _unit_kind(name, department, care)
            low, high, wage = KIND_SIZE[kind]
            employees = int(rng.integers(low, high + 1))
            intensity = _agency_intensity(rng, area, department, name, care, kind)
            records.append(
                {
                    "ansvar": f"{AREA_DIGIT[area]}{dept_no}{unit_no:02d}",
                    "name": name,
                    "department": department,
                    "area": area,
                    "care_type": care,
                    "kind": kind,
                    "employees": employees,
                    "weight": employees * wage * float(rng.lognormal(0.0, 0.08)),
                    "intensity": intensity,
                    "story": _story(area, department, name, kind),
                    "on_call": kind
                    in ("hc", "sjukstuga", "ward", "op", "obstetric", "psych", "amb")
                    or (kind == "clinic" and care == SJUKHUS),
                    "detailed": employees >= DETAIL_MIN_EMPLOYEES,
                }
            )
    return pd.DataFrame.from_records(records)


def _department_numbers():
    """(area, department, care type, units, department number within its area)."""
    counters: dict[str, int] = {}
    for area, department, care, units in ORGANISATION:
        counters[area] = counters.get(area, 0) + 1
        yield area, department, care, units, counters[area]


def org_frame(units: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Ansvar": units["ansvar"],
            "Enhet": units["name"],
            "Verksamhet": units["department"],
            "Område": units["area"],
            "Vårdtyp": units["care_type"],
        }
    ).reset_index(drop=True)
