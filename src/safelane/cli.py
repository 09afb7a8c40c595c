"""The `safelane` command: Django's management commands with Safelane's settings.

A newcomer's first mistakes (no SECRET_KEY, no `migrate` yet, a database that is not there) end
in one line saying what to do and exit status 2, not in a traceback. `--traceback` shows it.
"""

import os
import sys
from typing import NoReturn

from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError

USAGE_ERROR = 2


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safelane.settings")
    from django.conf import settings
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(sys.argv)
    except ImproperlyConfigured as exc:
        # Once the settings have loaded, a misconfiguration is the code's to explain.
        if settings.configured or "--traceback" in sys.argv:
            raise
        fail(settings_problem(exc))
    except DatabaseError:
        problem = database_problem()
        if problem is None or "--traceback" in sys.argv:
            raise
        fail(problem)


def fail(message: str) -> NoReturn:
    """Print one line to stderr and leave with the status of a usage error."""
    print(f"Safelane: {message}", file=sys.stderr)
    sys.exit(USAGE_ERROR)


def settings_problem(exc: ImproperlyConfigured) -> str:
    """What to do about settings that did not load, as one line."""
    message = " ".join(str(exc).split())
    if "SECRET_KEY" in message and not os.environ.get("SECRET_KEY"):
        return (
            f"{message.rstrip('.')}: set SECRET_KEY (for production) "
            "or DEBUG=1 (for development on this machine)."
        )
    return message


def database_problem() -> str | None:
    """After a database error: one line if the database is unreachable or not migrated yet.

    None when the database is reachable and up to date: the error is then a real one.
    Asked only after a failure, so that commands that work pay nothing for it.
    """
    from django.db import DEFAULT_DB_ALIAS, connections
    from django.db.migrations.executor import MigrationExecutor

    connection = connections[DEFAULT_DB_ALIAS]
    try:
        connection.close()
        connection.ensure_connection()
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        applied = executor.loader.applied_migrations
    except DatabaseError as exc:
        reason = next((line.strip() for line in str(exc).splitlines() if line.strip()), "")
        return (
            f"cannot reach the database at {database_address(connection.settings_dict)}: {reason}"
        )
    finally:
        connection.close()
    if not plan:
        return None
    if not applied:
        return "the database has no tables yet: run `safelane migrate` first."
    return "the database is not up to date: run `safelane migrate` first."


def database_address(settings_dict: dict[str, object]) -> str:
    """HOST:PORT of a database server, or the file of an SQLite database."""
    if "sqlite" in str(settings_dict["ENGINE"]):
        return str(settings_dict["NAME"])
    host = str(settings_dict.get("HOST") or "localhost")
    port = str(settings_dict.get("PORT") or "")
    return f"{host}:{port}" if port else host


if __name__ == "__main__":
    main()
