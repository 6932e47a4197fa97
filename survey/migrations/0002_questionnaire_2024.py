"""The 2024 questionnaire from seed 001 (Region Västerbotten, HSF), frozen here.

Codes: HME_M1..3, HME_L1..3, HME_S1..3, HSE_1..11 and ENPS are fixed by the issue.
The psychosocial questions are PS_<theme><n>; dimensions dim_<name>, themes
tema_<name> (README, "Employee survey"). Reversed (R): a high answer is negative,
so the score is (5 - x) x 25.

Left out: the stress theme's "Vad tror du är den mest bidragande orsaken till din
upplevelse av stress?", a choice among causes with no 1-5 scale and so no score.
"""

from django.db import migrations

YEAR = 2024

HME = [
    ("HME_M1", "motivation", "Mitt arbete känns meningsfullt."),
    ("HME_M2", "motivation", "Jag lär nytt och utvecklas i mitt dagliga arbete."),
    ("HME_M3", "motivation", "Jag ser fram emot att gå till arbetet."),
    ("HME_L1", "ledarskap", "Min närmaste chef visar uppskattning för mina arbetsinsatser."),
    ("HME_L2", "ledarskap", "Min närmaste chef visar förtroende för mig som medarbetare."),
    ("HME_L3", "ledarskap", "Min närmaste chef ger mig förutsättningar att ta ansvar i mitt arbete."),
    ("HME_S1", "styrning", "Jag är insatt i min arbetsplats mål."),
    ("HME_S2", "styrning", "Min arbetsplats mål följs upp och utvärderas på ett bra sätt."),
    ("HME_S3", "styrning", "Jag vet vad som förväntas av mig i mitt arbete."),
]

HSE = [
    "Min chefs chef ger förutsättningar för att bedriva en säker vård (Säker vård innebär "
    "låg förekomst av skador som kan undvikas).",
    "På min arbetsplats lär vi oss av det som fungerar bra.",
    "På min arbetsplats agerar vi alltid utifrån de risker vi ser.",
    "På min arbetsplats genomförs alltid förbättringar efter negativa händelser (negativ "
    "händelse = händelse som medför något oönskat).",
    "Jag påtalar när jag tror något är på väg att gå fel.",
    "Jag vågar prata om mina misstag.",
    "Jag blir alltid bra bemött på min arbetsplats när jag behöver hjälp.",
    "På min arbetsplats har vi ett väl fungerande samarbete med andra verksamheter.",
    "På min arbetsplats anpassar vi arbetet så att säkerheten bevaras när förutsättningarna "
    "förändras.",
    # Outcome questions, reported on their own.
    "Jag skulle känna mig trygg om en närstående vårdades på min arbetsplats.",
    "På min arbetsplats erbjuder vi patienter att vara delaktiga i vårt "
    "patientsäkerhetsarbete.",
]

R = True  # reversed

