"""The ways in: Flask blueprints over the shared handlers."""
from webhooks.app import create_app

__all__ = ["create_app"]
