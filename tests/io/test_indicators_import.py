"""Importing desa indicators: only the reference's desa are kept, values are checked."""

from pamtps.io.indicators_import import read_indicators
from pamtps.io.problems import Problem


def test_indicators_of_the_reference_desa_are_kept_and_others_counted(corpus, reference):
    """Two OKU desa are kept; the Muara Enim row and the row without kode_desa are counted."""
    indicators = read_indicators(corpus("ok_indicators.csv"), reference)

    assert list(indicators) == ["16.01.07.2001", "16.01.07.2002"]
    assert indicators["16.01.07.2002"] == {
        "luas_desa": 2474.0,
        "jarak_jalan": None,
        "persentase_elektrifikasi": 95.5,
        "jenis_sinyal_internet": 2.0,
        "indeks_bahaya_banjir": 0.3,
    }
    assert (indicators.skipped_blank, indicators.skipped_outside) == (1, 1)


def test_bad_values_repeats_and_unknown_desa_fail(corpus, reference, problems_of):
    """Bad values, a repeated desa and an unknown OKU desa fail; another regency's rows do not."""
    assert problems_of(read_indicators, corpus("indicators_bad.csv"), reference) == [
        Problem("indicators_bad.csv", 2, "persentase_elektrifikasi", "120",
                "persentase_elektrifikasi must be from 0 to 100"),
        Problem("indicators_bad.csv", 3, "luas_desa", "n/a", "luas_desa must be a number"),
        Problem("indicators_bad.csv", 4, "kode_desa", "16.01.07.2001",
                "duplicate kode_desa: already on row 2"),
        Problem("indicators_bad.csv", 5, "kode_desa", "16.01.07.2999",
                "unknown desa: not in OKU test"),
    ]
