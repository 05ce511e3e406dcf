"""Ballot-box escort with chain of custody: seals at the TPS, handovers TPS -> PPS -> PPK."""