# (dimension code, name, [(theme code, name, [(question code, text, reversed)])])
PSYCHOSOCIAL = [
    ("dim_organisering", "Arbetets organisering och innehåll", [
        ("tema_rollkonflikter", "Rollkonflikter", [
            ("PS_RKONF1", "Ställs det krav som strider mot varandra i ditt arbete?", R),
        ]),
        ("tema_inflytande", "Inflytande", [
            ("PS_INFL1", "Kan du påverka hur du utför dina arbetsuppgifter?", False),
            ("PS_INFL2", "Har du tillräckligt inflytande över dina ansvarsområden i ditt arbete?", False),
            ("PS_INFL3", "Kan du fatta viktiga beslut om ditt arbete?", False),
            ("PS_INFL4", "Kan du påverka i vilken ordning du utför dina arbetsuppgifter?", False),
        ]),
        ("tema_forutsagbarhet", "Förutsägbarhet", [
            ("PS_FORU1", "Får du information i god tid på din arbetsplats t.ex. när det gäller "
                         "viktiga beslut, förändringar och framtidsplaner?", False),
            ("PS_FORU2", "Får du information i god tid om dina arbetsuppgifter förändras?", False),
            ("PS_FORU3", "Får du information i god tid om vem du arbetar med förändras?", False),
            ("PS_FORU4", "Får du information i god tid om din arbetstid förändras?", False),
        ]),
        ("tema_utfora", "Möjlighet att utföra arbetsuppgifter", [
            ("PS_UTF1", "Kan du utföra ditt arbete med en kvalitet som du är nöjd med?", False),
            ("PS_UTF2", "Måste du utföra arbetsuppgifter du anser är onödiga?", R),
        ]),
        ("tema_rolltydlighet", "Rolltydlighet", [
            ("PS_RTYD1", "Finns det klara mål för ditt arbete?", False),
            ("PS_RTYD2", "Vet du precis vad som förväntas av dig i ditt arbete?", False),
            ("PS_RTYD3", "Vet du exakt vilka som är dina ansvarsområden?", False),
            ("PS_RTYD4", "Vet du när du utfört ditt arbete väl?", False),
        ]),
    ]),
    ("dim_krav", "Krav", [
        ("tema_emotionella_krav", "Emotionella krav", [
            ("PS_EMO1", "Hamnar du genom ditt arbete i känslomässigt påfrestande situationer?", R),
            ("PS_EMO2", "Har du i ditt arbete kontakt med människor som är motvilliga eller "
                        "aggressiva mot dig?", R),
            ("PS_EMO3", "Behöver du hantera relationer som är känslomässigt krävande i ditt "
                        "arbete?", R),
        ]),
        ("tema_arbetsmangd", "Arbetsmängd", [
            ("PS_MANGD1", "Har du tillräckligt med tid för att utföra dina arbetsuppgifter?", False),
            ("PS_MANGD2", "Hur ofta får du ta emot oväntade arbetsuppgifter som sätter dig under "
                          "tidspress?", R),
            ("PS_MANGD3", "Hur ofta har du ’deadlines’ som är svåra att klara av?", R),
            ("PS_MANGD4", "Kommer du efter med ditt arbete?", R),
        ]),
    ]),
    ("dim_relationer", "Relationer, samarbete och ledarskap", [
        ("tema_samarbete", "Samarbete med kollegor", [
            ("PS_SAMA1", "Hjälper du och dina kollegor varandra om någon har för mycket att "
                         "göra?", False),
            ("PS_SAMA2", "Finns det en känsla av gemenskap och sammanhållning mellan dig och dina "
                         "kollegor?", False),
            ("PS_SAMA3", "Är du och dina kollegor överens om vad som är viktigast bland era "
                         "arbetsuppgifter?", False),
            ("PS_SAMA4", "Arbetar du och dina kollegor bra ihop när problem uppstår som kräver att "
                         "ni samarbetar?", False),
        ]),
        ("tema_tillit", "Tillit till kollegor", [
            ("PS_TILL1", "Håller du och dina kollegor varandra informerade om saker som är viktiga "
                         "för att ni ska kunna göra ett bra jobb?", False),
            ("PS_TILL2", "Litar du på dina kollegors förmåga till att göra ett bra jobb?", False),
            ("PS_TILL3", "Kan du uttrycka dina åsikter och känslor till dina närmaste kollegor?", False),
            ("PS_TILL4", "Litar medarbetarna i allmänhet på varandra?", False),
        ]),
        ("tema_rattvisa", "Rättvisa", [
            ("PS_RATT1", "Löses konflikter på ett rättvist sätt?", False),
            ("PS_RATT2", "Respekteras du av ledningen på din arbetsplats?", False),
            ("PS_RATT3", "Ges en tydlig motivering när det fattas viktiga beslut på din "
                         "arbetsplats?", False),
            ("PS_RATT4", "Behandlas du rättvist på din arbetsplats?", False),
        ]),
        ("tema_ledarkvalitet", "Ledarkvalitet", [
            ("PS_LEDK1", "I vilken utsträckning anser du att din närmaste chef prioriterar "
                         "trivseln på arbetsplatsen högt?", False),
            ("PS_LEDK2", "I vilken utsträckning anser du att din närmaste chef kommunicerar "
                         "tydliga mål i arbetet?", False),
            ("PS_LEDK3", "I vilken utsträckning anser du att din närmaste chef är bra på att "
                         "hantera konflikter?", False),
            ("PS_LEDK4", "I vilken utsträckning anser du att din närmaste chef är bra på att "
                         "motivera medarbetare?", False),
        ]),
        ("tema_stod_chef", "Stöd från chef", [
            ("PS_STOD1", "Kan du prata med din närmaste chef om problem du upplever i arbetet?", False),
            ("PS_STOD2", "Kan du få råd och vägledning av din närmaste chef om du behöver det?", False),
        ]),
    ]),
    ("dim_forandringar", "Förändringar", [
        ("tema_forandringar", "Förändringar", [
            # Having lived through major changes counts as a strain: reversed.
            ("PS_FOR1", "Har du upplevt att större förändringar genomförts på arbetsplatsen under "
                        "de senaste två åren?", R),
            ("PS_FOR2", "Informerade ledningen medarbetarna tillräckligt om förändringarna på "
                        "arbetsplatsen?", False),
            ("PS_FOR3", "Involverades medarbetarna tillräckligt i samband med förändringarna?", False),
            ("PS_FOR4", "Är du överlag nöjd med sättet ledningen hanterade förändringarna?", False),
            ("PS_FOR5", "Förstår du ledningens skäl för att genomföra förändringarna?", False),
        ]),
    ]),
    ("dim_halsa", "Arbetssituation och hälsa", [
        ("tema_arbete_privatliv", "Konflikt mellan arbete och privatliv", [
            ("PS_PRIV1", "Känner du att ditt arbete tar så mycket av din energi att det påverkar "
                         "privatlivet negativt?", R),
            ("PS_PRIV2", "Känner du att ditt arbete tar så mycket av din tid att det påverkar "
                         "privatlivet negativt?", R),
        ]),
        ("tema_stress", "Stress", [
            ("PS_STRESS1", "Hur ofta har du känt dig stressad under de senaste två veckorna?", R),
        ]),
    ]),
]

