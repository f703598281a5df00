from django.db import migrations

from cooperatives.reference import load_sectors


def forwards(apps, schema_editor):
    load_sectors(apps.get_model("cooperatives", "Sector"))


class Migration(migrations.Migration):
    dependencies = [("cooperatives", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
