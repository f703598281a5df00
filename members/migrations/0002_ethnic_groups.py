from django.db import migrations

from members.reference import load_ethnic_groups


def forwards(apps, schema_editor):
    load_ethnic_groups(apps.get_model("members", "EthnicGroup"))


class Migration(migrations.Migration):
    dependencies = [("members", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
