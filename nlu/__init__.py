"""The language layer: what a client's SMS or chat message means."""
from .pipeline import understand
from .understanding import AppointmentRef, Context, Understanding, Window

__all__ = ["understand", "Context", "AppointmentRef", "Window", "Understanding"]
