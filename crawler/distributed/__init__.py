"""Crawl workers: a job run split into units of one site each, taken from a procrastinate queue
in PostgreSQL by ``wirecopy worker`` processes that share one archive directory and catalog."""
