"""Drops and creates the database CI's PostgreSQL run uses: ``ci_database.py SERVER_URL NAME``.

Exits 1 with the server's own message when PostgreSQL does not answer, so ``.ci/run`` can say so and fail.
"""

import sys

import psycopg
from psycopg import sql


def main(server: str, name: str) -> int:
    try:
        with psycopg.connect(f"{server}/postgres", autocommit=True, connect_timeout=10) as connection:
            version = connection.execute("SHOW server_version").fetchone()[0]
            connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    except psycopg.OperationalError as error:
        print(f"PostgreSQL: {error}".strip(), file=sys.stderr)
        return 1
    print(f"PostgreSQL {version}: database {name} created")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
