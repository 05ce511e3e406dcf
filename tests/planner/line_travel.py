"""A travel stand-in for hand-worked cases: 100 minutes per degree, lat and lng apart."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


class LineTravel:
    """100 minutes per degree, lat and lng apart (on the line: per degree of road)."""

    def minutes(self, lat1: float, lng1: float, lat2: float, lng2: float) -> float:
        return 100.0 * (abs(lat1 - lat2) + abs(lng1 - lng2))

    def matrix(
        self, origins: Sequence[tuple[float, float]], destinations: Sequence[tuple[float, float]]
    ) -> np.ndarray:
        a = np.asarray(origins, dtype=float).reshape(-1, 2)
        b = np.asarray(destinations, dtype=float).reshape(-1, 2)
        return 100.0 * np.abs(a[:, None, :] - b[None, :, :]).sum(axis=2)
