"""wirecopy's Scrapy layer: settings, add-on, capture, pipelines and the command line."""

__version__ = "0.1.0"
