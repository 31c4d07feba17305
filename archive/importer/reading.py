"""The records of a location, scanned, parsed and mapped to their catalog entries: read in this
process, or for a large WARC in byte ranges read by worker processes at once.

Ranges start at record boundaries found in the bytes (``find_next_record``); a boundary found
inside a record (a WARC quoted in a payload) shows when the range before it does not end there,
and from that record on the location is read here, in order. Results are consumed in file
order, so the catalog gets the same rows in the same order either way. A worker that dies or
fails hands its range back to this process the same way.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections import Counter, deque
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Iterator

from ..catalog import mapper
from ..catalog.rows import CaptureRow, RevisitLink
from ..warc.locations import location_size, open_location
from .classify import wants_extraction
from .records import CAPTURE_TYPES, ParsedRecord, parse
from .scan import ByteRange, Problem, find_next_record, scan_range, splittable

logger = logging.getLogger(__name__)

# a location smaller than this is read in this process: starting the workers takes about as long
# as they save on 40 MB (2 cores)
SPLIT_FROM = 64 << 20
MIN_RANGE = 1 << 20
MAX_RANGE = 8 << 20  # a range's results are held whole: bounded, with pages' bodies in them
RANGES_PER_WORKER = 4  # more ranges than workers: this process works through one as others are read
# this process writes the rows of 60,000-75,000 records/s, and a worker reads about 18,000: more
# than four workers would wait on it
DEFAULT_WORKERS = 4

Item = Problem | tuple[ParsedRecord, "mapper.CaptureEntry | None"]


def read_items(location: str, container: str, job: str | None, span: ByteRange | None = None) -> Iterator[Item]:
    """Problems, and each record with its capture entry (None for a record that is not a
    capture, and for a damaged one: it is mapped once it is known to read back)."""
    for item in scan_range(location, container, span):
        if isinstance(item, Problem):
            yield item
            continue
        record = parse(item, location, request_headers=False)  # requests are not cataloged
        entry = None
        if record.rec_type in CAPTURE_TYPES and record.url and not record.damaged:
            entry = mapper.capture_entry(record, location, job)
        yield record, entry


def _pack(record: ParsedRecord, entry: mapper.CaptureEntry | None, keep_bodies: bool) -> tuple:
    """A record as plain values (pickled many times faster than the dataclasses), its body and
    headers only where it is a page to extract."""
    packed_entry = None
    if entry is not None:
        revisit = entry.revisit
        packed_entry = (tuple(entry.row.__dict__.values()), entry.etag, entry.last_modified,
                        None if revisit is None else tuple(revisit.__dict__.values()), entry.index_line)
    # a damaged capture is mapped in the reading process once it reads back: all of it goes along
    body = (record.rec_type in CAPTURE_TYPES if entry is None
            else keep_bodies and wants_extraction(record, entry.row.kind))
    return (record.offset, record.length, record.rec_type, record.record_id, record.url, record.warc_date,
            record.headers if body else None, record.status, record.http_headers if body else None,
            record.payload if body else None, record.complete, record.notes, packed_entry)


def _unpack(values: tuple) -> tuple[ParsedRecord, mapper.CaptureEntry | None]:
    (offset, length, rec_type, record_id, url, warc_date, headers, status, http_headers, payload, complete,
     notes, packed_entry) = values
    record = ParsedRecord(offset, length, rec_type, record_id, url, warc_date, headers or {}, status,
                          http_headers or [], payload or b"", complete, notes)
    entry = None
    if packed_entry is not None:
        row, etag, last_modified, revisit, line = packed_entry
        entry = mapper.CaptureEntry(CaptureRow(*row), etag, last_modified,
                                    None if revisit is None else RevisitLink(*revisit), line)
    return record, entry


def read_range(location: str, container: str, job: str | None, keep_bodies: bool, start: int,
               stop: int | None) -> tuple[list, int | None]:
    """Runs in a worker: (the range's items, where the record after it starts)."""
    span = ByteRange(start, stop)
    items = [item if isinstance(item, Problem) else _pack(*item, keep_bodies)
             for item in read_items(location, container, job, span)]
    return items, span.next_start


def _ready() -> int:
    return os.getpid()


def range_starts(location: str, container: str, size: int, length: int, first: int) -> list[int]:
    """0 and the record boundaries found at or after ``first``, then every ``length`` bytes."""
    starts = [0]
    with open_location(location) as stream:
        nominal = first
        while nominal < size:
            at = find_next_record(stream, max(nominal, starts[-1] + 1), container == "warc.gz")
            if at is None:
                break
            if at > starts[-1]:
                starts.append(at)
            nominal += length
    return starts


class RangeReader:
    """Reads locations with ``workers`` processes (started on the first location large enough,
    or by ``start``); ``workers`` 1: every location in this process."""

    def __init__(self, workers: int, keep_bodies: bool, job: str | None = None):
        self.workers = workers
        self.keep_bodies = keep_bodies
        self.job = job
        self.pool: ProcessPoolExecutor | None = None

    def start(self) -> None:
        if self.pool is None and self.workers > 1:
            self.pool = ProcessPoolExecutor(max_workers=self.workers, initializer=_ready,
                                            mp_context=multiprocessing.get_context("forkserver"))
            # every worker has imported what it reads with before the first range reaches it
            ready: set[int] = set()
            while len(ready) < self.workers:
                ready.update(future.result() for future in [self.pool.submit(_ready) for _ in range(self.workers)])

    def worker_pids(self) -> list[int]:
        """The running workers' process ids (none before ``start``)."""
        return [process.pid for process in self.pool._processes.values()] if self.pool is not None else []

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None

    def read(self, location: str, container: str, stats: Counter) -> Iterator[Item]:
        """The location's items in file order; ``stats`` counts ``read/ranges`` (read by
        workers), ``read/reread`` (read again here) and ``read/workers_lost``."""
        size = location_size(location) if self.workers > 1 and splittable(location, container) else None
        if size is None or size < SPLIT_FROM:
            yield from read_items(location, container, self.job)
            return
        length = min(MAX_RANGE, max(MIN_RANGE, size // (self.workers * RANGES_PER_WORKER)))
        # the first range is short: this process writes its rows while the workers read on
        starts = range_starts(location, container, size, length, max(1, length // self.workers // 4))
        yield from self._read_ranges(location, container, starts, stats)

    def _read_ranges(self, location: str, container: str, starts: list[int], stats: Counter) -> Iterator[Item]:
        try:
            self.start()
        except Exception as exc:  # no processes to be had (a limit on them, no shared memory)
            logger.error("Could not start processes to read WARC ranges (%s: %s); reading in this process",
                         exc.__class__.__name__, exc)
            stats["read/workers_lost"] += 1
            self.close()
            self.workers = 1
            yield from read_items(location, container, self.job)
            return
        spans = deque(zip(starts, starts[1:] + [None]))
        running: deque[tuple[int, Future | None]] = deque()
        expected: int | None = 0  # where the next range must start: where the last one ended
        try:
            while spans or running:
                while spans and len(running) < self.workers * 2:
                    start, stop = spans.popleft()
                    running.append((start, self._submit(location, container, start, stop)))
                start, future = running.popleft()
                if start != expected:
                    # the last range ended elsewhere (or at the end of the data): ``start`` was
                    # found inside a record
                    logger.info("%s: no record starts at offset %d; reading on from %s in this process",
                                location, start, expected)
                    break
                try:
                    if future is None:
                        raise BrokenProcessPool("the pool could not take the range")
                    items, expected = future.result()
                except Exception as exc:  # a worker died or failed: this process reads the rest
                    self._lost(location, start, exc, stats)
                    break
                stats["read/ranges"] += 1
                for item in items:
                    yield item if isinstance(item, Problem) else _unpack(item)
                if expected is None:
                    return
        finally:
            for _start, future in running:
                if future is not None:
                    future.cancel()
        if expected is None:
            return
        stats["read/reread"] += 1
        yield from read_items(location, container, self.job, ByteRange(expected))

    def _submit(self, location: str, container: str, start: int, stop: int | None) -> Future | None:
        assert self.pool is not None
        try:
            return self.pool.submit(read_range, location, container, self.job, self.keep_bodies, start, stop)
        except BrokenProcessPool:
            return None

    def _lost(self, location: str, start: int, exc: Exception, stats: Counter) -> None:
        logger.error("A reading worker failed on %s from offset %d (%s); reading on in this process",
                     location, start, exc.__class__.__name__)
        if isinstance(exc, BrokenProcessPool):
            stats["read/workers_lost"] += 1
            assert self.pool is not None
            self.pool.shutdown(wait=False, cancel_futures=True)
            self.pool = None
