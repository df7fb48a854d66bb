"""Private state (GDPR: never in content/, output/ or git): one store and its views."""

from .store import Store, describe_state, open_store

__all__ = ["Store", "describe_state", "open_store"]
