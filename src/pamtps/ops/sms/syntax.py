"""The SMS syntax: a keyword, then its words, separated by spaces (docs/sms.md has the card).

Case and spacing do not matter, and ``#``, ``*``, ``,`` and ``;`` count as spaces, since a feature
phone's keypad makes some of them easier to type than others. Keywords and words are Indonesian:

    HADIR <kode>                                   arrival, with the post's check-in code
    APEL | BERANGKAT | BERTUGAS | SELESAI          the other phases of the day
    STATUS <tps> <langkah> [catatan]               a TPS step: BUKA, PUNGUT, TUTUP, HITUNG,
                                                   HITUNGSELESAI, SERAHKOTAK
    LAPOR <tps> <kategori> <tingkat> <teks>        an incident (also for KPPS and Pengawas TPS)
    SEGEL <tps> <ppwp> <dpr> <dpd> <dprdprov> <dprdkab>    the five seal numbers after counting
    SERAH <tps> PPS|PPK <5 segel> [nama penerima]  the officer hands the boxes over
    TERIMA <tps> PPS|PPK <5 segel>                 the liaison confirms he received them
    INFO                                           the syntax, by reply

``<tps>`` is the TPS number on the officer's post (``3``, ``003``) or the full 13-digit code.
Parsing is pure: a message either becomes a ``Command`` or raises ``SyntaxProblem`` with the
catalogue key of its Indonesian explanation.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from pamtps.ops.escort.chain import BOXES
from pamtps.ops.field.tally import find_tallies
from pamtps.ops.field.tps_steps import STATUSES
from pamtps.ops.incidents.workflow import CATEGORIES, SEVERITIES

MAX_TEXT = 480  # three SMS parts; more is not a report typed on a keypad

PHASES = {"APEL": "apel", "BERANGKAT": "berangkat", "BERTUGAS": "bertugas", "SELESAI": "selesai"}
STEPS = {
    "BUKA": "dibuka", "DIBUKA": "dibuka",
    "PUNGUT": "pemungutan", "PEMUNGUTAN": "pemungutan", "MULAI": "pemungutan",
    "TUTUP": "ditutup", "DITUTUP": "ditutup",
    "HITUNG": "penghitungan", "PENGHITUNGAN": "penghitungan",
    "HITUNGSELESAI": "penghitungan_selesai", "SELESAIHITUNG": "penghitungan_selesai",
    "PENGHITUNGAN_SELESAI": "penghitungan_selesai",
    "SERAHKOTAK": "kotak_diserahkan", "KOTAK": "kotak_diserahkan",
    "KOTAK_DISERAHKAN": "kotak_diserahkan", "DISERAHKAN": "kotak_diserahkan",
}
KINDS = {
    "TELAT": "late_opening", "LOGISTIK": "logistics_missing", "RUSAK": "logistics_damaged",
    "TERTUKAR": "logistics_swapped", "INTIMIDASI": "voter_intimidation",
    "ANCAM": "official_intimidation", "POLITIKUANG": "money_politics", "UANG": "money_politics",
    "RICUH": "crowd_riot", "BAKAR": "ballot_burning", "KOTAKRUSAK": "box_damage",
    "BENCANA": "flood_disaster", "BANJIR": "flood_disaster", "LISTRIK": "power_network_failure",
    "SINYAL": "power_network_failure", "SENGKETA": "counting_dispute", "LAIN": "other",
}
LEVELS = {
    "RENDAH": "rendah", "R": "rendah", "1": "rendah",
    "SEDANG": "sedang", "S": "sedang", "2": "sedang",
    "TINGGI": "tinggi", "T": "tinggi", "3": "tinggi",
    "KRITIS": "kritis", "K": "kritis", "4": "kritis",
}
LEGS = {"PPS": "pps", "PPK": "ppk"}
KEYWORDS = ("HADIR", *PHASES, "STATUS", "LAPOR", "SEGEL", "SERAH", "TERIMA", "INFO")
_SEPARATORS = re.compile(r"[\s#*,;]+")
_TPS = re.compile(r"\d{1,3}|\d{13}")

assert set(STEPS.values()) == set(STATUSES)
assert set(KINDS.values()) == set(CATEGORIES)
assert set(LEVELS.values()) == set(SEVERITIES)


class SyntaxProblem(ValueError):
    """A message that is not a command: ``key`` names its explanation in the catalogue."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key, self.params = key, params


