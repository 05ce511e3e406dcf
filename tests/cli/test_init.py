"""`pamtps init --regency CODE`, then imports and the plan on that regency, as a user runs them.

16.08 is Kabupaten Ogan Komering Ulu Timur (seat: Martapura, Kec. Martapura 16.08.01): 2,180
TPS (2 khusus) in 312 desa of 20 kecamatan. 65.04 (Tana Tidung, Kalimantan Utara) is a small
regency outside Sumatera Selatan: 84 TPS (4 khusus) in 32 desa of 5 kecamatan.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

from pamtps.domain import AreaLevel, GuardedObjectKind, Precision, UnitType
from pamtps.store import Database, load_dataset
from tests.cli.conftest import summary_json

OKU_TIMUR = "16.08"
MARTAPURA = "16.08.01"
TANA_TIDUNG = "65.04"
EMPTY = {"polres": 0, "bko_polri": 0, "brimob": 0, "tni": 0}


def stored(db_url: str):
    database = Database(db_url)
    try:
        with database.session() as session:
            return load_dataset(session)
    finally:
        database.dispose()


@pytest.fixture
def oku_timur(cli: Callable[..., Result]) -> Result:
    result = cli("init", "--regency", OKU_TIMUR)
    assert result.exit_code == 0, result.output
    return result


def test_init_fills_the_database_with_oku_timur(oku_timur, cli):
    """init 16.08 stores its 20 kecamatan, 312 desa, 2,180 TPS and 20 Polsek, and no roster."""
    assert summary_json(cli) == {
        "kabupaten": 1, "kecamatan": 20, "desa": 312, "tps": 2180, "tps_khusus": 2,
        "polsek": 20, "personnel": EMPTY,
    }
    assert "2,180" in oku_timur.stdout


def test_init_gives_one_sector_per_kecamatan_and_the_polres_at_martapura(oku_timur, db_url):
    """Every kecamatan is one Polsek's sector (estimated), and the Polres stands in the seat."""
    data = stored(db_url)
    kecamatan = {a.code for a in data.areas_at(AreaLevel.KECAMATAN)}
    sectors = [u.kecamatan_codes for u in data.polsek]
    assert sorted(k for s in sectors for k in s) == sorted(kecamatan)
    assert all(len(s) == 1 for s in sectors)
    (polres,) = [u for u in data.units if u.type is UnitType.POLRES]
    assert polres.code == "polres.16.08" and polres.base_desa_code.startswith(MARTAPURA + ".")
    assert "Martapura" in polres.note and polres.base_precision is Precision.ESTIMATED
    assert all(u.parent_code == polres.code for u in data.polsek)
    assert OKU_TIMUR in data.boundaries and MARTAPURA in data.boundaries


def test_init_stores_the_kpu_office_warehouse_and_a_ppk_per_kecamatan(oku_timur, db_url):
    """KPU office and warehouse in Martapura; one PPK in each of the 20 kecamatan."""
    data = stored(db_url)
    kinds = {o.code: o for o in data.objects}
    assert kinds["kpu.16.08"].kind is GuardedObjectKind.KPU_KABUPATEN
    assert kinds["kpu.16.08"].kecamatan_code == MARTAPURA
    assert kinds["gudang.16.08"].kind is GuardedObjectKind.GUDANG_LOGISTIK
    ppk = sorted(o.kecamatan_code for o in data.objects if o.kind is GuardedObjectKind.PPK)
    assert ppk == sorted(a.code for a in data.areas_at(AreaLevel.KECAMATAN))


def test_init_twice_changes_nothing_and_says_so(oku_timur, cli, db_url):
    """The second init writes nothing: same counts, same rows, and the output says so."""
    before = stored(db_url)
    again = cli("init", "--regency", OKU_TIMUR)
    assert again.exit_code == 0, again.output
    assert "nothing changed" in again.stdout
    after = stored(db_url)
    assert (after.name, after.tps, after.units, after.objects) == (
        before.name, before.tps, before.units, before.objects)


