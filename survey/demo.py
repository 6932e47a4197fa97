"""Synthetic survey years for the demo region (pure numpy and pandas, no database).

`generate(units, questions, years)` answers the questionnaire for the demo's
units (kpis.demo's unit frame) the way the seeds describe the region: about
9 400 employees, about 73 % responding, HME around 76-80, eNPS around -40 to
-20 (critics about half, promoters about one in eight), HSE answered only by
staff with patient contact, the psychosocial themes at the levels the seed's
analysis names (emotional demands, workload and stress low; colleagues,
role clarity and the nearest manager high). Each person's answers share a
personal and a unit level, so indices vary between units and move a little
from year to year. Small units (the area offices) fall under the anonymity
threshold. `write_files` writes the vendor's answers file (2023 as Swedish
Excel CSV, later years as XLSX) and HR's employee counts.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

DEFAULT_SEED = 2024
YEARS = (2023, 2024)
EMPLOYEES = 9_400

# How good a theme is on the 1-5 scale (5 best), before reversing the question.
LEVEL = {
    "hme": 4.22,
    "hse": 3.95,
    "HSE_10": 4.15,
    "HSE_11": 3.35,  # patient participation: the seed's expected weak spot
    "tema_rollkonflikter": 2.9,
    "tema_inflytande": 3.5,
    "tema_forutsagbarhet": 3.3,
    "tema_utfora": 3.4,
    "tema_rolltydlighet": 4.1,
    "tema_emotionella_krav": 2.4,
    "tema_arbetsmangd": 2.9,
    "tema_samarbete": 4.0,
    "tema_tillit": 4.0,
    "tema_rattvisa": 3.6,
    "tema_ledarkvalitet": 3.6,
    "tema_stod_chef": 4.0,
    "tema_forandringar": 3.1,
    "tema_arbete_privatliv": 3.0,
    "tema_stress": 2.8,
}
YEAR_SHIFT = {2023: -0.05, 2024: 0.0}  # 2024 slightly better than 2023
ENPS_MEAN = {2023: 6.6, 2024: 6.85}
NO_PATIENT_CONTACT = ("admin", "lab")


@dataclass(frozen=True)
class DemoQuestion:
    code: str
    group: str  # hme, hse, a theme code, enps
    reversed: bool = False


@dataclass
class SurveyYearData:
    year: int
    answers: pd.DataFrame  # RespondentID, Ansvar, one column per question (float, NaN)
    population: pd.DataFrame  # Ansvar, Antal medarbetare


def population(units: pd.DataFrame) -> pd.Series:
    """Employees per unit, scaled from the cost demo's sizes to about 9 400 in all."""
    full = units["employees"].sum()
    scale = EMPLOYEES / full if full else 1.0
    return (units["employees"] * scale).round().clip(lower=3).astype(int)


