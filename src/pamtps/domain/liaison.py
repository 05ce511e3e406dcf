"""The election officials of a TPS who may report to the police: its liaisons."""

HOLDER_NAMES = {"kpps": "Ketua KPPS", "pengawas": "Pengawas TPS"}
"""Who holds a TPS's liaison code, by the key stored with the code."""
