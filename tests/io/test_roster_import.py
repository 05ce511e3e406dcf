"""Importing a personnel roster: units, ranks, NRP, statuses and barred desa."""

import pytest

from pamtps.domain import Availability, Origin, Precision, UnitType
from pamtps.io.problems import Problem
from pamtps.io.roster_import import read_roster


@pytest.fixture
def roster_problems(corpus, problems_of, reference):
    """The problems of a corpus roster file."""
    return lambda name: problems_of(read_roster, corpus(name), reference)


@pytest.fixture
def roster(corpus, reference):
    """Officers and declared units of the valid corpus roster, officers by name."""
    officers, units = read_roster(corpus("ok_roster.csv"), reference)
    return {officer.name: officer for officer in officers}, units


def test_unknown_rank_suggests_the_closest_one(roster_problems):
    """A misspelt rank is refused with the closest valid rank as a hint."""
    assert roster_problems("roster_unknown_rank.csv") == [
        Problem("roster_unknown_rank.csv", 2, "pangkat", "Brigpool",
                "unknown rank; did you mean 'Brigpol'?")
    ]


def test_unknown_unit_suggests_the_closest_one(roster_problems):
    """A unit the reference does not know, without asal, is refused with the closest name."""
    assert roster_problems("roster_unknown_unit.csv") == [
        Problem("roster_unknown_unit.csv", 2, "satuan", "Polsek Sosoh Buay",
                "unknown unit: not a unit code or name in OKU test; did you mean "
                "'Polsek Sosoh Buay Rayap'? (a new unit needs asal bko_polri or tni)")
    ]


def test_duplicate_nrp_names_the_first_row(roster_problems):
    """The second row with an NRP already seen is refused."""
    assert roster_problems("roster_duplicate_nrp.csv") == [
        Problem("roster_duplicate_nrp.csv", 3, "nrp", "90020002",
                "duplicate NRP: already on row 2")
    ]


def test_polri_nrp_has_8_digits_and_tni_nrp_7_to_18(roster_problems):
    """A 7-digit Polri NRP hints at a lost leading zero; an 8-digit TNI NRP is fine."""
    assert roster_problems("roster_bad_nrp.csv") == [
        Problem("roster_bad_nrp.csv", 2, "nrp", "1020003",
                "a Polri NRP has 8 digits (a leading 0 dropped by the spreadsheet?)"),
        Problem("roster_bad_nrp.csv", 3, "nrp", "8705-0001", "a Polri NRP has 8 digits"),
    ]


def test_tni_rank_on_a_polri_unit_is_refused(roster_problems):
    """A Sersan Dua cannot serve in a Polsek."""
    assert roster_problems("roster_tni_rank_on_polri_unit.csv") == [
        Problem("roster_tni_rank_on_polri_unit.csv", 2, "pangkat", "Serda",
                "TNI rank on a Polri unit 'Polsek Sosoh Buay Rayap'")
    ]


def test_unknown_barred_desa_is_named_alone(roster_problems):
    """Each bad code in dilarang_desa is its own problem, with that code as the value."""
    assert roster_problems("roster_barred_unknown_desa.csv") == [
        Problem("roster_barred_unknown_desa.csv", 2, "dilarang_desa", "16.01.07.2999",
                "unknown desa: not in OKU test"),
        Problem("roster_barred_unknown_desa.csv", 2, "dilarang_desa", "1601",
                "not a desa code (like 16.01.07.2001 or 1601072001)"),
    ]


def test_asal_status_and_new_unit_type_are_checked(roster_problems):
    """A wrong asal for a known unit, an unknown status, a new Polsek and a TNI-typed BKO fail."""
    assert roster_problems("roster_bad_choices.csv") == [
        Problem("roster_bad_choices.csv", 2, "asal", "polsek",
                "unit 'Polres OKU' is polres, not polsek"),
        Problem("roster_bad_choices.csv", 2, "status", "libur",
                "status must be one of: siap, sakit, cuti, dik, tugas_lain, available, sick, "
                "leave, training, other_assignment"),
        Problem("roster_bad_choices.csv", 3, "satuan", "Polsek Baru",
                "unknown unit: not a unit code or name in OKU test (a new unit needs asal "
                "bko_polri or tni)"),
        Problem("roster_bad_choices.csv", 4, "jenis_satuan", "tni",
                "a unit with asal bko_polri is one of: brimob, samapta, bko_polri"),
    ]


def test_units_are_found_by_name_or_code_and_officers_start_at_their_base(roster, reference):
    """Polres and Polsek officers get their origin from the unit and start from its base."""
    officers, _ = roster
    budi, siti = officers["Budi Santoso"], officers["Siti Aminah"]

    assert (budi.unit_code, budi.origin, budi.base_lat, budi.base_lng) == (
        "polres-oku", Origin.POLRES, -4.12, 104.18
    )
    assert (siti.unit_code, siti.origin, siti.function) == (
        "polsek-sbr", Origin.POLSEK, "Bhabinkamtibmas"
    )


def test_ranks_by_alias_or_title_and_statuses_in_indonesian(roster):
    """'Brigadir' is Brigpol, a full title is its rank, and cuti/sakit/dik/tugas lain are read."""
    officers, _ = roster

    assert [(o.rank.name, o.availability) for o in officers.values()] == [
        ("AKP", Availability.AVAILABLE),
        ("Bripka", Availability.AVAILABLE),
        ("Brigpol", Availability.LEAVE),
        ("Bripka", Availability.SICK),
        ("Bripda", Availability.AVAILABLE),
        ("Bharada", Availability.TRAINING),
        ("Serda", Availability.OTHER_ASSIGNMENT),
    ]


def test_barred_desa_and_given_base_are_kept(roster):
    """dilarang_desa in either code form becomes dotted codes; a given lat/lng is the base."""
    officers, _ = roster

    assert officers["Joko Susilo"].barred_desa == {"16.01.07.2001", "16.01.07.2002"}
    assert officers["Siti Aminah"].barred_desa == {"16.01.07.2001"}
    assert (officers["Andi Wijaya"].base_lat, officers["Andi Wijaya"].base_lng) == (-4.151, 104.052)


def test_new_bko_and_tni_units_are_declared_once(roster):
    """A Brimob company and a Koramil are declared at the Polres base; later rows reuse them."""
    officers, units = roster

    assert [(u.code, u.type, u.parent_code, u.base_precision) for u in units] == [
        ("kompi-2-brimob-polda-sumsel", UnitType.BRIMOB, "polres-oku", Precision.ESTIMATED),
        ("koramil-baturaja", UnitType.TNI, None, Precision.ESTIMATED),
    ]
    assert (units[0].base_lat, units[0].base_lng) == (-4.12, 104.18)
    assert [officers[name].summary_group for name in ("Rudi Hartono", "Dedi Kurniawan",
                                                      "Agus Salim")] == ["brimob", "brimob", "tni"]