def generate(
    units: pd.DataFrame,
    questions: list[DemoQuestion],
    *,
    years=YEARS,
    seed: int = DEFAULT_SEED,
    scale_from: pd.DataFrame | None = None,
) -> list[SurveyYearData]:
    """Answers and employee counts for each year.

    `units`: ansvar, kind and employees per unit (kpis.demo). `scale_from`: the
    full region's units when `units` is a reduced demo, so a unit has the same
    size either way.
    """
    rng = np.random.default_rng(seed)
    staff = population(units) if scale_from is None else _scaled(units, scale_from)
    n_units = len(units)
    unit_level = rng.normal(0.0, 0.22, n_units)
    unit_rate = np.clip(rng.normal(0.74, 0.07, n_units), 0.45, 0.95)
    patient = ~units["kind"].isin(NO_PATIENT_CONTACT).to_numpy()
    out = []
    for year in years:
        drift = unit_level + rng.normal(0.0, 0.08, n_units)
        staff_year = np.maximum(3, (staff.to_numpy() * rng.normal(1.0, 0.03, n_units)).round())
        staff_year = staff_year.astype(int)
        respondents = rng.binomial(staff_year, unit_rate)
        unit_index = np.repeat(np.arange(n_units), respondents)
        n = len(unit_index)
        person = rng.normal(0.0, 0.5, n)
        level = person + drift[unit_index] + YEAR_SHIFT.get(year, 0.0)
        contact = patient[unit_index] & (rng.random(n) < 0.93)
        columns = {}
        for question in questions:
            if question.group == "enps":
                latent = ENPS_MEAN.get(year, 6.2) + 1.7 * level + rng.normal(0.0, 1.6, n)
                values = np.clip(np.rint(latent), 0, 10)
                blank = rng.random(n) < 0.008
            else:
                base = LEVEL.get(question.code, LEVEL.get(question.group, 3.6))
                good = np.clip(np.rint(base + 0.8 * level + rng.normal(0.0, 0.7, n)), 1, 5)
                values = 6 - good if question.reversed else good
                blank = rng.random(n) < 0.02
                if question.group in ("hse",) or question.code.startswith("HSE_"):
                    blank |= ~contact
            columns[question.code] = np.where(blank, np.nan, values)
        ansvar = units["ansvar"].to_numpy()[unit_index]
        answers = pd.DataFrame(
            {
                "RespondentID": [f"MU{year}-{i + 1:05d}" for i in rng.permutation(n)],
                "Ansvar": ansvar,
                **columns,
            }
        )
        out.append(
            SurveyYearData(
                year=year,
                answers=answers,
                population=pd.DataFrame(
                    {"Ansvar": units["ansvar"].to_numpy(), "Antal medarbetare": staff_year}
                ),
            )
        )
    return out


def _scaled(units: pd.DataFrame, full: pd.DataFrame) -> pd.Series:
    sizes = dict(zip(full["ansvar"], population(full), strict=True))
    return units["ansvar"].map(sizes).astype(int).reset_index(drop=True)


def write_files(data: list[SurveyYearData], directory: Path | str) -> list[tuple[int, Path, Path]]:
    """(year, answers file, employees file) per year: the first year's answers as CSV in
    Windows-1252 (Swedish Excel), later years as XLSX; employee counts as CSV."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for i, year_data in enumerate(data):
        if i == 0:
            answers = directory / f"mu_svar_{year_data.year}.csv"
            frame = year_data.answers.copy()
            for column in frame.columns[2:]:
                frame[column] = frame[column].map(lambda v: "" if pd.isna(v) else str(int(v)))
            buffer = io.StringIO()
            frame.to_csv(
                buffer, sep=";", index=False, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL
            )
            answers.write_bytes(buffer.getvalue().encode("cp1252"))
        else:
            answers = _write_xlsx(year_data.answers, directory / f"mu_svar_{year_data.year}.xlsx")
        staff = directory / f"mu_antal_medarbetare_{year_data.year}.csv"
        buffer = io.StringIO()
        year_data.population.to_csv(buffer, sep=";", index=False, lineterminator="\n")
        staff.write_bytes(buffer.getvalue().encode("utf-8-sig"))
        written.append((year_data.year, answers, staff))
    return written


def _write_xlsx(frame: pd.DataFrame, path: Path) -> Path:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Svar")
    sheet.append(list(frame.columns))
    for row in frame.itertuples(index=False, name=None):
        sheet.append([row[0], str(row[1])] + [None if v != v else int(v) for v in row[2:]])
    workbook.save(path)
    return path


def questions_of(spec) -> list[DemoQuestion]:
    """The questions of a survey.questionnaires.Spec, each with the group that sets its level."""
    group = {}
    for measure in spec.measures:
        if measure.code in ("hme", "hse", "enps") or measure.code.startswith("hse_"):
            name = "hse" if measure.code.startswith("hse") else measure.code
            group.update(dict.fromkeys(measure.questions, name))
        elif measure.code.startswith("tema_"):
            group.update(dict.fromkeys(measure.questions, measure.code))
    return [
        DemoQuestion(code, group.get(code, "other"), question.reversed)
        for code, question in spec.questions.items()
    ]
