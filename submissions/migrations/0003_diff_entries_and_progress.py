import django.db.models.deletion
from django.db import migrations, models

KINDS = ("added", "changed", "withdrawn")


def diffs_to_entries(apps, schema_editor):
    """The diff each submission held in one JSON value becomes its diff entries, in the same order."""
    Submission = apps.get_model("submissions", "Submission")
    SubmissionDiffEntry = apps.get_model("submissions", "SubmissionDiffEntry")
    for submission in Submission.objects.exclude(diff={}).iterator(chunk_size=20):
        entries, position = [], 0
        for kind in KINDS:
            for entry in submission.diff.get(kind, []):
                position += 1
                data = {name: value for name, value in entry.items() if name not in ("sheet", "key")}
                entries.append(
                    SubmissionDiffEntry(
                        submission=submission,
                        position=position,
                        kind=kind,
                        sheet=entry.get("sheet", ""),
                        key=str(entry.get("key", ""))[:300],
                        data=data,
                    )
                )
        SubmissionDiffEntry.objects.bulk_create(entries, batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("submissions", "0002_submission_withdrawal_confirmed"),
    ]

    operations = [
        migrations.AddField(
            model_name="submission",
            name="rows_read",
            field=models.PositiveIntegerField(default=0, verbose_name="rows read"),
        ),
        migrations.AddField(
            model_name="submission",
            name="rows_total",
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name="rows in the file"),
        ),
        migrations.CreateModel(
            name="SubmissionDiffEntry",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("position", models.PositiveIntegerField(verbose_name="position")),
                (
                    "kind",
                    models.CharField(
                        choices=[("added", "added"), ("changed", "changed"), ("withdrawn", "withdrawn")],
                        max_length=10,
                        verbose_name="kind",
                    ),
                ),
                ("sheet", models.CharField(max_length=40, verbose_name="sheet")),
                ("key", models.CharField(max_length=300, verbose_name="key")),
                ("data", models.JSONField(default=dict, verbose_name="data")),
                (
                    "submission",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="diff_entries",
                        to="submissions.submission",
                        verbose_name="submission",
                    ),
                ),
            ],
            options={
                "verbose_name": "diff entry",
                "verbose_name_plural": "diff entries",
                "ordering": ["submission", "position"],
                "indexes": [models.Index(fields=["submission", "kind", "position"], name="submission_diff_kind_idx")],
                "constraints": [
                    models.UniqueConstraint(fields=("submission", "position"), name="unique_diff_entry_position")
                ],
            },
        ),
        migrations.RunPython(diffs_to_entries, migrations.RunPython.noop),
        migrations.RemoveField(model_name="submission", name="diff"),
    ]
