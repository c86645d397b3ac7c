"""`manage.py migrate` connects as the schema's owner (MIGRATION_DATABASE_URL) when one is given.

Every other command, the web server and the workers connect as the application's role
(DATABASE_URL), which owns nothing (config/kernel/database.py). Without MIGRATION_DATABASE_URL,
migrate runs as DATABASE_URL's role, as before (one role for everything).
"""

from typing import Any

import dj_database_url
from django.conf import settings
from django.core.management.commands.migrate import Command as DjangoMigrateCommand
from django.db import connections

OWNER_KEYS = ("NAME", "USER", "PASSWORD", "HOST", "PORT")


class Command(DjangoMigrateCommand):
    help = DjangoMigrateCommand.help + " Connects as MIGRATION_DATABASE_URL's role when set."

    def handle(self, *args: Any, **options: Any) -> None:
        owner_url = getattr(settings, "MIGRATION_DATABASE_URL", "")
        connection = connections[options["database"]]
        if owner_url:
            owner = dj_database_url.parse(owner_url)
            if connection.settings_dict["USER"] != owner["USER"]:
                connection.close()
                for key in OWNER_KEYS:
                    connection.settings_dict[key] = owner[key]
        super().handle(*args, **options)
