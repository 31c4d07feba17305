"""Scrapy settings of the wirecopy project: polite defaults, wirecopy components on.

Any of these can be overridden with ``-s NAME=VALUE`` (``scrapy crawl`` and ``wirecopy crawl``).
"""

BOT_NAME = "wirecopy"
SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"

ADDONS = {"crawler.addon.WirecopyAddon": 0}

# Politeness: robots.txt, adaptive per-host delay, an identifiable User-Agent
# (built by the add-on from CONTACT_URL unless USER_AGENT is set).
ROBOTSTXT_OBEY = True
CONTACT_URL = "https://pypi.org/project/wirecopy/"
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
DOWNLOAD_DELAY = 0.5
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 4
# Scrapy starts this many tasks for every response's callback output, even an empty one (an
# image's): 100 (its default) costs ~1.3 ms per response; a page yields one item and its links
CONCURRENT_ITEMS = 16
DOWNLOAD_MAXSIZE = 32 * 1024 * 1024
DOWNLOAD_WARNSIZE = 8 * 1024 * 1024
DOWNLOAD_TIMEOUT = 60
RETRY_TIMES = 2
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
RETRY_BACKOFF_BASE = 1.0
RETRY_BACKOFF_MAX = 60.0
RETRY_AFTER_MAX = 300.0
RETRY_HOST_MAX_FAILURES = 10
RESUME_ENABLED = False  # answer what an interrupted run archived from the archive (crawler/resume.py)
RESUME_SINCE = ""  # its captures from this time on (YYYYmmddHHMMSS)
RESUME_JOB = ""  # the interrupted run's job; empty: WIRECOPY_JOB
COOKIES_ENABLED = True
TELNETCONSOLE_ENABLED = False
# Depth is counted by the news spider (feeds and sitemaps do not use up hops).
DEPTH_LIMIT = 0
DEPTH_PRIORITY = 1
SCHEDULER_DISK_QUEUE = "scrapy.squeues.PickleFifoDiskQueue"
SCHEDULER_MEMORY_QUEUE = "scrapy.squeues.FifoMemoryQueue"

# wirecopy components (the add-on wires them; these are their settings)
ARCHIVE_DIR = "wirecopy-archive"  # not "archive": that is the library's own package
WIRECOPY_JOB = ""  # the run's job name in its warcinfo and catalog rows; empty: crawl-<random>
WARC_ENABLED = True
WARC_PREFIX = "wirecopy"
# a named writer among several sharing the archive (wirecopy worker sets it): its own lock and
# WARC files ending in -NAME.warc.gz; empty: the archive's single writer
ARCHIVE_WRITER = ""
# a worker's crawl unit: requests to other sites than this scheme://host[:port] are dropped
WORKER_UNIT_SITE = ""
# a leased unit's download handlers behind the lease gate (crawler/distributed/gate.py, set by
# the unit's process): scheme -> handler class, as in DOWNLOAD_HANDLERS
LEASE_GATE_HANDLERS: dict[str, str] = {}
WARC_MAX_SIZE = 1_000_000_000
WARC_COMPRESS_LEVEL = 6
WARC_OPERATOR = ""
WARC_DESCRIPTION = ""  # the warcinfo record's description (wirecopy replay and import set their own)
EXTRACT_ENABLED = True
EXTRACT_WORKERS = 0  # 0: one per CPU core
EXTRACT_MIN_WORDS = 20
EXTRACT_INCLUDE_COMMENTS = False
EXTRACT_INCLUDE_TABLES = True
EXTRACT_FAVOR_PRECISION = False
EXTRACT_FAVOR_RECALL = False
STORIES_ENABLED = True
STORIES_ENCODER = "use"
STORIES_WIRE_NAMES = []  # agency names added to the tracker's own list
STORIES_ATTEMPTS = 3  # hand-overs of an article whose tracking worker died under it
# the story tracker's thresholds (archive/stories/tracker.py, TrackerConfig)
STORIES_MIN_COVERAGE = 0.30
STORIES_MIN_SENTENCES = 2
STORIES_LEXICAL_THRESHOLD = 0.80
STORIES_SEMANTIC_THRESHOLD = None  # None: the encoder's own measured threshold
STORIES_SEMANTIC_PROBE = 8
STORIES_BACKGROUND_DAYS = 10.0
STORIES_CANDIDATE_DAYS = 14.0
PROGRESS_ENABLED = None  # None: on when stderr is a terminal (scrapy crawl); the wirecopy commands set it
PROGRESS_INTERVAL = 0.5  # seconds between redraws of the progress display
PROGRESS_SUMMARY = True  # the display prints the closing summary; the wirecopy commands print their own
REPLAY_ARCHIVE = ""  # replay mode: answer every request from this archive, network off
REPLAY_AT = ""  # replay the captures closest to this time (YYYYmmddHHMMSS or ISO 8601); latest if empty
# Incremental recrawls (crawler/recrawl.py, archive/recrawl.py)
WARC_REVISITS = True  # unchanged payloads become revisit records
WARC_REVISIT_REQUESTS = True  # keep the request record of a revisit too
RECRAWL_ENABLED = True
RECRAWL_POLICY = "age"  # age | always | never: fetching archived articles again
RECRAWL_MAX_AGE_DAYS = 2.0
RECRAWL_HONOUR_LASTMOD = True
RECRAWL_CONDITIONAL = True  # If-None-Match / If-Modified-Since from the latest capture
# robots.txt per RFC 9309 (crawler/robots.py)
ROBOTSTXT_UNREACHABLE_RECHECK = 300.0  # seconds before an unreachable robots.txt is asked for again
# Extraction: site profiles (archive/siteprofile.py): blocks a site repeats are removed from texts
EXTRACT_SITE_PROFILES = True
EXTRACT_PROFILE_WINDOW = 50  # pages of a site the counts cover
EXTRACT_PROFILE_MIN_PAGES = 4  # a block on fewer pages is never boilerplate
EXTRACT_PROFILE_MIN_SHARE = 0.2  # ... nor on a smaller share of the window

