from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("web", "0001_rate_counts"),
    ]

    operations = [
        migrations.CreateModel(
            name="PublicStamp",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("token", models.CharField(max_length=32)),
            ],
        ),
    ]
