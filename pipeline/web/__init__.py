"""The members' web service (`plp web`): subscribe, confirm, one-click unsubscribe, preferences."""

from .app import ROUTES, create_app

__all__ = ["ROUTES", "create_app"]
