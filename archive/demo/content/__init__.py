"""Article texts of the sample news web, written for wirecopy's demo and tests.

All outlets, people, places and events are fictional. ``ARTICLES`` holds every article spec;
``BACKGROUND`` the agency's stock paragraphs that different stories share verbatim.
"""

from __future__ import annotations

from . import cable, cable_retold, compact, features, ferry, local
from .background import BACKGROUND

ARTICLES = (
    cable.ARTICLES
    + cable_retold.ARTICLES
    + ferry.ARTICLES
    + compact.ARTICLES
    + features.ARTICLES
    + local.ARTICLES
)

__all__ = ["ARTICLES", "BACKGROUND"]
