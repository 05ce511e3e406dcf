"""The strict input types every request body and path of the service is made of.

A request carries what a hostile or broken client can put in JSON: an id of 20 digits, NaN,
Infinity or ``1e400`` (which Python reads as infinity), a string with a NUL or a lone surrogate
(``"\\ud800"``), a date whose offset takes it past year 1. Each would pass a plain ``int``,
``float``, ``str`` or ``datetime`` and fail later in the database or in a conversion, as a
server error. These types refuse them at the door, as a 422 naming the field:

- ``Id``: a row id, 1 .. 2**31 - 1 (an ``INTEGER`` column on PostgreSQL holds no more);
- ``Finite``, ``Latitude``, ``Longitude``: finite numbers (and coordinates in range);
- ``Text``: a string without NUL or lone surrogates; give every field its ``max_length``
  (at most the column's, so that PostgreSQL never sees a longer one);
- ``Moment``: a datetime between 2000 and 2100, whatever its offset.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from pydantic import AfterValidator, Field

MAX_ID = 2**31 - 1
EARLIEST_YEAR, LATEST_YEAR = 2000, 2100

# Lengths of the columns the text lands in (pamtps.store.tables.reference: CODE, NAME, KIND).
CODE_LENGTH = 64
NAME_LENGTH = 200
KIND_LENGTH = 32
NOTE_LENGTH = 1000


def plain_text(value: str) -> str:
    """``value`` if it has no NUL (PostgreSQL refuses one in text) and no lone surrogate (not
    encodable as UTF-8)."""
    if "\x00" in value:
        raise ValueError("contains a NUL character")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("contains a lone surrogate (not valid Unicode text)") from None
    return value


def bounded_moment(value: datetime) -> datetime:
    """``value`` if it lies within the years the service deals in, in UTC as well."""
    try:
        year = value.astimezone(UTC).year if value.tzinfo else value.year
    except OverflowError:
        year = value.year
        year = EARLIEST_YEAR - 1 if year < EARLIEST_YEAR else LATEST_YEAR + 1
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        raise ValueError(f"must lie between the years {EARLIEST_YEAR} and {LATEST_YEAR}")
    return value


Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Finite = Annotated[float, Field(allow_inf_nan=False)]
Latitude = Annotated[float, Field(ge=-90, le=90, allow_inf_nan=False)]
Longitude = Annotated[float, Field(ge=-180, le=180, allow_inf_nan=False)]
Text = Annotated[str, AfterValidator(plain_text)]
Moment = Annotated[datetime, AfterValidator(bounded_moment)]
