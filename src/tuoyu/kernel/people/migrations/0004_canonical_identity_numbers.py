"""Identity numbers in one form: blanks removed, the check character X upper-case. Stops with a list
when two active posts turn out to be one person, so the institutions settle who stays."""

from django.db import migrations


def canonical(apps, schema_editor):
    for name in ("Child", "StaffMember"):
        model = apps.get_model("operations", name)
        for pk, number in model.objects.exclude(id_number="").values_list("pk", "id_number"):
            fixed = "".join(number.split()).upper()
            if fixed != number:
                model.objects.filter(pk=pk).update(id_number=fixed)
    staff = apps.get_model("operations", "StaffMember")
    active = staff.objects.filter(left_on__isnull=True).values_list("id_number", "pk")
    seen, clashes = {}, []
    for number, pk in active:
        if number in seen:
            clashes.append(f"{seen[number]}/{pk}")
        seen.setdefault(number, pk)
    if clashes:
        raise RuntimeError(
            "以下工作人员记录为同一身份证号的两个在岗岗位，请先办理离职后再升级 / these staff rows are one person "
            "holding two active posts; record one leaving before upgrading (row ids): " + ", ".join(clashes)
        )


class Migration(migrations.Migration):
    dependencies = [("operations", "0003_plain_names")]
    operations = [migrations.RunPython(canonical, migrations.RunPython.noop)]
