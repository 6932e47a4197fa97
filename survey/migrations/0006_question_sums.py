"""Each question of an index as a measure of its own (the per-question results).

Answers batches imported before this store sums per unit for the indices only. Their
questions' sums per unit (answers, score sum; its respondents are its answers) are
computed here from the answers stored with each batch, as survey.metrics.unit_sums
computes them at an import: a 1-5 answer x scores (x - 1) x 25, a reversed
question's (5 - x) x 25. The questions of HME, HSE's index and the psychosocial
themes are measures; HSE's outcome questions and eNPS are measures already.

The decisions what to hide are kept on the batch under a key that holds the stored
sums and survey.protection.VERSION: both change here, so each year is decided
again, with its questions, when it is next read (or imported again).
"""

import gzip
import io

import pandas as pd
from django.db import migrations

ITEM_INDICES = ("hme", "hse", "psykosocial")


def _questions(batch, Question):
    """(code, reversed) of the batch's questionnaire's questions that are measures."""
    return list(
        Question.objects.filter(
            questionnaire_id=batch.questionnaire_id, index__in=ITEM_INDICES
        ).values_list("code", "reversed")
    )


def forwards(apps, schema_editor):
    SurveyBatch = apps.get_model("survey", "SurveyBatch")
    Question = apps.get_model("survey", "Question")
    UnitResult = apps.get_model("survey", "UnitResult")
    batches = SurveyBatch.objects.filter(kind="answers").exclude(answers=None)
    for batch in batches.iterator():
        questions = _questions(batch, Question)
        stored = set(UnitResult.objects.filter(batch=batch).values_list("measure", flat=True))
        frame = pd.read_csv(
            io.BytesIO(gzip.decompress(bytes(batch.answers))),
            dtype={"RespondentID": "str", "unit": "int64"},
            keep_default_na=False,
            na_values=[""],
        )
        rows = []
        for code, reversed_ in questions:
            if code in stored or code not in frame.columns:
                continue
            values = frame[code].astype("float64")
            scores = (5 - values) * 25 if reversed_ else (values - 1) * 25
            answered = values.notna()
            per_unit = pd.DataFrame(
                {"answers": answered.astype(int), "score_sum": scores.fillna(0.0)}
            ).groupby(frame["unit"])[["answers", "score_sum"]].sum()
            for unit_id, row in per_unit[per_unit["answers"] > 0].iterrows():
                rows.append(
                    UnitResult(
                        batch=batch,
                        unit_id=int(unit_id),
                        measure=code,
                        respondents=int(row["answers"]),
                        answers=int(row["answers"]),
                        score_sum=float(row["score_sum"]),
                    )
                )
        UnitResult.objects.bulk_create(rows, batch_size=5000)


def backwards(apps, schema_editor):
    SurveyBatch = apps.get_model("survey", "SurveyBatch")
    Question = apps.get_model("survey", "Question")
    UnitResult = apps.get_model("survey", "UnitResult")
    for batch in SurveyBatch.objects.filter(kind="answers").iterator():
        codes = [code for code, _reversed in _questions(batch, Question)]
        UnitResult.objects.filter(batch=batch, measure__in=codes).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("survey", "0005_import_coverage"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
