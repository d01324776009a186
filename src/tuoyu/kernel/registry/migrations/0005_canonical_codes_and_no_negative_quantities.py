"""Credit codes in one form (upper-case, no blanks), and quantities that were entered negative
cleared to "not reported": a negative area or fee was never a fact, and the constraints that follow
refuse it. Each cleared value is printed so an administrator can ask the institution again."""

from django.db import migrations
from django.db.models import Q

QUANTITIES = ("monthly_fee", "indoor_area_m2", "outdoor_area_m2", "building_area_m2")


def canonical(apps, schema_editor):
    Institution = apps.get_model("registry", "Institution")
    for pk, code in Institution.objects.values_list("pk", "credit_code"):
        fixed = "".join(code.split()).upper()
        if fixed != code:
            Institution.objects.filter(pk=pk).update(credit_code=fixed)
    for name in QUANTITIES:
        for pk in Institution.objects.filter(**{f"{name}__lt": 0}).values_list("pk", flat=True):
            print(f"  institution {pk}: negative {name} cleared")
            Institution.objects.filter(pk=pk).update(**{name: None})
    bad_ratio = Institution.objects.filter(Q(window_area_ratio__lt=0) | Q(window_area_ratio__gt=1))
    bad_floor = Institution.objects.filter(Q(floor_of_child_rooms__lt=1) | Q(floor_of_child_rooms__gt=100))
    for pk in bad_ratio.values_list("pk", flat=True):
        print(f"  institution {pk}: window_area_ratio outside 0–1 cleared")
    bad_ratio.update(window_area_ratio=None)
    for pk in bad_floor.values_list("pk", flat=True):
        print(f"  institution {pk}: floor_of_child_rooms below 1 cleared")
    bad_floor.update(floor_of_child_rooms=None)


class Migration(migrations.Migration):
    dependencies = [("registry", "0004_plain_names_and_canonical_credit_codes")]
    operations = [migrations.RunPython(canonical, migrations.RunPython.noop)]
