"""What the database takes, told to Django where Django assumes less."""

import sqlite3


def use_sqlite_variable_limit(sender, connection, **kwargs) -> None:
    """Django 5.2 takes SQLite to bind at most 999 values a statement, its limit before SQLite
    3.32, and cuts each bulk write into statements of that many: an import of 200 agreements
    would be five inserts. The library Python links says what it takes (32,766 by default since
    3.32; Debian's, 250,000), as Django 6.0 asks it, so that a bulk write is one statement on
    SQLite as it is on PostgreSQL."""
    if connection.vendor == "sqlite":
        connection.features.max_query_params = connection.connection.getlimit(
            sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER
        )