def test_a_second_regency_is_refused_without_add_and_added_with_it(oku_timur, cli):
    """init 65.04 on a database of 16.08 fails, naming 16.08 and --add, and writes nothing;
    with --add both regencies are held."""
    before = summary_json(cli)
    refused = cli("init", "--regency", TANA_TIDUNG)
    assert refused.exit_code == 1
    assert "16.08" in refused.stderr and "--add" in refused.stderr
    assert summary_json(cli) == before
    added = cli("init", "--regency", TANA_TIDUNG, "--add")
    assert added.exit_code == 0, added.output
    counts = summary_json(cli)
    assert (counts["kabupaten"], counts["tps"], counts["polsek"]) == (2, 2180 + 84, 20 + 5)


def test_init_outside_sumatera_selatan_comes_from_the_national_network(cli, db_url):
    """init 65.04: its 84 TPS (4 khusus), 5 kecamatan, a sector each, KPU office and 5 PPK,
    every TPS location estimated and none stacked on another."""
    result = cli("init", "--regency", TANA_TIDUNG)
    assert result.exit_code == 0, result.output
    assert summary_json(cli) == {
        "kabupaten": 1, "kecamatan": 5, "desa": 32, "tps": 84, "tps_khusus": 4,
        "polsek": 5, "personnel": EMPTY,
    }
    data = stored(db_url)
    assert {t.location_precision for t in data.tps} == {Precision.ESTIMATED}
    assert len({(t.lat, t.lng) for t in data.tps}) == 84
    assert data.area_by_code[TANA_TIDUNG].name == "Kabupaten Tana Tidung"
    assert sum(1 for o in data.objects if o.kind is GuardedObjectKind.PPK) == 5
    assert "kpu.65.04" in {o.code for o in data.objects}
    assert all(u.base_precision is Precision.ESTIMATED for u in data.units)


def test_an_unknown_regency_is_refused_and_nothing_is_written(cli):
    """16.99 is no kabupaten/kota: the error names it, the database stays empty."""
    result = cli("init", "--regency", "16.99")
    assert result.exit_code == 1
    assert "16.99" in result.stderr
    assert summary_json(cli)["tps"] == 0


def write_roster(
    path: Path, db_url: str, *, per_sector: int, polres: int, bko: int, officers: bool = False
) -> int:
    """A roster of the stored regency: ``per_sector`` officers in each Polsek, ``polres`` at the
    Polres HQ, ``bko`` in one BKO Polda unit; returns the number of rows. With ``officers``,
    each unit is led by a perwira (an Iptu), as a real one is: the Padal are drawn from them."""
    data = stored(db_url)
    rows = []

    def add(unit: str, rank: str, asal: str, kind: str = "") -> None:
        nrp = f"{80000000 + len(rows) + 1}"
        rows.append({"nrp": nrp, "nama": f"Anggota {nrp}", "pangkat": rank, "satuan": unit,
                     "asal": asal, "jenis_satuan": kind})

    for unit in data.units:
        count = polres if unit.type is UnitType.POLRES else per_sector
        for index in range(count):
            add(unit.name, "Iptu" if officers and index == 0 else "Bripka", unit.type.value)
    for _ in range(bko):
        add("BKO Polda Sumsel", "Briptu", "bko_polri", "bko_polri")
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return len(rows)


def test_a_roster_for_oku_timur_imports_and_the_plan_covers_its_2180_tps(
    oku_timur, cli, db_url, tmp_path
):
    """A roster of 20 Polsek x 10, 60 at the Polres and 60 BKO imports whole; `pamtps plan
    --json` then plans 16.08 from the database: all 2,180 TPS covered, the 60 BKO on TPS."""
    path = tmp_path / "roster.csv"
    rows = write_roster(path, db_url, per_sector=10, polres=60, bko=60)
    result = cli("import", "roster", str(path))
    assert result.exit_code == 0, result.output
    assert f"{rows + 1} added" in result.stdout  # the officers and the BKO unit declared
    assert summary_json(cli)["personnel"] == {"polres": 260, "bko_polri": 60, "brimob": 0,
                                              "tni": 0}
    planned = cli("plan", "--json", "--no-documents", "--out", str(tmp_path / "plan"))
    assert planned.exit_code == 0, planned.output
    numbers = json.loads(planned.stdout)
    assert (numbers["tps"], numbers["tps_covered"]) == (2180, 2180)
    assert numbers["officers_on_tps_by_origin"]["bko_polri"] == 60
    plan_file = json.loads((tmp_path / "plan" / "plan.json").read_text(encoding="utf-8"))
    assert plan_file["source"]["kind"] == "database"
    assert plan_file["source"]["regency"] == OKU_TIMUR


