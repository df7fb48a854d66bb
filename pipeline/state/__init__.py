"""Private state (GDPR: never in content/, output/ or git): one store and its views."""

from .store import Store, open_store

__all__ = ["Store", "open_store"]
