"""A synthetic but realistic region for demos: organisation, ledger actuals and budget.

Pure generation (numpy and pandas, no database): `generate()` builds the data as
DataFrames shaped like the extracts controllers upload, `write_extracts()` writes
them as such files (XLSX and Swedish-Excel CSV in UTF-8 with BOM and
Windows-1252), and `load_demo` feeds those files through the real import
commands.

The figures follow the seeds (see shared/domain.md, "Figures from the seeds"):
own-staff cost about 7.5 bn SEK a year, agency cost about 300 Mkr a year with
doctors about three quarters of it, an agency share of about 4.7 % in 2023
falling toward 3.5 %, primary care in Skellefteå and södra Lappland far above
the average and hospital care well below it, growth 2022 -> 2023, a slight fall
2024, purchased hours falling in the second half of 2024, a summer peak. Sick leave
(domain KPI 9) sits at 5.5-7 %, women above men and the oldest above the youngest,
with winter peaks (the highest in early 2022) and a long-term share near 40 %; the
smallest departments have too few men for their figures to be shown.
Everything comes from one `numpy.random.Generator` with a fixed seed, so the same
seed and the same `today` give the same data.

All names are invented or are place names; no person is named.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

DEFAULT_SEED = 2024
FIRST_YEAR = 2021

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

SJUKHUS, PRIMAR, TAND, OVRIGT = "sjukhusvård", "primärvård", "tandvård", "övrigt"

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

# The accounts the demo books on, with their category in fixtures/konton.csv.
ACCOUNT_CATEGORY = {
    "4601": "hyr_lakare",
    "4602": "hyr_lakare",
    "4611": "hyr_ssk_bm",
    "4612": "hyr_ssk_bm",
    "4613": "hyr_ssk_bm",
    "4621": "hyr_ovriga",
    "4622": "hyr_ovriga",
    "4629": "hyr_ovriga",
    "5111": "egen_lon",
    "5112": "egen_lon",
    "5121": "egen_lon",
    "5122": "egen_lon",
    "5131": "egen_lon",
    "5132": "egen_lon",
    "5141": "egen_lon",
    "5411": "egen_po",
    "5412": "egen_po",
    "5511": "egen_pension",
    "5512": "egen_pension",
    "5611": "egen_ovrigt",
    "5612": "egen_ovrigt",
    "5619": "egen_ovrigt",
    "5711": "ignorera",
}
AGENCY_CATEGORIES = ("hyr_lakare", "hyr_ssk_bm", "hyr_ovriga")
OWN_CATEGORIES = ("egen_lon", "egen_po", "egen_pension", "egen_ovrigt")
PROFESSIONS = AGENCY_CATEGORIES

# National totals per year, SEK. Own staff grows with pay rises; agency grows to 2023,
# falls slightly 2024 (nurses -11 %, doctors flat) and more from 2025. Between the
# yearly anchors the monthly level moves smoothly (see _monthly_curve).
OWN_TOTAL = {2020: 6.35e9, 2021: 6.55e9, 2022: 6.80e9, 2023: 7.05e9, 2024: 7.40e9,
             2025: 7.75e9, 2026: 8.05e9}  # fmt: skip
AGENCY_TOTAL = {
    "hyr_lakare": {2020: 185e6, 2021: 200e6, 2022: 230e6, 2023: 250e6, 2024: 244e6,
                   2025: 212e6, 2026: 208e6},
    "hyr_ssk_bm": {2020: 33e6, 2021: 37e6, 2022: 46e6, 2023: 58e6, 2024: 53e6,
                   2025: 45e6, 2026: 46e6},
    "hyr_ovriga": {2020: 15e6, 2021: 16e6, 2022: 19e6, 2023: 22e6, 2024: 21e6,
                   2025: 19e6, 2026: 18e6},
}  # fmt: skip
OWN_GROWTH_AFTER = 1.035  # per year beyond the table
AGENCY_GROWTH_AFTER = 0.95

# Own-staff cost per category as a share of the total.
OWN_CATEGORY_SHARE = {"egen_lon": 0.65, "egen_po": 0.25, "egen_pension": 0.08, "egen_ovrigt": 0.02}


def _profile(values) -> np.ndarray:
    array = np.asarray(values, dtype=float)
    return array / array.mean()


# Own-staff accounts: konto -> (share of its category, noise sigma, probability that a
# unit books on it in a month, seasonal profile Jan..Dec).
OWN_ACCOUNTS = {
    "5111": (0.73, 0.01, 1.0, [1, 1, 1, 1, 1, 0.95, 0.6, 0.8, 1, 1, 1, 1]),
    "5112": (0.04, 0.20, 0.95, [0.8, 0.8, 0.8, 0.8, 0.9, 1.5, 2.1, 1.6, 0.9, 0.8, 0.8, 0.9]),
    "5121": (0.05, 0.08, 1.0, [1, 1, 1, 1, 1, 1.1, 1.3, 1.2, 1, 1, 1, 1.1]),
    "5122": (0.03, 0.25, 0.9, [0.9, 0.9, 0.9, 0.9, 0.9, 1.2, 1.6, 1.4, 0.9, 0.9, 1, 1.2]),
    "5131": (0.08, 0.15, 1.0, [0.4, 0.5, 0.6, 0.6, 0.6, 1.6, 3.9, 2.3, 0.5, 0.5, 0.5, 1.0]),
    "5132": (0.015, 0.30, 0.95, [1.4, 1.4, 1.2, 1, 0.9, 0.8, 0.6, 0.7, 0.9, 1, 1.1, 1.2]),
    "5141": (0.055, 0.06, 1.0, [1, 1, 1, 1, 1, 1.1, 1.2, 1.1, 1, 1, 1, 1.2]),
    "5411": (0.3142 / 0.3862, 0.005, 1.0, None),  # lagstadgade avgifter, follow the salaries
    "5412": (0.0720 / 0.3862, 0.01, 1.0, None),
    "5511": (1 / 1.2426, 0.03, 1.0, [1] * 11 + [1.35]),  # yearly adjustment in December
    "5512": (0.2426 / 1.2426, 0.03, 1.0, [1] * 11 + [1.35]),  # särskild löneskatt 24,26 %
    "5611": (0.6, 0.5, 0.7, [0.6, 1.2, 1.3, 1.2, 1.1, 0.7, 0.2, 0.4, 1.4, 1.5, 1.3, 1.0]),
    "5612": (0.2, 0.5, 0.4, [0.6, 0.6, 0.8, 0.8, 1, 1, 0.3, 0.5, 0.8, 0.8, 1, 3.0]),
    "5619": (0.2, 0.6, 0.5, [1] * 12),
}
# Small units book on fewer accounts: the others are folded into these.
FOLDED_INTO = {
    "5112": "5111", "5121": "5111", "5122": "5111", "5132": "5111", "5141": "5111",
    "5412": "5411", "5512": "5511", "5612": "5611", "5619": "5611",
}  # fmt: skip
# Units with at least this many employees book on every account.
DETAIL_MIN_EMPLOYEES = 35

# Agency seasonality: a summer peak, strongest for nurses.
AGENCY_SEASON = {
    "hyr_lakare": _profile([1.0, 0.95, 0.98, 0.95, 0.97, 1.08, 1.25, 1.18, 0.95, 0.92, 0.92, 0.95]),
    "hyr_ssk_bm": _profile([0.9, 0.85, 0.9, 0.88, 0.95, 1.2, 1.55, 1.4, 0.95, 0.85, 0.82, 0.85]),
    "hyr_ovriga": _profile([0.95, 0.95, 1, 1, 1, 1.05, 1.1, 1.05, 1, 0.98, 0.97, 0.95]),
}
# Price per hour in 2021 in the cheapest zone (SEK), by agency account.
HOURLY_PRICE_2021 = {
    "4601": 1300.0, "4602": 1200.0, "4611": 800.0, "4612": 840.0, "4613": 900.0,
    "4621": 950.0, "4622": 760.0, "4629": 820.0,
}  # fmt: skip
PRICE_GROWTH = 1.035  # per year
# The national agreement pays more outside the cities: price factor per area.
PRICE_ZONE = {NSO_SL: 1.22, NSO_SKE: 1.10}
# Bookkeeping of one month's semesterlöneskuld change (ignored by the KPIs), share of salaries.
HOLIDAY_DEBT_CHANGE = [0.06, 0.06, 0.05, 0.05, 0.04, -0.12, -0.20, -0.12, 0.05, 0.05, 0.04, 0.02]

# Budget is booked on one account per category.
BUDGET_ACCOUNT = {
    "egen_lon": "5111", "egen_po": "5411", "egen_pension": "5511", "egen_ovrigt": "5611",
    "hyr_lakare": "4601", "hyr_ssk_bm": "4611", "hyr_ovriga": "4629",
}  # fmt: skip

# The reduced demo (--small): these areas, the first departments and units of each.
SMALL_AREAS = (NSO_SKE, TANDVARDEN)
SMALL_DEPARTMENTS = 2
SMALL_UNITS = 3
SMALL_MONTHS = 15

ORG_COLUMNS = ["Ansvar", "Enhet", "Verksamhet", "Område", "Vårdtyp"]
COST_COLUMNS = ["Period", "Ansvar", "Konto", "Belopp", "Timmar"]


@dataclass
class DemoData:
    """The generated region. Costs have columns Period ('YYYY-MM'), Ansvar, Konto (str),
    Belopp (SEK, float, öre) and Timmar (float, NaN when blank)."""

    org: pd.DataFrame
    actuals: pd.DataFrame
    budget: pd.DataFrame
    units: pd.DataFrame  # the generator's view of the units (employees, agency intensity, ...)
    # The payroll system's sick-leave extract (SICK_LEAVE_COLUMNS): one row per month,
    # unit, gender and age band with employees, ordinary hours and sick hours.
    sick_leave: pd.DataFrame = field(default_factory=pd.DataFrame)


@dataclass(frozen=True)
class Extract:
    kind: str  # "org", "actuals", "budget" or "sick_leave"
    path: Path
    year: int | None = None


# --- organisation ---------------------------------------------------------------------


def _unit_kind(name: str, department: str, care_type: str) -> str:
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


def _agency_intensity(rng, area: str, department: str, name: str, care: str, kind: str):
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


# --- time -----------------------------------------------------------------------------


def last_full_month(today: dt.date) -> tuple[int, int]:
    first = today.replace(day=1)
    previous = first - dt.timedelta(days=1)
    return previous.year, previous.month


def _yearly(table: dict[int, float], year: int, growth: float) -> float:
    if year in table:
        return table[year]
    last = max(table)
    if year > last:
        return table[last] * growth ** (year - last)
    first = min(table)
    return table[first] / growth ** (first - year)


def _monthly_curve(
    table: dict[int, float], years: list[int], growth: float, season: np.ndarray | None = None
) -> np.ndarray:
    """Monthly values over `years`: smooth between mid-year anchors, each year summing to
    its yearly total (times the seasonal profile, if any)."""
    anchor_years = [years[0] - 1, *years, years[-1] + 1]
    anchor_x = np.array([(y - years[0]) * 12 + 5.5 for y in anchor_years])
    anchor_y = np.array([_yearly(table, y, growth) / 12 for y in anchor_years])
    months = np.arange(len(years) * 12)
    level = np.interp(months, anchor_x, anchor_y)
    if season is not None:
        level = level * season[months % 12]
    for i, year in enumerate(years):
        block = slice(i * 12, (i + 1) * 12)
        level[block] *= _yearly(table, year, growth) / level[block].sum()
    return level


def _story_factors(story: str | None, years: list[int]) -> np.ndarray:
    months = np.arange(len(years) * 12)
    if not isinstance(story, str):  # None (NaN in a pandas column): no story
        return np.ones(len(months))
    anchors = _ANCHOR_STORIES[story]
    x = [(int(k[:4]) - years[0]) * 12 + int(k[5:7]) - 1 for k in anchors]
    return np.interp(months, x, list(anchors.values()))


# --- generation -----------------------------------------------------------------------


def generate(
    seed: int = DEFAULT_SEED, *, today: dt.date | None = None, small: bool = False
) -> DemoData:
    """Generate the demo region: actuals 2021-01 to the last full month before `today`,
    budget for every year with actuals and the current year.

    `small` keeps two areas, a few units and the last 15 months (for tests); its
    figures are the same as the full region's for those units and months.
    """
    today = today or dt.date.today()
    rng = np.random.default_rng(seed)
    last_year, last_month = last_full_month(today)
    years = list(range(FIRST_YEAR, max(last_year, today.year) + 1))
    n_months = len(years) * 12
    n_actual = (last_year - FIRST_YEAR) * 12 + last_month
    if n_actual < 1:
        raise ValueError(f"today must be after {FIRST_YEAR}-01")
    month_of_year = np.arange(n_months) % 12
    periods = np.array([f"{years[0] + m // 12}-{m % 12 + 1:02d}" for m in range(n_months)])

    units = _build_units(rng)
    n_units = len(units)

    # Own-staff level per unit and month: the national total shared by weight, with a
    # slow random drift per unit.
    national_own = _monthly_curve(OWN_TOTAL, years, OWN_GROWTH_AFTER)
    steps = rng.normal(0.0, 0.03, size=(n_units, len(years) + 1))
    drift_anchors = np.exp(np.cumsum(steps, axis=1))
    anchor_x = np.arange(len(years) + 1) * 12.0
    drift = np.stack([np.interp(np.arange(n_months), anchor_x, row) for row in drift_anchors])
    share = units["weight"].to_numpy()[:, None] * drift
    own_level = share / share.sum(axis=0) * national_own  # (units, months)

    own_accounts = list(OWN_ACCOUNTS)
    own_expected = _own_expected(units, own_level, month_of_year)  # (units, accounts, months)

    # Agency: intensity x own level x the unit's story, scaled per profession and month
    # to the national totals.
    mix = np.array([KIND_MIX[k] for k in units["kind"]])  # (units, 3)
    stories = np.stack([_story_factors(s, years) for s in units["story"]])
    raw_trend = rng.normal(0.0, 0.12, size=n_units)  # some units rise, some fall
    trend = np.exp(raw_trend[:, None] * (np.arange(n_months) - 30) / 12.0)
    base = own_level * units["intensity"].to_numpy()[:, None] * stories * trend
    agency_expected = np.zeros((n_units, 3, n_months))
    for p, profession in enumerate(PROFESSIONS):
        target = _monthly_curve(
            AGENCY_TOTAL[profession], years, AGENCY_GROWTH_AFTER, AGENCY_SEASON[profession]
        )
        raw = base * mix[:, p][:, None]
        total = raw.sum(axis=0)
        agency_expected[:, p, :] = np.where(total > 0, raw / np.where(total > 0, total, 1), 0.0)
        agency_expected[:, p, :] *= target

    actuals = pd.concat(
        [
            _own_rows(rng, units, own_expected, own_accounts, n_actual),
            _holiday_debt_rows(rng, units, own_expected, own_accounts, month_of_year, n_actual),
            _agency_rows(rng, units, agency_expected, month_of_year, years, n_actual),
        ],
        ignore_index=True,
    )
    budget = _budget_rows(rng, units, own_expected, own_accounts, agency_expected, years)

    actuals = _finish(actuals, units, periods)
    budget = _finish(budget, units, periods)
    # Sick leave from a generator of its own, so the costs stay what they were.
    sick_leave = sick_leave_rows(np.random.default_rng([seed, 9]), units, periods[:n_actual])
    if small:
        units, actuals, budget = _reduce(units, actuals, budget, periods[n_actual - 1])
        in_small = sick_leave["Ansvar"].isin(set(units["ansvar"]))
        sick_leave = sick_leave[in_small & (sick_leave["Period"] >= actuals["Period"].min())]
        sick_leave = sick_leave.reset_index(drop=True)
    return DemoData(
        org=org_frame(units),
        actuals=actuals,
        budget=budget,
        units=units,
        sick_leave=sick_leave,
    )


def _own_expected(units: pd.DataFrame, own_level: np.ndarray, month_of_year) -> np.ndarray:
    """Expected own-staff cost per unit x account x month (SEK), before noise."""
    lon_accounts = [k for k in OWN_ACCOUNTS if ACCOUNT_CATEGORY[k] == "egen_lon"]
    lon_shares = np.array([OWN_ACCOUNTS[k][0] for k in lon_accounts])
    lon_profiles = np.array([_profile(OWN_ACCOUNTS[k][3]) for k in lon_accounts])
    salary_profile = lon_shares @ lon_profiles / lon_shares.sum()
    result = np.zeros((len(units), len(OWN_ACCOUNTS), own_level.shape[1]))
    on_call = units["on_call"].to_numpy()
    for a, (konto, (share, _sigma, _p, profile)) in enumerate(OWN_ACCOUNTS.items()):
        category = ACCOUNT_CATEGORY[konto]
        season = salary_profile if profile is None else _profile(profile)
        if category in ("egen_po", "egen_pension") and profile is not None:
            season = salary_profile * _profile(profile)
            season = season / season.mean()
        result[:, a, :] = (
            own_level * OWN_CATEGORY_SHARE[category] * share * season[month_of_year][None, :]
        )
    # Units without on-call duty have no 5121; their share goes to monthly salaries.
    jour, monthly = own_accounts_index("5121"), own_accounts_index("5111")
    result[~on_call, monthly, :] += result[~on_call, jour, :]
    result[~on_call, jour, :] = 0.0
    return result


def own_accounts_index(konto: str) -> int:
    return list(OWN_ACCOUNTS).index(konto)


def _lognormal(rng, sigma: float | np.ndarray, size) -> np.ndarray:
    """Multiplicative noise with mean 1."""
    sigma = np.asarray(sigma, dtype=float)
    return np.exp(rng.normal(0.0, 1.0, size=size) * sigma - sigma**2 / 2)


def _own_rows(rng, units, own_expected, own_accounts, n_actual) -> pd.DataFrame:
    n_units, n_accounts, _ = own_expected.shape
    expected = own_expected[:, :, :n_actual].copy()
    # Small units book on fewer accounts.
    small = ~units["detailed"].to_numpy()
    for konto, target in FOLDED_INTO.items():
        a, t = own_accounts_index(konto), own_accounts_index(target)
        expected[small, t, :] += expected[small, a, :]
        expected[small, a, :] = 0.0
    sigma = np.array([OWN_ACCOUNTS[k][1] for k in own_accounts])[None, :, None]
    chance = np.array([OWN_ACCOUNTS[k][2] for k in own_accounts])[None, :, None]
    chance = np.broadcast_to(chance, expected.shape)
    booked = rng.random(expected.shape) < chance
    unit_month = _lognormal(rng, 0.015, (n_units, 1, n_actual))
    amount = expected / chance * unit_month * _lognormal(rng, sigma, expected.shape)
    # Corrections: sick-pay refunds and reversals on other personnel costs.
    correction = np.zeros(expected.shape, dtype=bool)
    for konto, probability in (("5132", 0.03), ("5619", 0.06)):
        a = own_accounts_index(konto)
        correction[:, a, :] = rng.random((n_units, n_actual)) < probability
    amount = np.where(correction, -amount * rng.uniform(0.2, 1.0, expected.shape), amount)
    u, a, m = np.nonzero(booked & (expected > 0))
    return pd.DataFrame(
        {
            "unit": u,
            "konto": np.array(own_accounts)[a],
            "month": m,
            "amount": amount[u, a, m],
            "hours": np.nan,
        }
    )


def _holiday_debt_rows(rng, units, own_expected, own_accounts, month_of_year, n_actual):
    """Förändring semesterlöneskuld (5711, ignored by the KPIs): first unit of each department."""
    lon = [own_accounts_index(k) for k in own_accounts if ACCOUNT_CATEGORY[k] == "egen_lon"]
    salaries = own_expected[:, lon, :n_actual].sum(axis=1)
    frames = []
    for _, group in units.groupby("department", sort=False):
        first = group.index[0]
        dept_salaries = salaries[group.index.to_numpy()].sum(axis=0)
        change = np.array(HOLIDAY_DEBT_CHANGE)[month_of_year[:n_actual]]
        amount = dept_salaries * change * _lognormal(rng, 0.2, n_actual)
        frames.append(
            pd.DataFrame(
                {
                    "unit": first,
                    "konto": "5711",
                    "month": np.arange(n_actual),
                    "amount": amount,
                    "hours": np.nan,
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def _agency_accounts(unit) -> list[list[tuple[str, float]]]:
    """Per profession: the accounts booked on and the share of each."""
    kind, area, name = unit.kind, unit.area, unit.name
    if (unit.care_type == PRIMAR and area in (NSO_SKE, NSO_SL)) or kind == "diag":
        doctors = [("4601", 0.7), ("4602", 0.3)]  # distansläkare
    else:
        doctors = [("4601", 1.0)]
    if kind == "op" or "intensiv" in name.lower():
        nurses = [("4613", 1.0)]
    elif kind == "obstetric":
        nurses = [("4612", 1.0)]
    else:
        nurses = [("4611", 1.0)]
    if kind == "lab":
        others = [("4622", 1.0)]
    elif kind in ("psych", "hc", "rehab"):
        others = [("4621", 1.0)]
    else:
        others = [("4629", 1.0)]
    return [doctors, nurses, others]


def _agency_rows(rng, units, agency_expected, month_of_year, years, n_actual) -> pd.DataFrame:
    expected = agency_expected[:, :, :n_actual]
    # Units with a lot of agency staff use it every month; others now and then.
    yearly = expected.sum(axis=2, keepdims=True) / (n_actual / 12)
    chance = np.clip(0.15 + yearly / 2.0e6, 0.15, 0.97)
    summer = np.isin(month_of_year[:n_actual], (5, 6, 7))[None, None, :]
    chance = np.clip(np.where(summer, chance * 1.3, chance), 0.05, 0.99)
    chance = np.broadcast_to(chance, expected.shape)
    booked = (rng.random(expected.shape) < chance) & (expected > 0)
    amount = expected / chance * _lognormal(rng, 0.3, expected.shape)
    # Keep the national total per profession and month as designed (the seeds' trends):
    # the randomness only decides which units book how much.
    realized = np.where(booked, amount, 0.0).sum(axis=0)
    amount *= np.where(realized > 0, expected.sum(axis=0) / np.where(realized > 0, realized, 1), 1)
    credit = booked & (rng.random(expected.shape) < 0.015)

    year_index = np.arange(n_actual) // 12 + (years[0] - FIRST_YEAR)
    price_year = PRICE_GROWTH ** (year_index + np.arange(n_actual) % 12 / 12)
    zones = units["area"].map(PRICE_ZONE).fillna(1.0).to_numpy()
    # Hospital units named after a remote town pay that town's price.
    zones = np.where(units["name"].str.contains("Lycksele"), PRICE_ZONE[NSO_SL], zones)
    zones = np.where(units["name"].str.contains("Skellefteå"), PRICE_ZONE[NSO_SKE], zones)

    frames = []
    accounts = [_agency_accounts(unit) for unit in units.itertuples()]
    u_all, p_all, m_all = np.nonzero(booked)
    for p in range(3):
        sel = p_all == p
        u, m = u_all[sel], m_all[sel]
        if not len(u):
            continue
        value, is_credit = amount[u, p, m], credit[u, p, m]
        # Credits: a share of a month's invoices returned; no hours.
        value = np.where(is_credit, -value * rng.uniform(0.05, 0.4, len(u)), value)
        split = [accounts[i][p] for i in u]
        n_parts = np.array([len(s) for s in split])
        for part in range(n_parts.max()):
            has = n_parts > part
            konto = np.array([s[part][0] for s, h in zip(split, has, strict=True) if h])
            fraction = np.array([s[part][1] for s, h in zip(split, has, strict=True) if h])
            part_value = value[has] * fraction * (_lognormal(rng, 0.1, has.sum()) if part else 1)
            nurses_zone = 1 + (zones[u[has]] - 1) * (0.6 if p == 1 else 1.0)
            price = (
                np.array([HOURLY_PRICE_2021[k] for k in konto])
                * nurses_zone
                * price_year[m[has]]
                * _lognormal(rng, 0.05, has.sum())
            )
            hours = np.round(part_value / price * 2) / 2
            hours = np.where(is_credit[has], np.nan, hours)
            frames.append(
                pd.DataFrame(
                    {
                        "unit": u[has],
                        "konto": konto,
                        "month": m[has],
                        "amount": part_value,
                        "hours": hours,
                    }
                )  # fmt: skip
            )
    return pd.concat(frames, ignore_index=True)


def _budget_rows(rng, units, own_expected, own_accounts, agency_expected, years) -> pd.DataFrame:
    """A yearly budget per unit and category close to the expected cost (own staff within
    ±3 %, agency lower: a target), spread over the months like the expected cost."""
    categories = list(OWN_CATEGORIES) + list(AGENCY_CATEGORIES)
    per_category = np.zeros((len(units), len(categories), own_expected.shape[2]))
    for c, category in enumerate(OWN_CATEGORIES):
        idx = [own_accounts_index(k) for k in own_accounts if ACCOUNT_CATEGORY[k] == category]
        per_category[:, c, :] = own_expected[:, idx, :].sum(axis=1)
    per_category[:, len(OWN_CATEGORIES) :, :] = agency_expected
    frames = []
    for i, _year in enumerate(years):
        block = per_category[:, :, i * 12 : (i + 1) * 12]
        yearly = block.sum(axis=2)
        factor = np.concatenate(
            [
                1 + np.clip(rng.normal(0.0, 0.012, (len(units), len(OWN_CATEGORIES))), -0.03, 0.03),
                rng.uniform(0.55, 0.85, (len(units), len(AGENCY_CATEGORIES))),
            ],
            axis=1,
        )
        # Agency budgets only where the unit has a meaningful agency cost.
        keep = yearly >= 20_000
        budget_year = np.where(keep, yearly * factor, 0.0)
        spread = block / np.where(yearly > 0, yearly, 1)[:, :, None]
        monthly = np.round(budget_year[:, :, None] * spread)
        u, c, m = np.nonzero(monthly)
        frames.append(
            pd.DataFrame(
                {
                    "unit": u,
                    "konto": np.array([BUDGET_ACCOUNT[k] for k in categories])[c],
                    "month": m + i * 12,
                    "amount": monthly[u, c, m],
                    "hours": np.nan,
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def _finish(rows: pd.DataFrame, units: pd.DataFrame, periods: np.ndarray) -> pd.DataFrame:
    """Extract-shaped frame sorted by period, ansvar and account, amounts in öre."""
    frame = pd.DataFrame(
        {
            "Period": periods[rows["month"].to_numpy()],
            "Ansvar": units["ansvar"].to_numpy()[rows["unit"].to_numpy()],
            "Konto": rows["konto"].astype("str").to_numpy(),
            "Belopp": rows["amount"].to_numpy(dtype=float).round(2),
            "Timmar": rows["hours"].to_numpy(dtype=float),
        }
    )
    frame = frame[frame["Belopp"] != 0]
    frame = frame.sort_values(["Period", "Ansvar", "Konto"], kind="stable")
    return frame.reset_index(drop=True)


def _reduce(units, actuals, budget, last_period: str):
    kept = []
    for area in SMALL_AREAS:
        in_area = units[units["area"] == area]
        for department in list(dict.fromkeys(in_area["department"]))[:SMALL_DEPARTMENTS]:
            kept.extend(in_area[in_area["department"] == department].index[:SMALL_UNITS])
    units = units.loc[kept].reset_index(drop=True)
    ansvar = set(units["ansvar"])
    periods = sorted(actuals["Period"].unique())
    first_period = periods[max(0, periods.index(last_period) - SMALL_MONTHS + 1)]
    actuals = actuals[actuals["Ansvar"].isin(ansvar) & (actuals["Period"] >= first_period)]
    years = {p[:4] for p in actuals["Period"]}
    budget = budget[budget["Ansvar"].isin(ansvar) & budget["Period"].str[:4].isin(years)]
    return units, actuals.reset_index(drop=True), budget.reset_index(drop=True)


# --- sick leave -----------------------------------------------------------------------

SICK_LEAVE_COLUMNS = [
    "Period",
    "Ansvar",
    "Kön",
    "Åldersgrupp",
    "Antal anställda",
    "Ordinarie arbetstid",
    "Sjuktimmar dag 1-14",
    "Sjuktimmar dag 15-59",
    "Sjuktimmar dag 60-",
]
GENDERS = ("K", "M")
AGE_BANDS = ("-29", "30-49", "50-")
AGE_MIX = (0.16, 0.46, 0.38)
# kind -> share of women (health care is mostly women; ambulance staff about half).
WOMEN_SHARE = {
    "hc": 0.82, "sjukstuga": 0.85, "ward": 0.86, "op": 0.78, "obstetric": 0.95,
    "clinic": 0.80, "diag": 0.80, "lab": 0.84, "psych": 0.68, "amb": 0.50,
    "rehab": 0.86, "dental": 0.88, "admin": 0.72,
}  # fmt: skip
# Sick-leave rate (share of ordinary hours) by gender and age band, before the unit's,
# the season's and the year's factors: women above men, the oldest above the youngest.
SICK_RATE = {
    ("K", "-29"): 0.054, ("K", "30-49"): 0.063, ("K", "50-"): 0.074,
    ("M", "-29"): 0.031, ("M", "30-49"): 0.035, ("M", "50-"): 0.048,
}  # fmt: skip
# Share of sick hours on day 60 and later, by age band (long illness grows with age).
LONG_TERM_SHARE = {"-29": 0.25, "30-49": 0.38, "50-": 0.50}
# Winter peaks: colds and influenza in December-March, lowest in July.
SICK_SEASON = _profile([1.22, 1.28, 1.14, 1.0, 0.92, 0.85, 0.70, 0.80, 0.95, 1.04, 1.10, 1.18])
SICK_YEAR = {2021: 1.04, 2022: 1.06, 2023: 1.0, 2024: 0.97, 2025: 0.95}
# Omicron: January and February 2022 far above any other winter.
SICK_EPIDEMIC = {"2022-01": 1.35, "2022-02": 1.25}
# Scheduled hours per employee and month: working days x 8 h x a 90 % average post.
WORKING_DAYS = (21, 20, 22, 20, 20, 21, 22, 22, 21, 22, 21, 19)


def sick_leave_rows(rng, units: pd.DataFrame, periods) -> pd.DataFrame:
    """The payroll extract of sick leave for `periods` ('YYYY-MM'): per unit, gender and
    age band with employees, its ordinary hours and the sick hours by day of the sick
    period. Groups without employees have no row."""
    periods = list(periods)
    n_units, n_months = len(units), len(periods)
    women = np.array([WOMEN_SHARE[k] for k in units["kind"]])
    women = np.clip(women + rng.normal(0.0, 0.04, n_units), 0.3, 0.98)
    ages = rng.dirichlet(np.array(AGE_MIX) * 40, size=n_units)
    # Staff come and go a little every month.
    staff = units["employees"].to_numpy()[:, None] * rng.lognormal(0.0, 0.04, (n_units, n_months))
    unit_effect = rng.lognormal(-0.04, 0.28, n_units)  # some units are far above the rest
    month_of_year = np.array([int(p[5:7]) - 1 for p in periods])
    year = np.array([int(p[:4]) for p in periods])
    level = SICK_SEASON[month_of_year] * np.array(
        [SICK_YEAR.get(y, SICK_YEAR[max(SICK_YEAR)]) * SICK_EPIDEMIC.get(p, 1.0)
         for y, p in zip(year, periods, strict=True)]
    )  # fmt: skip
    hours_per_employee = np.array(WORKING_DAYS)[month_of_year] * 8 * 0.9

    frames = []
    for gender in GENDERS:
        share = women if gender == "K" else 1 - women
        for a, band in enumerate(AGE_BANDS):
            expected = staff * (share * ages[:, a])[:, None]
            employees = rng.poisson(expected)
            ordinary = employees * hours_per_employee[None, :]
            ordinary = ordinary * rng.lognormal(0.0, 0.03, ordinary.shape)
            rate = SICK_RATE[(gender, band)] * unit_effect[:, None] * level[None, :]
            # Few people: a single long illness moves the rate a lot.
            spread = 0.15 + 0.6 / np.sqrt(np.maximum(employees, 1))
            rate = np.clip(rate * rng.lognormal(-(spread**2) / 2, spread), 0.0, 0.6)
            sick = ordinary * rate
            # Short spells follow the season; long ones do not.
            short = np.clip(0.40 * SICK_SEASON[month_of_year][None, :], 0.2, 0.6)
            long = np.clip(
                LONG_TERM_SHARE[band] * rng.lognormal(0.0, 0.2, sick.shape), 0.0, 0.9 - short
            )
            middle = 1.0 - short - long
            u, m = np.nonzero(employees > 0)
            frames.append(
                pd.DataFrame(
                    {
                        "Period": np.array(periods)[m],
                        "Ansvar": units["ansvar"].to_numpy()[u],
                        "Kön": gender,
                        "Åldersgrupp": band,
                        "Antal anställda": employees[u, m],
                        "Ordinarie arbetstid": np.round(ordinary[u, m], 2),
                        "Sjuktimmar dag 1-14": np.round(
                            sick[u, m] * np.broadcast_to(short, sick.shape)[u, m], 2
                        ),
                        "Sjuktimmar dag 15-59": np.round(sick[u, m] * middle[u, m], 2),
                        "Sjuktimmar dag 60-": np.round(sick[u, m] * long[u, m], 2),
                    }
                )
            )
    rows = pd.concat(frames, ignore_index=True)
    order = {g: i for i, g in enumerate(GENDERS)} | {b: i for i, b in enumerate(AGE_BANDS)}
    rows = rows.sort_values(
        ["Period", "Ansvar", "Kön", "Åldersgrupp"],
        key=lambda c: c.map(order) if c.name in ("Kön", "Åldersgrupp") else c,
        kind="stable",
    )
    return rows.reset_index(drop=True)


# --- summaries ------------------------------------------------------------------------


def with_category(costs: pd.DataFrame) -> pd.DataFrame:
    """The cost rows with their category (Kategori) and year (År)."""
    return costs.assign(Kategori=costs["Konto"].map(ACCOUNT_CATEGORY), År=costs["Period"].str[:4])


def category_totals(costs: pd.DataFrame, by: tuple[str, ...] = ("Period",)) -> pd.DataFrame:
    """Sum of Belopp and Timmar per `by` x Kategori (SEK, hours)."""
    frame = with_category(costs)
    return frame.groupby([*by, "Kategori"])[["Belopp", "Timmar"]].sum(min_count=1).reset_index()


# --- files ----------------------------------------------------------------------------


def write_extracts(data: DemoData, directory: Path | str) -> list[Extract]:
    """Write the region as extract files, in import order: the organisation (XLSX), then
    per year the actuals and the budget (CSV as Swedish Excel saves it: ';', decimal
    comma, UTF-8 with BOM; the second actuals year in Windows-1252 with CRLF; the first
    budget year as XLSX with real dates and numeric account codes), then per year the
    sick leave (the first year as XLSX, the second in Windows-1252, the rest UTF-8)."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    extracts = [Extract("org", _write_org_xlsx(data.org, directory / "organisation.xlsx"))]
    actual_years = sorted(data.actuals["Period"].str[:4].unique())
    budget_years = sorted(data.budget["Period"].str[:4].unique())
    for i, year in enumerate(actual_years):
        rows = data.actuals[data.actuals["Period"].str[:4] == year]
        if i == 1:
            path = _write_csv(rows, directory / f"utfall_{year}.csv", "cp1252", "\r\n")
        else:
            path = _write_csv(rows, directory / f"utfall_{year}.csv", "utf-8-sig", "\n")
        extracts.append(Extract("actuals", path, int(year)))
    for i, year in enumerate(budget_years):
        rows = data.budget[data.budget["Period"].str[:4] == year]
        if i == 0:
            path = _write_costs_xlsx(rows, directory / f"budget_{year}.xlsx")
        else:
            path = _write_csv(rows, directory / f"budget_{year}.csv", "utf-8-sig", "\n")
        extracts.append(Extract("budget", path, int(year)))
    sick_years = sorted(data.sick_leave["Period"].str[:4].unique()) if len(data.sick_leave) else []
    for i, year in enumerate(sick_years):
        rows = data.sick_leave[data.sick_leave["Period"].str[:4] == year]
        name = f"sjukfranvaro_{year}"
        if i == 0:
            path = _write_sick_leave_xlsx(rows, directory / f"{name}.xlsx")
        elif i == 1:
            path = _write_sick_leave_csv(rows, directory / f"{name}.csv", "cp1252", "\r\n")
        else:
            path = _write_sick_leave_csv(rows, directory / f"{name}.csv", "utf-8-sig", "\n")
        extracts.append(Extract("sick_leave", path, int(year)))
    return extracts