LOG_LEVEL = "INFO"
FEED_EXPORT_ENCODING = "utf-8"

# The catalog (archive/catalog/): where it is, its class, and its patience when another process
# holds a lock or the database is unavailable: busy timeout, then retries with back-off, then a
# queue written before the run ends.
CATALOG_URL = ""  # postgresql://user@host/db: a PostgreSQL catalog; empty: SQLite in the archive
CATALOG_SCHEMA = "wirecopy"  # PostgreSQL schema of this archive's tables (one per archive)
CATALOG_POOL_SIZE = 4  # PostgreSQL connections at most
CATALOG_CONNECT_TIMEOUT = 30.0
CATALOG_CLASS = "archive.catalog.sqlite.SQLiteCatalog"
CATALOG_STORY_STORE_CLASS = "archive.catalog.stories_sqlite.SQLiteStore"  # with CATALOG_URL: the PostgreSQL one
CATALOG_BUSY_TIMEOUT = 5.0
CATALOG_RETRIES = 3
CATALOG_RETRY_DELAY = 0.1
CATALOG_RETRY_MAX_DELAY = 2.0
CATALOG_FLUSH_ROUNDS = 3

# Reliability: worker processes that die or hang (crawler/workers.py, crawler/pipelines.py)
EXTRACT_TIMEOUT = 120.0  # seconds one page's extraction may take; then its worker is replaced
EXTRACT_ATTEMPTS = 3  # tries of a page whose extraction worker died under it
STOP_PROMPTLY = True  # a stopping crawl drops requests held by back-off and cuts slow downloads
STOP_GRACE = 5.0  # seconds a stopping crawl lets downloads in progress finish
RETRY_HOST_BACKOFF_BUDGET = 300.0  # back-off seconds one host may cost a run (0: no limit)

# Page requisites (crawler/requisites.py): the stylesheets, images, fonts, scripts and media
# posters of every archived HTML page, fetched politely and archived with it
REQUISITES_ENABLED = True
REQUISITES_HOSTS = []  # host names requisites may come from (and their subdomains); empty: any
REQUISITES_MAX_SIZE = 10 * 1024 * 1024  # per resource: a larger one is kept truncated at this size
REQUISITES_MAX_PAGE_SIZE = 50 * 1024 * 1024  # bytes of requisites per page, cut past it; 0: no cap
REQUISITES_MAX_PER_PAGE = 200  # requisites requested for one page (or one stylesheet)
REQUISITES_TYPES = ["stylesheet", "image", "font", "script", "media"]
REQUISITES_PRIORITY = -100  # below every page, so article discovery goes first

# wirecopy serve (crawler/cli_serve.py): the web UI's address and threads
SERVE_HOST = "127.0.0.1"
SERVE_PORT = 8080  # 0: a free port
SERVE_THREADS = 4
SERVE_ALLOWED_HOSTS = []  # names the UI answers to besides this machine's own
