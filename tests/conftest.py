"""Shared small builders for the unit tests.

A test describes a tracking-sheet row the way a desk types it: raw cell
values under header names.  ``make_case(**fields)`` takes field keys
(``amount="59元"``) or headers (``退款金额="59元"``) and gives one row as
``{header: raw value}``; ``table(rows)`` turns such dicts into the
``(headers, rows)`` pair a sheet hands over (headers in first-seen order,
missing cells ``None``), which is what ``engine.evaluate`` and the UDFs take.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Iterable, Mapping

import importlib
import os
import pkgutil

import pytest
from hypothesis import settings as _hsettings

import refund_xl
from refund_xl._core import engine
from refund_xl._core.fields import FIELD_BY_KEY

# Property tests draw the same examples on every run and every machine (CI's result is a function of
# the commit, and a failure it shows is reproduced here as it is).  To look for new counterexamples,
# run with HYPOTHESIS_PROFILE=explore: fresh random examples each run.
_hsettings.register_profile("repeatable", derandomize=True, database=None, deadline=None, print_blob=True)
_hsettings.register_profile("explore", derandomize=False, deadline=None, print_blob=True)
_hsettings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))
# Hypothesis also draws literal constants from the project's modules loaded so far (hypothesis 6.1xx
# "local constants"), so the examples of a test depended on which other test files had imported which
# module: a file run alone drew other examples than in the whole suite.  Every module is loaded here,
# before any test runs, so a test draws the same examples however the suite is cut.
for _info in pkgutil.walk_packages(refund_xl.__path__, "refund_xl."):
    importlib.import_module(_info.name)
for _name in ("benchmarks.synth", "benchmarks.run", "benchmarks.archive", "benchmarks.import_bench"):
    importlib.import_module(_name)

# The reference time of every test (never the clock).
NOW = datetime(2025, 6, 10, 12, 0)


def ago(hours: float) -> datetime:
    """A datetime ``hours`` before NOW."""
    return NOW - timedelta(hours=hours)


def ahead(hours: float) -> datetime:
    """A datetime ``hours`` after NOW."""
    return NOW + timedelta(hours=hours)


def header_of(name: str) -> str:
    """A field key → its canonical header; anything else is taken as a header."""
    fld = FIELD_BY_KEY.get(name)
    return fld.header if fld else name


def make_case(**fields: object) -> dict[str, object]:
    """One row as {header: raw cell value}; an order number unless given."""
    row = {"订单号": "0012345"}
    for name, value in fields.items():
        row[header_of(name)] = value
    return row


def table(rows: Iterable[Mapping[str, object]], headers: list[str] | None = None
          ) -> tuple[list[str], list[list[object]]]:
    """Row dicts → (headers, rows of raw cells), as a sheet range gives them."""
    rows = list(rows)
    if headers is None:
        headers = []
        for r in rows:
            for h in r:
                if h not in headers:
                    headers.append(h)
    return list(headers), [[r.get(h) for h in headers] for r in rows]


def evaluate_rows(rows: Iterable[Mapping[str, object]], settings=None, now=NOW, aliases=None):
    headers, cells = table(rows)
    return engine.evaluate(cells, headers, settings, now, aliases)


def evaluate_one(settings=None, now=NOW, **fields: object):
    """The RowResult of one row built by ``make_case(**fields)``."""
    (result,) = evaluate_rows([make_case(**fields)], settings, now)
    return result


@pytest.fixture
def now() -> datetime:
    return NOW
