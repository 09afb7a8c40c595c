"""The database cache table, so that `migrate` alone readies every install.

Throttles (failed logins, the API) count in the default cache, a table in the database unless
CACHE_URL names a Redis server. The table is created in either case, so that switching from
Redis back to the database cache needs no extra step. Its name is settings.CACHE_TABLE.
"""

from django.core.management import call_command
from django.db import migrations

CACHE_TABLE = "safelane_cache"


def create_cache_table(apps, schema_editor):
    call_command(
        "createcachetable", CACHE_TABLE, database=schema_editor.connection.alias, verbosity=0
    )


def drop_cache_table(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(CACHE_TABLE)}")


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_cache_table, drop_cache_table, elidable=False),
    ]
