"""The outlets of the sample news web, one module each: profile, URL scheme, templates, routes.

Each module exposes ``PROFILE``, ``SEED_PATHS``, ``article_path(spec)``, ``build(ctx)`` (path ->
resource table) and ``not_found(ctx)``.
"""

from __future__ import annotations

from . import courier, digest, gazette, ledger

OUTLETS = (ledger, courier, gazette, digest)

__all__ = ["OUTLETS"]
