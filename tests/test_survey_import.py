"""Importing the survey: the 2024 questionnaire, the answers and employee files, replace, undo."""

import io

import pytest
from django.core.management import CommandError, call_command

from hyrdash.lib.errors import ServiceError
from hyrdash.lib.tabular import ExtractError
from survey import services
from survey.models import Question, Questionnaire, SurveyBatch, UnitResult

ANSWERS = """RespondentID;Ansvar;HME_M1;HME_M2;HME_L1;ENPS;PS_EMO1
r1;0101;5;4;3;10;1
r2;0101;4;;3;6;5
r3;0102;3;3;3;8;
"""
POPULATION = """Ansvar;Antal medarbetare
0101;4
0102;2
2001;10
"""


def run(command: str, data: str, *args: str, tmp_path) -> str:
    path = tmp_path / "fil.csv"
    path.write_text(data, encoding="utf-8")
    out = io.StringIO()
    call_command(command, str(path), *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_the_2024_questionnaire_is_installed_with_the_fixed_codes(db):
    questionnaire = Questionnaire.objects.get(year=2024)
    codes = list(questionnaire.questions.values_list("code", flat=True))
    assert codes[:9] == [f"HME_{s}{n}" for s in "MLS" for n in (1, 2, 3)]
    assert codes[9:20] == [f"HSE_{n}" for n in range(1, 12)]
    assert codes[-1] == "ENPS"
    assert len(codes) == 69
    assert questionnaire.dimensions.count() == 5
    assert sum(d.themes.count() for d in questionnaire.dimensions.all()) == 15
    hse = questionnaire.questions.filter(code__startswith="HSE_")
    assert list(hse.filter(index="hse_utfall").values_list("code", flat=True)) == [
        "HSE_10",
        "HSE_11",
    ]
    enps = questionnaire.questions.get(code="ENPS")
    assert (enps.scale, enps.index) == ("0-10", "enps")
    assert questionnaire.questions.get(code="PS_MANGD4").reversed  # "Kommer du efter ..."
    assert not questionnaire.questions.get(code="PS_MANGD1").reversed  # "tillräckligt med tid"


def test_a_year_without_a_questionnaire_uses_the_latest_earlier_or_else_the_earliest(db):
    q2024 = Questionnaire.objects.get(year=2024)
    q2026 = Questionnaire.objects.create(year=2026)
    assert Questionnaire.for_year(2025) == q2024
    assert Questionnaire.for_year(2026) == q2026
    assert Questionnaire.for_year(2030) == q2026
    assert Questionnaire.for_year(2019) == q2024


def test_it_imports_answers_and_keeps_the_sums_per_unit(registers, tmp_path):
    out = run("import_survey", ANSWERS, "--year", "2024", tmp_path=tmp_path)
    assert "3 svarande i 2 enheter, 5 frågor, 2024 (enkät 2024)" in out
    assert "Frågor som saknas i filen räknas som obesvarade: HME_M3" in out
    batch = SurveyBatch.objects.get()
    assert (batch.kind, batch.year, batch.is_current, batch.row_count) == ("answers", 2024, True, 3)
    answers, ids, units = services.stored_answers(batch)  # kept for rebuilding
    assert ids.tolist() == ["r1", "r2", "r3"]
    assert list(answers.columns) == ["HME_M1", "HME_M2", "HME_L1", "PS_EMO1", "ENPS"]
    assert answers.iloc[1].fillna(-1).tolist() == [4, -1, 3, 5, 6]
    hme = UnitResult.objects.get(unit__ansvar="0101", measure="hme")
    # r1: 100 + 75 + 50, r2: 75 + 50
    assert (hme.respondents, hme.answers, hme.score_sum) == (2, 5, 350.0)
    emo = UnitResult.objects.get(unit__ansvar="0101", measure="tema_emotionella_krav")
    assert emo.score_sum == 100.0  # reversed: 1 -> 100, 5 -> 0
    enps = UnitResult.objects.get(unit__ansvar="0101", measure="enps")
    assert (enps.promoters, enps.passives, enps.critics) == (1, 0, 1)


def test_it_imports_employee_counts(registers, tmp_path):
    out = run("import_survey_population", POPULATION, "--year", "2024", tmp_path=tmp_path)
    assert "16 medarbetare i 3 enheter, 2024." in out


@pytest.mark.parametrize(
    ("data", "problems"),
    [
        (
            "RespondentID;Ansvar;HME_M1;HME_X9\nr1;0101;3;1\n",
            [
                "Kolumn HME_X9: är ingen fråga i enkäten för 2024 (frågekoderna finns under "
                "Enkäter i administrationen)."
            ],
        ),
        (
            "RespondentID;Ansvar;HME_M1;ENPS\nr1;0101;6;11\nr2;9999;0;10\nr1;0102;3,5;x\n;0101;;\n",
            [
                "Rad 2, kolumn HME_M1: ”6” är inget svar på frågans skala 1–5 "
                "(ett heltal, tomt om obesvarad).",
                "Rad 2, kolumn ENPS: ”11” är inget svar på frågans skala 0–10 "
                "(ett heltal, tomt om obesvarad).",
                "Rad 3, kolumn Ansvar: ”9999” är ett okänt ansvar (finns inte i "
                "organisationsregistret).",
                "Rad 3, kolumn HME_M1: ”0” är inget svar på frågans skala 1–5 "
                "(ett heltal, tomt om obesvarad).",
                "Rad 4, kolumn RespondentID: ”r1” förekommer flera gånger "
                "(varje respondent får bara finnas på en rad).",
                "Rad 4, kolumn HME_M1: ”3,5” är inget svar på frågans skala 1–5 "
                "(ett heltal, tomt om obesvarad).",
                "Rad 4, kolumn ENPS: ”x” är inget svar på frågans skala 0–10 "
                "(ett heltal, tomt om obesvarad).",
                "Rad 5, kolumn RespondentID: värde saknas.",
            ],
        ),
        (
            "Ansvar;HME_M1\n0101;3\n",
            ["Kolumnen ”RespondentID” saknas.", "Filens kolumner är: ”Ansvar”, ”HME_M1”."],
        ),
    ],
)
def test_it_refuses_a_wrong_answers_file_with_every_problem_named(registers, data, problems):
    with pytest.raises(ExtractError) as caught:
        services.answers_import(data=data.encode(), file_name="svar.csv", year=2024)
    assert caught.value.lines() == problems
    assert not SurveyBatch.objects.exists()


def test_it_refuses_wrong_employee_counts(registers):
    data = "Ansvar;Antal medarbetare\n0101;-1\n0101;3\n7777;2,5\n"
    with pytest.raises(ExtractError) as caught:
        services.population_import(data=data.encode(), file_name="antal.csv", year=2024)
    assert caught.value.lines() == [
        "Rad 2, kolumn Antal medarbetare: ”-1” är inget antal medarbetare (ett heltal 0–100\u00a0000).",
        "Rad 3, kolumn Ansvar: ”0101” förekommer flera gånger (varje ansvar får bara finnas på en rad).",
        "Rad 4, kolumn Ansvar: ”7777” är ett okänt ansvar (finns inte i organisationsregistret).",
        "Rad 4, kolumn Antal medarbetare: ”2,5” är inget antal medarbetare (ett heltal 0–100\u00a0000).",
    ]


def test_the_command_lists_the_problems_and_exits_non_zero(registers, tmp_path):
    path = tmp_path / "svar.csv"
    path.write_text("RespondentID;Ansvar;HME_M1\nr1;0101;9\n", encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError, match="Filen importerades inte: 1 fel. Inget har sparats."):
        call_command("import_survey", str(path), "--year", "2024", stderr=err)
    assert "Rad 2, kolumn HME_M1: ”9” är inget svar" in err.getvalue()


def test_a_new_upload_replaces_the_year_and_undo_brings_the_old_one_back(registers):
    first, _ = services.answers_import(data=ANSWERS.encode(), file_name="a.csv", year=2024)
    second_data = ANSWERS.replace("r3;0102;3;3;3;8;", "r3;0102;1;1;1;0;")
    second, _ = services.answers_import(data=second_data.encode(), file_name="b.csv", year=2024)
    first.refresh_from_db()
    assert (first.is_current, second.is_current) == (False, True)
    assert UnitResult.objects.filter(batch=first).exists()  # kept as a batch

    services.batch_undo(batch_id=second.id)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.is_current and not second.is_current and second.is_undone
    with pytest.raises(ServiceError, match="Importen är redan ångrad."):
        services.batch_undo(batch_id=second.id)


def test_the_same_file_again_changes_nothing(registers):
    services.answers_import(data=ANSWERS.encode(), file_name="a.csv", year=2024)
    batch, check = services.answers_import(data=ANSWERS.encode(), file_name="a.csv", year=2024)
    assert batch is None and check.identical_to is not None
    assert SurveyBatch.objects.count() == 1
    # The same file for another year is a new import.
    batch, _ = services.answers_import(data=ANSWERS.encode(), file_name="a.csv", year=2023)
    assert batch is not None and batch.questionnaire.year == 2024


def test_changing_a_question_in_the_questionnaire_rebuilds_the_stored_sums(registers):
    batch, _ = services.answers_import(data=ANSWERS.encode(), file_name="a.csv", year=2024)
    question = Question.objects.get(questionnaire__year=2024, code="PS_EMO1")
    question.reversed = False
    question.save()
    services.questionnaire_results_rebuild(questionnaire=question.questionnaire)
    emo = UnitResult.objects.get(batch=batch, unit__ansvar="0101", measure="tema_emotionella_krav")
    assert emo.score_sum == 100.0  # 1 -> 0, 5 -> 100
    assert UnitResult.objects.get(batch=batch, unit__ansvar="0101", measure="hme").score_sum == 350


def test_a_unit_with_survey_answers_is_kept_when_the_register_drops_it(registers, tmp_path):
    services.answers_import(data=ANSWERS.encode(), file_name="a.csv", year=2024)
    path = tmp_path / "org.csv"
    path.write_text(
        "Ansvar;Enhet;Verksamhet;Område;Vårdtyp\n2001;Kirurgavdelning 1;Kirurgiskt centrum;"
        "Länssjukvårdsområde 1;sjukhusvård\n",
        encoding="utf-8",
    )
    out = io.StringIO()
    call_command("import_org", str(path), stdout=out)
    assert "0101" in out.getvalue() and "behålls" in out.getvalue()


def test_answers_that_would_expose_a_value_whatever_is_withheld_are_refused(registers, monkeypatch):
    """survey.protection's last resort (StillExposedError, forced here: the audit of the
    index trees always reports a unit's figure exposed) refuses the import, in Swedish,
    with nothing saved."""
    from survey import protection

    def always_exposed(pub, hidden, level):
        block = pub.joint[0]
        unit = next(k for k in block.figure_keys() if k[1].startswith("unit:"))
        return [{unit} if b is block else set() for b in pub.joint]

    monkeypatch.setattr(protection, "_joint_exposures", always_exposed)
    with pytest.raises(ServiceError) as refused:
        services.answers_import(data=ANSWERS.encode(), file_name="svar.csv", year=2024)

    assert str(refused.value) == (
        "Enkätresultaten för 2024 kan inte publiceras: i HME totalt (med delindex och frågor) "
        "skulle ett dolt värde gå att räkna fram också om allt utom förvaltningens värden "
        "döljs. Inget har sparats."
    )
    assert not SurveyBatch.objects.exists()
    assert not UnitResult.objects.exists()


def test_a_page_that_would_have_to_decide_an_unprotectable_year_hides_every_value(
    registers, monkeypatch
):
    """A stored decision made under an older algorithm is made again by the first page;
    should that year be unprotectable (StillExposedError, forced here as above), the
    page hides every value of the year instead of failing: never a 500, never an
    exposed value. The import still refuses such a year."""
    from survey import protection, selectors

    batch, _check = services.answers_import(data=ANSWERS.encode(), file_name="svar.csv", year=2024)
    batch.protection = {"key": "an older algorithm", "hidden": []}
    batch.save(update_fields=["protection"])

    def always_exposed(pub, hidden, level):
        block = pub.joint[0]
        unit = next(k for k in block.figure_keys() if k[1].startswith("unit:"))
        return [{unit} if b is block else set() for b in pub.joint]

    monkeypatch.setattr(protection, "_joint_exposures", always_exposed)
    tree = selectors.tree_of_batch(batch)
    selectors.load_year(batch, tree)  # the page's path: no exception
    hidden = selectors.hidden_values(
        batch,
        tree=tree,
        spec=services.spec_for(batch.questionnaire),
        sums=selectors.unit_sums(batch),
        threshold=selectors.threshold_for(2024),
    )  # the page's decision, now stored under the current key
    # Every value of the year, the administration's too, is hidden.
    codes = {measure.code for measure in services.spec_for(batch.questionnaire).all_measures}
    assert {code for group, code in hidden if group == "hsf"} == codes
    groups = {"hsf", "unit:0101", "unit:0102", "unit:2001", "unit:2002", "unit:3001"}
    assert {group for group, code in hidden if code == "HME_M1"} >= groups


def test_decide_survey_makes_each_years_decision_under_the_current_algorithm(registers):
    """After a release with a new protection version the stored decisions are stale;
    `manage.py decide_survey` makes them again so no page has to."""
    from survey import protection

    batch, _check = services.answers_import(data=ANSWERS.encode(), file_name="svar.csv", year=2024)
    made = dict(SurveyBatch.objects.get(pk=batch.pk).protection)
    batch.protection = {"key": "an older algorithm", "hidden": []}
    batch.save(update_fields=["protection"])
    out = io.StringIO()

    call_command("decide_survey", stdout=out)

    assert out.getvalue() == "2024: klart.\n"
    stored = SurveyBatch.objects.get(pk=batch.pk).protection
    assert stored == made
    assert stored["key"].startswith(f"{protection.VERSION}:")
