"""Indonesian labels and formats used on every printed output."""

from __future__ import annotations

from datetime import date, time

import pytest

from pamtps.documents import labels


@pytest.mark.parametrize(
    ("numbers", "text"),
    [
        ([1], "001"),
        ([3, 1, 2], "001-003"),
        ([1, 2, 3, 5, 7, 8], "001-003, 005, 007-008"),
        ([901], "901"),
    ],
)
def test_tps_numbers_read_as_ranges(numbers: list[int], text: str) -> None:
    """Consecutive TPS numbers collapse into ranges, zero-padded as KPU writes them."""
    assert labels.number_ranges(numbers) == text


def test_dates_times_and_numbers_are_written_the_indonesian_way() -> None:
    """'Rabu, 14 Februari 2024', '05.00 WIB', '1.234,5'."""
    assert labels.long_date(date(2024, 2, 14)) == "Rabu, 14 Februari 2024"
    assert labels.clock(time(5, 0), "WIB") == "05.00 WIB"
    assert labels.decimal(1234.5) == "1.234,5"
    assert labels.sprint_number(date(2024, 2, 14)).endswith("/II/2024")


@pytest.mark.parametrize(
    ("code", "zone"),
    [("16.01", "WIB"), ("51.71", "WITA"), ("73.71", "WITA"), ("94.71", "WIT"), ("61.01", "WIB")],
)
def test_time_zone_follows_the_province(code: str, zone: str) -> None:
    """Sumatera and Kalimantan Barat are WIB, Bali and Sulawesi WITA, Papua WIT."""
    assert labels.time_zone(code) == zone
