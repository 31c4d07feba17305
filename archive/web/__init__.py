"""The web UI over an archive directory: ``create_app(root)`` gives a Flask app (no Scrapy)."""

from .app import create_app

__all__ = ["create_app"]
