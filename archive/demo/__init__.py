"""A bundled sample news web for wirecopy's demo, tests and benchmarks.

Four fictional outlets republish, trim, rewrite and translate stories of a fictional news
agency, Aurora Press, on 127.0.0.1. ``DemoWeb().articles`` is the ground truth: which page
belongs to which story, and how it relates to the story's origin. Standard library only.
"""

from __future__ import annotations

import logging

from .content import BACKGROUND
from .model import RELATIONS, DemoArticle, Outlet
from .web import DemoWeb

logging.getLogger(__name__).addHandler(logging.NullHandler())

__all__ = ["BACKGROUND", "RELATIONS", "DemoArticle", "DemoWeb", "Outlet"]
