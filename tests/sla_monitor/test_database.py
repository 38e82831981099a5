"""Django is told what the database takes."""

import sqlite3

import pytest
from django.db import connection


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's own limit")
def test_sqlite_binds_as_many_values_a_statement_as_its_library_takes(db):
    connection.ensure_connection()

    assert connection.features.max_query_params == connection.connection.getlimit(
        sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER
    )
    assert connection.features.max_query_params > 999
