"""Free text that states a vote count is refused, however it is spelled.

Police must not record tallies (docs/DOMAIN.md section 6): the KPPS counts, Bawaslu supervises.
Every free-text field of the service (incident text, notes, names, seal values, labels) passes
through ``find_tally``, after ``normalise`` has undone the usual disguises: NFKC (full-width
digits, ligatures), zero-width and other invisible characters, Cyrillic and Greek look-alikes,
letters spaced or dotted apart ("s u a r a"), digits for letters ("5uara") and numbers in words
("seratus dua puluh").

What counts as a tally: a count next to a vote word ("120 suara", "suara sah: 190", "votes
45"), a candidate's number or name with a count ("paslon 01: 120", "01 dapat 120", "Prabowo
80"), or a score ("hasil 120-80"). Ordinary reports keep their numbers: "surat suara kurang 20
lembar" names ballot papers, not votes, and a count followed by a unit ("20 lembar", "250
orang") is a quantity, not a result.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Annotated

from pydantic import AfterValidator
from pydantic_core import PydanticCustomError

from pamtps.i18n import t
from pamtps.ops.inputs import plain_text

# Look-alikes that NFKC leaves alone: Cyrillic and Greek letters drawn like Latin ones.
_CONFUSABLES = str.maketrans(
    "аеорсухіјѕԁһӏкмтвнАЕОРСУХІЈЅКМТВНԌαεοριυνκτχΑΕΟΡΙΥΝΚΤΧΜΗΒΖ",
    "aeopcyxijsdhlkmtbhAEOPCYXIJSKMTBHGaeopiuvktxAEOPIYNKTXMHBZ",
)
_LEET = (str.maketrans("43015869", "aeoisbgg"), str.maketrans("43015869", "aeolsbgg"))
_INVISIBLE = re.compile(
    r"[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f"
    r"\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff]"
)
# "s u a r a", "s.u.a.r.a", "s-u-a-r-a": single letters joined by one separator.
_SPACED = re.compile(r"\b(?:[a-z][ .\-_*]){2,}[a-z]\b")

VOTE_WORDS = frozenset(
    {
        "suara",
        "vote",
        "votes",
        "voted",
        "tally",
        "ballots",
        "perolehan",
        "coblosan",
        "dicoblos",
        "suaranya",
    }
)
# Compounds of "suara" that are not votes: ballot papers, boxes, booths, loudspeakers, polling.
_THINGS = re.compile(r"\b(surat|kotak|bilik|pengeras|hak|sumber|nada|rekaman|pemungutan)\s+suara\b")

_UNITS = (
    r"lembar|lbr|orang|org|jiwa|kotak|bilik|personel|pers|anggota|menit|jam|hari|buah|"
    r"unit|set|pcs|bungkus|dus|botol|liter|km|meter|m|kg|tps|kali|rt|rw|desa|segel|"
    r"pemilih|kk|rumah|titik|mobil|motor|truk|ekor|persen|%|sampul|formulir|pasang|lusin"
)
_NUMBER = r"(?<!\d[:.])\d+(?:[.,]\d+)?"  # not the minutes of 07:15
_NOT_UNIT = rf"(?!\s*(?:{_UNITS})\b)(?![:.]\d\d\b)"  # nor a clock time, 12:15
_CANDIDATE = (
    r"paslon|pasangan\s+calon|calon|capres|cawapres|caleg|kandidat|candidate|"
    r"nomor\s+urut|no\.?\s*urut|urut|partai|party|anies|amin|muhaimin|prabowo|"
    r"gibran|ganjar|mahfud|pdip|pdi-p|gerindra|golkar|nasdem|pkb|pks|demokrat|psi|"
    r"perindo|ppp|hanura|gelora|garuda|ummat|buruh|pkn|pbb"
)
_GAIN = (
    r"dapat|mendapat|mendapatkan|memperoleh|peroleh|meraih|raih|meraup|unggul|menang|"
    r"kalah|got|gets|received|receives|won|scored|=|:|->|→"
)
_PATTERNS = [
    # "120 suara", "80 votes", "45 coblosan"
    rf"\b{_NUMBER}\s*(?:{'|'.join(sorted(VOTE_WORDS))})\b",
    # "suara sah: 190", "suara 01 = 120", "votes: 45", "perolehan 120", "tally 3"
    rf"\b(?:{'|'.join(sorted(VOTE_WORDS))})\b[^.\n]{{0,14}}?\b{_NUMBER}\b{_NOT_UNIT}",
    # "rekap 01 120 02 80", "hasil hitung 120"
    rf"\b(?:rekap|rekapitulasi|hasil\s+hitung|hitungan)\b[^.\n]{{0,20}}?\b{_NUMBER}\b{_NOT_UNIT}",
    # "sah: 190", "tidak sah 12", "valid votes 190", "golput 30"
    rf"\b(?:tidak\s+sah|sah|valid|invalid|golput|abstain)\s*[:=]\s*{_NUMBER}",
    # "paslon 01: 120", "Prabowo 80", "nomor urut 2 memperoleh 80", "partai x 40"
    rf"\b(?:{_CANDIDATE})\b[^.\n]{{0,20}}?\b{_NUMBER}\b{_NOT_UNIT}",
    # "01 dapat 120", "02 = 80", "1 got 120" (not a clock time like 08:00)
    rf"\b0?\d{{1,2}}\s*(?:{_GAIN})(?<!:)\s*{_NUMBER}\b{_NOT_UNIT}",
    rf"\b0?\d{{1,2}}(?:\s+:\s*|:\s+)\d+\b{_NOT_UNIT}|\b0?\d{{1,2}}:(?:\d{{3,}}|[6-9]\d)\b",
    # "hasil 120-80", "skor 120:80", "120 lawan 80 untuk 01"
    rf"\b(?:hasil|skor|score|result|results|rekap|rekapitulasi|hitungan|menang|unggul)\b"
    rf"[^.\n]{{0,20}}?\b{_NUMBER}\s*(?:-|:|/|vs\.?|lawan|banding|berbanding|to)\s*{_NUMBER}",
]
_TALLY = re.compile("|".join(f"(?:{p})" for p in _PATTERNS))

_ONES = {
    "nol": 0,
    "kosong": 0,
    "satu": 1,
    "se": 1,
    "dua": 2,
    "tiga": 3,
    "empat": 4,
    "lima": 5,
    "enam": 6,
    "tujuh": 7,
    "delapan": 8,
    "sembilan": 9,
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "sepuluh": 10,
    "sebelas": 11,
    "seratus": 100,
    "seribu": 1000,
}
_SCALES = {"belas": None, "puluh": 10, "ratus": 100, "ribu": 1000, "hundred": 100, "thousand": 1000}
_NUMBER_WORDS = re.compile(
    r"\b(?:(?:" + "|".join(sorted(_ONES | _SCALES, key=len, reverse=True)) + r")\b[\s-]*)+"
)


def _spell_numbers(text: str) -> str:
    """Runs of number words as digits: "seratus dua puluh" -> "120", "eighty" -> "80"."""

    def value(match: re.Match[str]) -> str:
        thousands, hundreds, small = 0, 0, 0
        for word in re.findall(r"[a-z]+", match.group(0)):
            if word in ("seratus", "seribu"):
                hundreds += _ONES[word]
            elif word in _ONES:
                small += _ONES[word]
            elif word == "belas":
                small += 10
            elif word == "puluh":
                small = max(small, 1) * 10
            elif word in ("ratus", "hundred"):
                hundreds, small = hundreds + max(small, 1) * 100, 0
            else:  # ribu, thousand
                thousands, hundreds, small = thousands + max(hundreds + small, 1) * 1000, 0, 0
        tail = " " if match.group(0)[-1:].isspace() else ""
        return f"{thousands + hundreds + small}{tail}"

    return _NUMBER_WORDS.sub(value, text)


def _unleet(match: re.Match[str]) -> str:
    word = match.group(0)
    for table in _LEET:
        if word.translate(table) in VOTE_WORDS:
            return word.translate(table)
    return word


@lru_cache(maxsize=4096)
def normalise(text: str) -> str:
    """The text as the detector reads it: NFKC, no invisible characters, look-alikes folded to
    Latin, case folded, letters spaced apart rejoined, vote words in digits spelled back, and
    numbers in words as digits."""
    text = unicodedata.normalize("NFKC", text)
    text = _INVISIBLE.sub("", text).translate(_CONFUSABLES)
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    text = text.casefold()
    text = _SPACED.sub(lambda m: re.sub(r"[ .\-_*]", "", m.group(0)), text)
    text = re.sub(r"\b(?=[a-z0-9]*[a-z])(?=[a-z0-9]*\d)[a-z0-9]+\b", _unleet, text)
    text = _THINGS.sub(lambda m: f"{m.group(1)}_suara", text)
    return _spell_numbers(text)


def find_tally(text: str) -> str | None:
    """The part of ``text`` that states a vote count, or None."""
    match = _TALLY.search(normalise(text))
    return match.group(0).strip() if match else None


def is_tally(text: str) -> bool:
    """Whether ``text`` states a vote count (see ``find_tally``)."""
    return find_tally(text) is not None


def refuse_tally(value: str) -> str:
    """``value`` unchanged; a pydantic error with the Indonesian (or English) refusal if it
    states a vote count. The validator behind ``FreeText``."""
    if find_tally(value) is not None:
        raise PydanticCustomError("vote_counts_refused", t("text.vote_counts_refused"))
    return value


FreeText = Annotated[str, AfterValidator(plain_text), AfterValidator(refuse_tally)]
"""A free-text field of a request body: any plain text (no NUL, no lone surrogate) but a vote
count."""
