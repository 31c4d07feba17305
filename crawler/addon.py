"""The wirecopy add-on: wires capture, extraction and progress into any Scrapy project.

    ADDONS = {"crawler.addon.WirecopyAddon": 0}

Components are added at "addon" priority, so a project's own settings still win.
"""

from __future__ import annotations

from scrapy.settings import BaseSettings

from . import __version__, logs

COMPONENTS = {
    "EXTENSIONS": {
        "crawler.capture.WarcCapture": 100,
        "crawler.progress.ProgressDisplay": 900,
        "crawler.stopping.PromptStop": 950,
    },
    "SPIDER_MIDDLEWARES": {
        "crawler.recrawl.RecrawlFilter": 550,
        "crawler.requisites.PageRequisites": 560,
        "crawler.resume.ResumedArticleFilter": 950,
    },
    "DOWNLOADER_MIDDLEWARES": {
        # a worker's crawl unit keeps to its site (off unless WORKER_UNIT_SITE is set)
        "crawler.distributed.scope.UnitScope": 40,
        # first: a resumed run answers what the interrupted run archived from the archive
        "crawler.resume.ResumeFromArchive": 50,
        # before OffsiteMiddleware (50): the robots.txt of a requisite's (CDN) host is fetched
        "crawler.requisites.RequisiteHostsRobots": 45,
        # after resume and offsite, before robots.txt: a page's requisites past its size cap
        "crawler.requisite_budget.RequisitePageBudget": 60,
        "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
        "crawler.retry.HostBackoffRetryMiddleware": 550,
        "crawler.recrawl.ConditionalRequests": 840,
        # last, so every other middleware has seen the request; off unless REPLAY_ARCHIVE is set
        "crawler.replay.ReplayMiddleware": 950,
        # robots.txt per RFC 9309: unreachable (5xx, network error) means complete disallow
        "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
        "crawler.robots.RFC9309RobotsTxtMiddleware": 100,
        # bounded decoding: a stat for bodies that inflate past DOWNLOAD_MAXSIZE
        "scrapy.downloadermiddlewares.httpcompression.HttpCompressionMiddleware": None,
        "crawler.decompression.BoundedHttpCompressionMiddleware": 590,
    },
    "ITEM_PIPELINES": {
        "crawler.pipelines.ArticleExtractionPipeline": 300,
        "crawler.tracking.StoryTrackingPipeline": 400,
    },
}


def user_agent(contact: str) -> str:
    contact = f"; +{contact}" if contact else ""
    return f"wirecopy/{__version__} (archival news crawler{contact})"


class WirecopyAddon:
    def update_settings(self, settings: BaseSettings) -> None:
        logs.install()
        for name, components in COMPONENTS.items():
            for path, order in components.items():
                settings.setdefault_in_component_priority_dict(name, path, order)
        # An identifiable User-Agent; a USER_AGENT set by the user has a higher priority.
        settings.set("USER_AGENT", user_agent(settings.get("CONTACT_URL") or ""), "addon")
        if settings.get("REPLAY_ARCHIVE"):
            from .replay import replay_settings

            replay_settings(settings)
