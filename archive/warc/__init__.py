"""WARC/1.1 records: building, writing (one gzip member per record), reading back."""

from .reader import StoredRecord, iter_records, read_record, recover_open_file
from .records import RecordFactory, warc_date
from .writer import RecordLocation, RotatingWarcWriter, WarcWriter

__all__ = [
    "RecordFactory",
    "RecordLocation",
    "RotatingWarcWriter",
    "StoredRecord",
    "WarcWriter",
    "iter_records",
    "read_record",
    "recover_open_file",
    "warc_date",
]