@dataclass(frozen=True)
class Command:
    """One parsed message: its keyword (lower case) and what it names."""

    name: str
    tps: str | None = None
    value: str = ""  # the code, phase, step, category or leg
    level: str = ""
    seals: dict[str, str] = field(default_factory=dict)
    text: str = ""


# A count typed by hand: "01 dapat 120", "paslon 2 = 87", "suara sah 240", "02 dpt 99". Not
# "surat suara kurang 20 lembar": ballot papers short is a logistics report, not a tally.
_SMS_TALLY = re.compile(
    r"\b(no\.?\s*)?0?\d{1,2}\s*(dapat|dpt|dapet|peroleh|memperoleh|meraih|=|:)\s*\d+"
    r"|\bsuara\s+(sah|tidak\s+sah|0?\d{1,2})\s*[:=]?\s*\d+"
    r"|\b(perolehan|paslon\s*0?\d)\b",
    re.IGNORECASE,
)


def states_tally(message: str) -> bool:
    """Whether a message reports vote counts (refused whole: police do not record tallies)."""
    return bool(find_tallies(message) or _SMS_TALLY.search(message))


def words_of(message: str) -> list[str]:
    """The words of a message, separators folded."""
    return [word for word in _SEPARATORS.split(message.strip()) if word]


def parse(message: str) -> Command:
    """The command a message states; SyntaxProblem if it states none."""
    if len(message) > MAX_TEXT:
        raise SyntaxProblem("sms.too_long", limit=MAX_TEXT)
    words = words_of(message)
    if not words:
        raise SyntaxProblem("sms.empty")
    keyword, rest = words[0].upper(), words[1:]
    if keyword in PHASES:
        return Command("movement", value=PHASES[keyword])
    parser = _PARSERS.get(keyword)
    if parser is None:
        raise SyntaxProblem("sms.unknown_keyword", word=words[0][:20])
    return parser(rest)


def _info(rest: list[str]) -> Command:
    return Command("info")


def _hadir(rest: list[str]) -> Command:
    code = "".join(rest).upper()  # '482 177' and '482177' are one code
    if not code:
        raise SyntaxProblem("sms.hadir_usage")
    return Command("checkin", value=code)


def _tps(rest: list[str], usage: str) -> str:
    if not rest or not _TPS.fullmatch(rest[0]):
        raise SyntaxProblem(usage)
    return rest[0]


def _status(rest: list[str]) -> Command:
    tps = _tps(rest, "sms.status_usage")
    if len(rest) < 2:
        raise SyntaxProblem("sms.status_usage")
    step = STEPS.get(rest[1].upper())
    if step is None:
        raise SyntaxProblem("sms.unknown_step", word=rest[1][:20])
    return Command("status", tps, step, text=" ".join(rest[2:]))


def _lapor(rest: list[str]) -> Command:
    tps = _tps(rest, "sms.lapor_usage")
    if len(rest) < 4:
        raise SyntaxProblem("sms.lapor_usage")
    kind, level = KINDS.get(rest[1].upper()), LEVELS.get(rest[2].upper())
    if kind is None:
        raise SyntaxProblem("sms.unknown_category", word=rest[1][:20])
    if level is None:
        raise SyntaxProblem("sms.unknown_level", word=rest[2][:20])
    return Command("incident", tps, kind, level, text=" ".join(rest[3:]))


def _segel(rest: list[str]) -> Command:
    tps = _tps(rest, "sms.segel_usage")
    if len(rest) != 1 + len(BOXES):
        raise SyntaxProblem("sms.segel_usage")
    return Command("seals", tps, seals=dict(zip(BOXES, rest[1:])))


def _handover(name: str, usage: str) -> Callable[[list[str]], Command]:
    def parse_handover(rest: list[str]) -> Command:
        tps = _tps(rest, usage)
        if len(rest) < 2 + len(BOXES):
            raise SyntaxProblem(usage)
        leg = LEGS.get(rest[1].upper())
        if leg is None:
            raise SyntaxProblem("sms.unknown_leg", word=rest[1][:20])
        seals = dict(zip(BOXES, rest[2:2 + len(BOXES)]))
        receiver = " ".join(rest[2 + len(BOXES):])
        if name == "receive" and receiver:
            raise SyntaxProblem(usage)
        return Command(name, tps, leg, seals=seals, text=receiver)

    return parse_handover


_PARSERS = {
    "HADIR": _hadir, "STATUS": _status, "LAPOR": _lapor, "SEGEL": _segel,
    "SERAH": _handover("handover", "sms.serah_usage"),
    "TERIMA": _handover("receive", "sms.terima_usage"), "INFO": _info,
}
