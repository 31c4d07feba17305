"""Scheduled crawl jobs: the jobs file, one run with its lock and history, the daemon."""

from .config import DEFAULT_FILE, Job, JobsFile, JobsFileError, load_jobs, parse_jobs
from .history import JobHistory, RunFigures
from .lock import JobLock, JobLocked

__all__ = ["DEFAULT_FILE", "Job", "JobsFile", "JobsFileError", "load_jobs", "parse_jobs",
           "JobHistory", "RunFigures", "JobLock", "JobLocked"]
