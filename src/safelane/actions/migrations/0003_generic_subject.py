# An action refers to what it treats (an answer's gap, a risk) through a generic reference, so
# that the actions app refers to no app above it. Existing links are carried over.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def carry_over(apps, schema_editor):
    Action = apps.get_model("actions", "Action")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Vulnerability = apps.get_model("risk", "Vulnerability")
    response_type, _ = ContentType.objects.get_or_create(app_label="assessments", model="response")
    risk_type, _ = ContentType.objects.get_or_create(app_label="risk", model="vulnerability")
    for action in Action.objects.exclude(response=None).select_related("response"):
        action.origin_type_id = response_type.pk
        action.origin_id = action.response_id
        action.verification_required = action.response.must_should == "must"
        action.save(update_fields=["origin_type", "origin_id", "verification_required"])
    for action in Action.objects.filter(response=None).exclude(risk_point=None):
        rating = Vulnerability.objects.filter(
            node_id=action.risk_point_id, category=action.risk_category
        ).first()
        if rating is not None:
            action.origin_type_id = risk_type.pk
            action.origin_id = rating.pk
            action.save(update_fields=["origin_type", "origin_id"])


class Migration(migrations.Migration):

    dependencies = [
        ('actions', '0002_risk_link'),
        ('assessments', '0001_initial'),
        ('risk', '0001_initial'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('orgs', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='action',
            name='origin_id',
            field=models.PositiveBigIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='action',
            name='origin_type',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='contenttypes.contenttype'),
        ),
        migrations.AddField(
            model_name='action',
            name='verification_required',
            field=models.BooleanField(default=False, help_text='Work that closes a Must criterion is checked by someone other than its owner.', verbose_name='verified by a second person'),
        ),
        migrations.RunPython(carry_over, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name='action',
            name='response',
        ),
        migrations.RemoveField(
            model_name='action',
            name='risk_category',
        ),
        migrations.RemoveField(
            model_name='action',
            name='risk_point',
        ),
        migrations.AddIndex(
            model_name='action',
            index=models.Index(fields=['origin_type', 'origin_id'], name='actions_act_origin__47d431_idx'),
        ),
    ]