def _number(values: pd.Series) -> pd.Series:
    """Decimal comma, no thousands separator, blank for NaN (as Swedish Excel saves CSV)."""
    text = values.map(lambda v: "" if pd.isna(v) else f"{v:.2f}")
    text = text.str.replace(r"\.00$", "", regex=True).str.replace(r"(\.\d)0$", r"\1", regex=True)
    return text.str.replace(".", ",", regex=False)


def _write_csv(rows: pd.DataFrame, path: Path, encoding: str, newline: str) -> Path:
    out = rows[COST_COLUMNS].copy()
    out["Belopp"] = _number(out["Belopp"])
    out["Timmar"] = _number(out["Timmar"])
    buffer = io.StringIO()
    out.to_csv(buffer, sep=";", index=False, lineterminator=newline, quoting=csv.QUOTE_MINIMAL)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def _write_org_xlsx(org: pd.DataFrame, path: Path) -> Path:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Organisation")
    sheet.append(ORG_COLUMNS)
    for row in org[ORG_COLUMNS].itertuples(index=False, name=None):
        sheet.append([str(v) for v in row])  # ansvar as text: keeps leading zeros
    workbook.save(path)
    return path


def _write_costs_xlsx(rows: pd.DataFrame, path: Path) -> Path:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Budget")
    sheet.append(COST_COLUMNS)
    for period, ansvar, konto, amount, hours in rows[COST_COLUMNS].itertuples(
        index=False, name=None
    ):
        sheet.append(
            [
                dt.datetime(int(period[:4]), int(period[5:7]), 1),
                ansvar,
                int(konto),
                float(amount),
                None if pd.isna(hours) else float(hours),
            ]
        )
    workbook.save(path)
    return path


def _write_sick_leave_csv(rows: pd.DataFrame, path: Path, encoding: str, newline: str) -> Path:
    out = rows[SICK_LEAVE_COLUMNS].copy()
    for column in SICK_LEAVE_COLUMNS[5:]:
        out[column] = _number(out[column])
    buffer = io.StringIO()
    out.to_csv(buffer, sep=";", index=False, lineterminator=newline, quoting=csv.QUOTE_MINIMAL)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def _write_sick_leave_xlsx(rows: pd.DataFrame, path: Path) -> Path:
    """Dates as dates, counts and hours as numbers, the age bands as text."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Sjukfrånvaro")
    sheet.append(SICK_LEAVE_COLUMNS)
    for period, ansvar, gender, band, employees, *hours in rows[SICK_LEAVE_COLUMNS].itertuples(
        index=False, name=None
    ):
        sheet.append(
            [
                dt.datetime(int(period[:4]), int(period[5:7]), 1),
                ansvar,
                gender,
                band,
                int(employees),
                *(float(h) for h in hours),
            ]
        )
    workbook.save(path)
    return path
