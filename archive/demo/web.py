"""``DemoWeb``: the bundled sample news web, one loopback HTTP server per outlet."""

from __future__ import annotations

import logging
from types import ModuleType

from .content import ARTICLES
from .model import DemoArticle, Outlet
from .outlets import OUTLETS
from .server import OutletServer
from .site import Page, SiteContext

logger = logging.getLogger(__name__)


def _server(profile, port: int) -> OutletServer:
    if port:
        try:
            return OutletServer(profile, port)
        except OSError:
            logger.info("port %d is busy; %s gets an ephemeral port", port, profile.slug)
    return OutletServer(profile)


class DemoWeb:
    """Serve the sample outlets on ``127.0.0.1`` (ephemeral ports) while the context is open.

    >>> with DemoWeb() as web:                     # doctest: +SKIP
    ...     web.seeds[0]
    'http://127.0.0.1:41873/'
    """

    def __init__(self, base_port: int = 0) -> None:
        """``base_port``: serve outlet *i* on ``base_port + i`` when free (stable URLs across
        runs), else on an ephemeral port; 0 always uses ephemeral ports."""
        self.base_port = base_port
        self._servers: list[tuple[ModuleType, OutletServer]] = []
        self.outlets: list[Outlet] = []
        self.articles: list[DemoArticle] = []
        self.seeds: list[str] = []

    @property
    def running(self) -> bool:
        return bool(self._servers)

    def start(self) -> DemoWeb:
        if self._servers:
            raise RuntimeError("DemoWeb is already running")
        try:
            for i, module in enumerate(OUTLETS):
                self._servers.append((module, _server(module.PROFILE, self.base_port and self.base_port + i)))
            peers = {module.PROFILE.slug: server.base_url for module, server in self._servers}
            outlets, articles, seeds = [], [], []
            for module, server in self._servers:
                ctx = self._context(module, server.base_url, peers)
                server.routes = module.build(ctx)
                server.not_found = module.not_found(ctx)
                outlets.append(Outlet(module.PROFILE.name, module.PROFILE.slug, server.base_url))
                articles += [_ground_truth(page) for page in ctx.pages]
                seeds += [ctx.url(path) for path in module.SEED_PATHS]
            for _, server in self._servers:
                server.start()
        except BaseException:
            self.stop()
            raise
        self.outlets = outlets
        self.articles = sorted(articles, key=lambda article: article.published)
        self.seeds = seeds
        logger.info("demo web serving %d outlets, %d articles", len(outlets), len(articles))
        return self

    def stop(self) -> None:
        servers, self._servers = self._servers, []
        for _, server in servers:
            server.stop()

    def __enter__(self) -> DemoWeb:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def outlet(self, slug: str) -> Outlet:
        for outlet in self.outlets:
            if outlet.slug == slug:
                return outlet
        raise KeyError(slug)

    def url(self, outlet_slug: str, path: str) -> str:
        """Absolute URL of ``path`` (starting with ``/``) on the outlet ``outlet_slug``."""
        if not path.startswith("/"):
            path = "/" + path
        return self.outlet(outlet_slug).base_url + path

    @staticmethod
    def _context(module: ModuleType, base_url: str, peers: dict[str, str]) -> SiteContext:
        slug = module.PROFILE.slug
        pages = []
        for spec in ARTICLES:
            if spec.outlet == slug:
                path = module.article_path(spec)
                pages.append(Page(spec, path, base_url + path))
        return SiteContext(module.PROFILE, base_url, pages, peers)


def _ground_truth(page: Page) -> DemoArticle:
    spec = page.spec
    return DemoArticle(
        url=page.url,
        outlet=spec.outlet,
        story=spec.story,
        relation=spec.relation,
        title=spec.title,
        published=spec.published,
        text=spec.text,
    )
