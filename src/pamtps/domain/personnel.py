"""Personnel: Polri and TNI ranks, where an officer comes from, and whether he can serve."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class RankGroup(enum.StrEnum):
    PERWIRA_TINGGI = "perwira_tinggi"
    PERWIRA_MENENGAH = "perwira_menengah"
    PERWIRA_PERTAMA = "perwira_pertama"
    BINTARA_TINGGI = "bintara_tinggi"
    BINTARA = "bintara"
    TAMTAMA = "tamtama"

    @property
    def is_officer(self) -> bool:
        """True for the perwira groups: who may act as a controlling officer (Padal)."""
        return self in _PERWIRA


_PERWIRA = {RankGroup.PERWIRA_TINGGI, RankGroup.PERWIRA_MENENGAH, RankGroup.PERWIRA_PERTAMA}


@dataclass(frozen=True, slots=True)
class Rank:
    """A rank of Polri or TNI AD; ``seniority`` orders ranks of one service (higher is senior)."""

    name: str
    title: str
    group: RankGroup
    seniority: int
    service: str  # "polri" or "tni"


def _ranks(service: str, rows: list[tuple[str, str, RankGroup]]) -> list[Rank]:
    # Listed from senior to junior; seniority counts up from the most junior.
    return [Rank(n, t, g, len(rows) - i, service) for i, (n, t, g) in enumerate(rows)]


G = RankGroup
POLRI_RANKS = _ranks(
    "polri",
    [
        ("Jenderal Pol", "Jenderal Polisi", G.PERWIRA_TINGGI),
        ("Komjen Pol", "Komisaris Jenderal Polisi", G.PERWIRA_TINGGI),
        ("Irjen Pol", "Inspektur Jenderal Polisi", G.PERWIRA_TINGGI),
        ("Brigjen Pol", "Brigadir Jenderal Polisi", G.PERWIRA_TINGGI),
        ("Kombes Pol", "Komisaris Besar Polisi", G.PERWIRA_MENENGAH),
        ("AKBP", "Ajun Komisaris Besar Polisi", G.PERWIRA_MENENGAH),
        ("Kompol", "Komisaris Polisi", G.PERWIRA_MENENGAH),
        ("AKP", "Ajun Komisaris Polisi", G.PERWIRA_PERTAMA),
        ("Iptu", "Inspektur Polisi Satu", G.PERWIRA_PERTAMA),
        ("Ipda", "Inspektur Polisi Dua", G.PERWIRA_PERTAMA),
        ("Aiptu", "Ajun Inspektur Polisi Satu", G.BINTARA_TINGGI),
        ("Aipda", "Ajun Inspektur Polisi Dua", G.BINTARA_TINGGI),
        ("Bripka", "Brigadir Polisi Kepala", G.BINTARA),
        ("Brigpol", "Brigadir Polisi", G.BINTARA),
        ("Briptu", "Brigadir Polisi Satu", G.BINTARA),
        ("Bripda", "Brigadir Polisi Dua", G.BINTARA),
        ("Abrip", "Ajun Brigadir Polisi", G.TAMTAMA),
        ("Abriptu", "Ajun Brigadir Polisi Satu", G.TAMTAMA),
        ("Abripda", "Ajun Brigadir Polisi Dua", G.TAMTAMA),
        ("Bharaka", "Bhayangkara Kepala", G.TAMTAMA),
        ("Bharatu", "Bhayangkara Satu", G.TAMTAMA),
        ("Bharada", "Bhayangkara Dua", G.TAMTAMA),
    ],
)
TNI_RANKS = _ranks(
    "tni",
    [
        ("Kolonel", "Kolonel", G.PERWIRA_MENENGAH),
        ("Letkol", "Letnan Kolonel", G.PERWIRA_MENENGAH),
        ("Mayor", "Mayor", G.PERWIRA_MENENGAH),
        ("Kapten", "Kapten", G.PERWIRA_PERTAMA),
        ("Lettu", "Letnan Satu", G.PERWIRA_PERTAMA),
        ("Letda", "Letnan Dua", G.PERWIRA_PERTAMA),
        ("Peltu", "Pembantu Letnan Satu", G.BINTARA_TINGGI),
        ("Pelda", "Pembantu Letnan Dua", G.BINTARA_TINGGI),
        ("Serma", "Sersan Mayor", G.BINTARA),
        ("Serka", "Sersan Kepala", G.BINTARA),
        ("Sertu", "Sersan Satu", G.BINTARA),
        ("Serda", "Sersan Dua", G.BINTARA),
        ("Kopka", "Kopral Kepala", G.TAMTAMA),
        ("Koptu", "Kopral Satu", G.TAMTAMA),
        ("Kopda", "Kopral Dua", G.TAMTAMA),
        ("Praka", "Prajurit Kepala", G.TAMTAMA),
        ("Pratu", "Prajurit Satu", G.TAMTAMA),
        ("Prada", "Prajurit Dua", G.TAMTAMA),
    ],
)
del G

_RANKS = {rank.name.casefold(): rank for rank in POLRI_RANKS + TNI_RANKS}
# Common spellings on rosters: "Brigadir" for Brigpol, ranks without the "Pol" suffix.
_ALIASES = {"brigadir": "brigpol", "kombes": "kombes pol", "brigjen": "brigjen pol"}


def rank_by_name(name: str) -> Rank:
    """Look a rank up by its abbreviation, case-insensitively; raises KeyError if unknown."""
    key = " ".join(name.split()).casefold()
    key = _ALIASES.get(key, key)
    try:
        return _RANKS[key]
    except KeyError:
        raise KeyError(f"unknown rank: {name!r}") from None


class Origin(enum.StrEnum):
    """Where an officer belongs for this operation."""

    POLRES = "polres"  # the Polres' own HQ functions
    POLSEK = "polsek"  # one of the Polres' sectors
    BKO_POLRI = "bko_polri"  # lent by the Polda (Brimob, Samapta, other directorates)
    TNI = "tni"  # army support (Kodim)

    @property
    def is_local(self) -> bool:
        """Own officers of the Polres, who know the ground (as opposed to lent outsiders)."""
        return self in (Origin.POLRES, Origin.POLSEK)


class Availability(enum.StrEnum):
    AVAILABLE = "available"
    SICK = "sick"
    LEAVE = "leave"
    TRAINING = "training"
    OTHER_ASSIGNMENT = "other_assignment"


@dataclass(frozen=True, slots=True)
class Officer:
    """One member of the forces on the operation.

    ``nrp`` is the Polri registration number (NRP) or the TNI's NRP. ``base_lat``/``base_lng`` is
    where he starts from (his unit's base unless known otherwise). ``barred_desa`` lists desa
    where he must not serve (declared conflicts of interest, e.g. his own family is a candidate).
    ``synthetic`` marks generated rosters, so that no one mistakes them for real people.
    """

    nrp: str
    name: str
    rank: Rank
    unit_code: str
    origin: Origin
    function: str
    base_lat: float
    base_lng: float
    availability: Availability = Availability.AVAILABLE
    barred_desa: frozenset[str] = field(default_factory=frozenset)
    synthetic: bool = False

    @property
    def available(self) -> bool:
        return self.availability is Availability.AVAILABLE

    @property
    def summary_group(self) -> str:
        """The group counted in summaries: polres (own), bko_polri, brimob or tni."""
        if self.origin.is_local:
            return "polres"
        if self.origin is Origin.TNI:
            return "tni"
        return "brimob" if self.function.casefold().startswith("brimob") else "bko_polri"

    @property
    def display(self) -> str:
        return f"{self.rank.name} {self.name}"
