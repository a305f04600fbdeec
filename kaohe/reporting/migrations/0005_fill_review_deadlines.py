"""Give periods created before review deadlines existed one: ten days after submission."""

import datetime as dt

from django.db import migrations


def fill(apps, schema_editor):
    Period = apps.get_model("reporting", "Period")
    for period in Period.objects.filter(review_due__isnull=True).iterator():
        period.review_due = period.due + dt.timedelta(days=10)
        period.save(update_fields=["review_due"])


class Migration(migrations.Migration):
    dependencies = [("reporting", "0004_period_lock_and_reopening")]
    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
