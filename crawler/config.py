"""Typed settings of wirecopy's components: the values of ``crawler/settings.py``, the one place
defaults live, under whatever a run set (``-s NAME=VALUE``, a job's settings, a test's).

Each component has a frozen config built by ``from_settings``; crawl, replay, import, jobs and
rebuild build the same config from the same settings, so a setting means one thing everywhere.
"""

from __future__ import annotations

from typing import Any, Mapping

from scrapy.settings import BaseSettings

from . import settings as project_settings

__all__ = ["with_defaults", "setting_defaults"]


def setting_defaults() -> dict[str, Any]:
    """Every setting ``crawler/settings.py`` gives a value."""
    return {name: value for name, value in vars(project_settings).items() if name.isupper()}


def with_defaults(settings: BaseSettings | Mapping[str, Any] | None) -> BaseSettings:
    """``settings`` over the project's defaults: a Scrapy crawler's settings have them already
    (read from ``crawler/settings.py``); settings made by hand (a job's, a library caller's)
    get them here instead of from a default written at each read."""
    merged = BaseSettings(setting_defaults(), priority="default")
    if isinstance(settings, BaseSettings):
        for name, value in settings.items():
            merged.set(name, value, settings.getpriority(name) or 0)
    elif settings:
        merged.update(dict(settings), priority="project")
    return merged
