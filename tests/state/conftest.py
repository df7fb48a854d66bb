"""Every test of the store runs on SQLite and on a real PostgreSQL (tests/postgres.py)."""

from tests.postgres import both_backends  # noqa: F401 - the parametrized `database_url`
