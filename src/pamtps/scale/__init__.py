"""Planning beyond one Polres: a Polda's pool lent across its Polres (``allocate``), every
Polres planned with its share (``polda``), and the per-Polres records such runs write.

This package needs no distributed engine: the map over Polres is a parameter, serial by default.
"""