def test_a_roster_naming_an_oku_unit_is_refused_with_row_and_column(
    oku_timur, cli, db_url, tmp_path
):
    """Polsek Lengkiti is OKU's, not OKU Timur's: row 3, column satuan; nothing is stored."""
    path = tmp_path / "roster.csv"
    path.write_text(
        "nrp,nama,pangkat,satuan,asal\n"
        "81000001,Anggota Satu,Bripka,Polsek Martapura,polsek\n"
        "81000002,Anggota Dua,Bripka,Polsek Lengkiti,polsek\n",
        encoding="utf-8",
    )
    result = cli("import", "roster", str(path))
    assert result.exit_code == 1
    assert "row 3, column satuan" in result.stderr and "Polsek Lengkiti" in result.stderr
    assert "the database (sumsel-2024:16.08)" in result.stderr
    assert summary_json(cli)["personnel"] == EMPTY


def test_a_tps_file_of_oku_timur_imports_and_an_oku_desa_is_refused(
    oku_timur, cli, db_url, tmp_path
):
    """A surveyed DPT for a Martapura TPS is taken; a file naming an OKU desa changes nothing."""
    good = tmp_path / "tps.csv"
    good.write_text("kode_tps,no_tps,kode_desa,dpt\n1608011007001,1,16.08.01.1007,251\n",
                    encoding="utf-8")
    result = cli("import", "tps", str(good))
    assert result.exit_code == 0, result.output
    assert "1 updated" in result.stdout
    bad = tmp_path / "bad.csv"
    bad.write_text("kode_tps,no_tps,kode_desa,dpt\n1608011007002,2,16.08.01.1007,120\n"
                   "1601072001001,1,16.01.07.2001,100\n", encoding="utf-8")
    refused = cli("import", "tps", str(bad))
    assert refused.exit_code == 1
    assert "row 3, column kode_desa" in refused.stderr and "unknown desa" in refused.stderr
    tps = {t.code: t for t in stored(db_url).tps}
    assert (tps["1608011007001"].voters, tps["1608011007001"].voters_precision) == (
        251, Precision.SURVEYED)
    assert tps["1608011007002"].voters != 120  # the bad file's valid row was not written
    assert tps["1608011007002"].voters_precision is Precision.ESTIMATED


def test_oku_timur_plans_with_the_bko_the_polda_lends(oku_timur, cli, db_url, tmp_path):
    """Issue 10's first case as a Kabag Ops runs it: init 16.08, import a roster with 150 BKO,
    `pamtps plan --bko 120 --json`: all 2,180 TPS planned with exactly 120 BKO Polri on TPS
    duty, the Polres' own strength making up the rest of the pattern."""
    path = tmp_path / "roster.csv"
    write_roster(path, db_url, per_sector=12, polres=90, bko=150, officers=True)
    assert cli("import", "roster", str(path)).exit_code == 0
    planned = cli("plan", "--bko", "120", "--json", "--no-documents", "--out",
                  str(tmp_path / "plan"))
    assert planned.exit_code == 0, planned.output
    numbers = json.loads(planned.stdout)
    assert (numbers["tps"], numbers["tps_covered"]) == (2180, 2180)
    assert numbers["officers_on_tps_by_origin"]["bko_polri"] == 120
    assert numbers["settings"]["bko_polri"] == 120
    assert numbers["rules_passed"] == numbers["rules_total"]