ENPS = (
    "Hur sannolikt är det att du skulle rekommendera Region Västerbotten som arbetsgivare "
    "till en vän eller bekant?"
)


def install(apps, schema_editor):
    Questionnaire = apps.get_model("survey", "Questionnaire")
    Dimension = apps.get_model("survey", "Dimension")
    Theme = apps.get_model("survey", "Theme")
    Question = apps.get_model("survey", "Question")
    if Questionnaire.objects.filter(year=YEAR).exists():
        return
    questionnaire = Questionnaire.objects.create(year=YEAR, name="Medarbetarundersökning 2024")
    order = 0

    def add(code, text, index, **extra):
        nonlocal order
        order += 1
        Question.objects.create(
            questionnaire=questionnaire, code=code, text=text, index=index, order=order, **extra
        )

    for code, sub_index, text in HME:
        add(code, text, "hme", sub_index=sub_index)
    for number, text in enumerate(HSE, start=1):
        add(f"HSE_{number}", text, "hse" if number <= 9 else "hse_utfall")
    for d, (dim_code, dim_name, themes) in enumerate(PSYCHOSOCIAL, start=1):
        dimension = Dimension.objects.create(
            questionnaire=questionnaire, code=dim_code, name=dim_name, order=d
        )
        for t, (theme_code, theme_name, questions) in enumerate(themes, start=1):
            theme = Theme.objects.create(
                dimension=dimension, code=theme_code, name=theme_name, order=t
            )
            for code, text, is_reversed in questions:
                add(code, text, "psykosocial", theme=theme, reversed=is_reversed)
    add("ENPS", ENPS, "enps", scale="0-10")


def remove(apps, schema_editor):
    # Children first and without Django's delete collector: a question's theme is
    # protected while the question exists, and the collector trips over the
    # historical models of a migration run backwards several steps at once.
    # Uploaded survey data still refers to the questionnaire: then the database
    # refuses, as it should.
    filters = {
        "Question": {"questionnaire__year": YEAR},
        "Theme": {"dimension__questionnaire__year": YEAR},
        "Dimension": {"questionnaire__year": YEAR},
        "Questionnaire": {"year": YEAR},
    }
    for name, condition in filters.items():
        rows = apps.get_model("survey", name).objects.filter(**condition)
        rows._raw_delete(schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [("survey", "0001_initial")]

    operations = [migrations.RunPython(install, remove)]
