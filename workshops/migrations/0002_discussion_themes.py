from django.db import migrations

from workshops.reference import load_themes


def forwards(apps, schema_editor):
    load_themes(apps.get_model("workshops", "DiscussionTheme"))


class Migration(migrations.Migration):
    dependencies = [("workshops", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
