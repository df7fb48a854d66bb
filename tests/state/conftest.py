"""The store tests share the mailing tests' configuration (var/ in tmp, a fixed secret)."""

from tests.mailing.conftest import _no_plp_environment, config, make_config  # noqa: F401
