"""Before usernames become unique whatever their case, make sure no two already differ only in case:
if some do, stop with the list, so that an administrator decides which account keeps the name."""

from django.db import migrations
from django.db.models import Count
from django.db.models.functions import Lower


def refuse_case_duplicates(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    clashes = (
        User.objects.annotate(key=Lower("username")).values("key").annotate(n=Count("id")).filter(n__gt=1).values_list("key", flat=True)
    )
    names = sorted(clashes)
    if names:
        raise RuntimeError(
            "以下账号名仅大小写不同，请先停用或改名后再升级 / these usernames differ only in case; rename or remove "
            "all but one of each before upgrading: " + ", ".join(names)
        )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_temporary_passwords_and_plain_names")]
    operations = [migrations.RunPython(refuse_case_duplicates, migrations.RunPython.noop)]
