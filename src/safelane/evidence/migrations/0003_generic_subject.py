# A link names the record it supports through a generic reference, so that the evidence app
# refers to no app above it. Existing links to answers and actions are carried over.

import django.db.models.deletion
from django.db import migrations, models


def carry_over(apps, schema_editor):
    EvidenceLink = apps.get_model("evidence", "EvidenceLink")
    ContentType = apps.get_model("contenttypes", "ContentType")
    response_type, _ = ContentType.objects.get_or_create(app_label="assessments", model="response")
    action_type, _ = ContentType.objects.get_or_create(app_label="actions", model="action")
    EvidenceLink.objects.exclude(response=None).update(
        subject_type=response_type.pk, subject_id=models.F("response_id")
    )
    EvidenceLink.objects.filter(response=None).exclude(action=None).update(
        subject_type=action_type.pk, subject_id=models.F("action_id")
    )


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('evidence', '0002_remove_evidencelink_one_link_evidencelink_action_and_more'),
        ('orgs', '0001_initial'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='evidencelink',
            name='one_link',
        ),
        migrations.AddField(
            model_name='evidencelink',
            name='subject_id',
            field=models.PositiveBigIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='evidencelink',
            name='subject_type',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='contenttypes.contenttype'),
        ),
        migrations.RunPython(carry_over, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name='evidencelink',
            name='action',
        ),
        migrations.RemoveField(
            model_name='evidencelink',
            name='response',
        ),
        migrations.AddIndex(
            model_name='evidencelink',
            index=models.Index(fields=['subject_type', 'subject_id'], name='evidence_ev_subject_44924f_idx'),
        ),
        migrations.AddConstraint(
            model_name='evidencelink',
            constraint=models.UniqueConstraint(fields=('evidence', 'criterion_ident', 'subject_type', 'subject_id'), name='one_link_per_subject'),
        ),
    ]
