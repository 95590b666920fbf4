from django.db import migrations


def install(apps, schema_editor):
    from roundtable.people.defaults import install_defaults

    install_defaults(apps.get_model("people", "StakeholderGroup"), apps.get_model("people", "Region"))


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
