"""Every test of the store runs on SQLite and on a real PostgreSQL (tests/postgres.py)."""

from tests.postgres import both_backends, empty_config  # noqa: F401 - fixtures: `database_url`
