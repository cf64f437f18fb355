"""Expertise areas, tiers and languages the marketplace starts with (staff may edit them later)."""

from django.db import migrations

AREAS = [
    ("digital-technology", "Digital technology", "Tech Nation / DSIT-endorsed applications in digital technology."),
    ("research-academia", "Research & academia", "Researchers and academics (UKRI, British Academy, Royal Society routes)."),
    ("arts-culture", "Arts & culture", "Arts Council England route: arts, culture, film, fashion, architecture."),
    ("endorsement-review", "Endorsement review", "A review of the endorsement application as a whole."),
    ("evidence-review", "Evidence review", "Choosing and presenting evidence and letters of recommendation."),
]

TIERS = [
    ("standard", "Standard", 2000),
    ("senior", "Senior", 1500),
    ("principal", "Principal", 1200),
]

LANGUAGES = [
    ("ar", "Arabic"),
    ("bn", "Bengali"),
    ("de", "German"),
    ("en", "English"),
    ("es", "Spanish"),
    ("fa", "Persian"),
    ("fr", "French"),
    ("hi", "Hindi"),
    ("it", "Italian"),
    ("ja", "Japanese"),
    ("ko", "Korean"),
    ("ml", "Malayalam"),
    ("pl", "Polish"),
    ("pt", "Portuguese"),
    ("ro", "Romanian"),
    ("ru", "Russian"),
    ("ta", "Tamil"),
    ("tr", "Turkish"),
    ("uk", "Ukrainian"),
    ("ur", "Urdu"),
    ("vi", "Vietnamese"),
    ("yo", "Yoruba"),
    ("zh", "Chinese (Mandarin)"),
]


def seed(apps, schema_editor):
    ExpertiseArea = apps.get_model("expert_marketplace", "ExpertiseArea")
    ExpertTier = apps.get_model("expert_marketplace", "ExpertTier")
    Language = apps.get_model("expert_marketplace", "Language")
    for order, (slug, name, description) in enumerate(AREAS):
        ExpertiseArea.objects.get_or_create(slug=slug, defaults={"name": name, "description": description, "sort_order": order})
    for order, (slug, name, bps) in enumerate(TIERS):
        ExpertTier.objects.get_or_create(slug=slug, defaults={"name": name, "commission_bps": bps, "sort_order": order})
    for code, name in LANGUAGES:
        Language.objects.get_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("expert_marketplace", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
