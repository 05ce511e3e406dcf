"""`pamtps import rawan` on the OKU demo database: the listed TPS, exactly, are rawan in the plan
and guarded by two officers each; bad rows change nothing; the reasons say Bawaslu."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pamtps.domain import TpsKind
from pamtps.domain.plan import Scenario
from pamtps.store import Database
from pamtps.store.rawan import load_rawan_list, rawan_imports


@pytest.fixture
def demo(cli) -> None:
    """The OKU demo database, without a plan."""
    result = cli("demo", "--no-serve", "--no-plan")
    assert result.exit_code == 0, result.output


@pytest.fixture
def listed_codes(oku: Scenario) -> list[str]:
    """Six regular OKU TPS spread over the regency (every 200th)."""
    regular = [t.code for t in oku.dataset.tps if t.kind is TpsKind.REGULER]
    return regular[::200][:6]


def write_list(path: Path, rows: list[tuple[str, str, str]]) -> Path:
    lines = ["kode_tps,kelas,alasan,lokasi"]
    lines += [f"{code},{kelas},{alasan},sulit dijangkau" for code, kelas, alasan in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def stored(db_url: str) -> dict:
    with Database(db_url).session() as session:
        return {code: listing.kelas.value for code, listing in load_rawan_list(session).items()}


def test_the_listed_tps_and_only_they_are_rawan_with_two_officers_each(
    cli, demo, listed_codes, tmp_path
):
    """Six TPS listed rawan: the plan on the database has exactly six rawan TPS, those six, and
    each of them has a post of at least two officers; every rule holds."""
    path = write_list(tmp_path / "rawan.csv", [(c, "rawan", "dusun terpencil")
                                              for c in listed_codes])
    result = cli("import", "rawan", str(path))
    assert result.exit_code == 0, result.output
    assert "6 added" in " ".join(result.output.split())
    out = tmp_path / "plan"
    result = cli("plan", "--json", "--no-documents", "--out", str(out))
    assert result.exit_code == 0, result.output
    numbers = json.loads(result.stdout)
    assert numbers["tps_by_class"]["rawan"] == len(listed_codes) == 6
    assert numbers["rules_passed"] == numbers["rules_total"]
    plan = json.loads((out / "plan.json").read_text())["plan"]
    assert sorted(c for c, cls in plan["classes"].items() if cls == "rawan") == sorted(listed_codes)
    team = {}
    for post in plan["posts"]:
        members = [a for a in plan["assignments"]
                   if a["duty"] == "post" and a["target"] == post["id"]]
        team.update({code: len(members) for code in post["tps"]})
    assert all(team[code] >= 2 for code in listed_codes)


def test_a_kabag_ops_may_add_pre_screened_tps_to_the_list(cli, demo, listed_codes, tmp_path):
    """With a list imported the pre-screen is off by default (settings say 0); asked for with
    --prescreen-rawan 5, the 5 hardest to reach are added to the 6 listed (none of which is among
    them here), and the plan file records the 5 so that validate rebuilds the same scenario."""
    path = write_list(tmp_path / "rawan.csv", [(c, "rawan", "dusun terpencil")
                                              for c in listed_codes])
    assert cli("import", "rawan", str(path)).exit_code == 0
    default = json.loads(cli("plan", "--json", "--no-documents", "--out",
                             str(tmp_path / "a")).stdout)
    assert default["settings"]["prescreen_rawan"] == 0
    out = tmp_path / "b"
    result = cli("plan", "--prescreen-rawan", "5", "--json", "--no-documents", "--out", str(out))
    assert result.exit_code == 0, result.output
    numbers = json.loads(result.stdout)
    assert numbers["settings"]["prescreen_rawan"] == 5
    plan = json.loads((out / "plan.json").read_text())["plan"]
    rawan = {c for c, cls in plan["classes"].items() if cls == "rawan"}
    assert set(listed_codes) <= rawan
    added = rawan - set(listed_codes)
    assert len(added) == 5 == numbers["tps_by_class"]["rawan"] - 6
    assert all(plan["reasons"][c][0]["code"] == "prescreen" for c in added)
    assert cli("validate", str(out / "plan.json")).exit_code == 0


def test_importing_the_same_file_again_changes_nothing_and_says_so(
    cli, demo, listed_codes, db_url, tmp_path
):
    """The second import writes nothing, records no second import, and says it."""
    path = write_list(tmp_path / "rawan.csv", [(c, "rawan", "") for c in listed_codes[:3]])
    assert cli("import", "rawan", str(path)).exit_code == 0
    again = cli("import", "rawan", str(path))
    assert again.exit_code == 0, again.output
    assert "nothing changed" in again.output and "rawan.csv" in again.output
    with Database(db_url).session() as session:
        [record] = rawan_imports(session)
    assert (record.file, record.listed, record.added) == ("rawan.csv", 3, 3)


def test_a_new_list_replaces_the_old_one(cli, demo, listed_codes, db_url, tmp_path):
    """A revised list drops a TPS and raises another: the store holds the revised list only."""
    first = write_list(tmp_path / "v1.csv", [(c, "rawan", "") for c in listed_codes[:3]])
    revised = write_list(tmp_path / "v2.csv", [(listed_codes[0], "rawan", ""),
                                               (listed_codes[1], "sangat_rawan", "bentrok")])
    assert cli("import", "rawan", str(first)).exit_code == 0
    result = cli("import", "rawan", str(revised))
    assert result.exit_code == 0, result.output
    assert "0 added, 1 changed, 1 removed, 1 unchanged" in " ".join(result.output.split())
    assert stored(db_url) == {listed_codes[0]: "rawan", listed_codes[1]: "sangat_rawan"}


def test_a_bad_row_is_refused_with_row_and_column_and_nothing_changes(
    cli, demo, listed_codes, db_url, tmp_path
):
    """Unknown TPS (row 3), unknown kelas (row 4), duplicate (row 5): refused, each named, and
    the list imported before stays as it was."""
    good = write_list(tmp_path / "good.csv", [(listed_codes[0], "rawan", "")])
    assert cli("import", "rawan", str(good)).exit_code == 0
    bad = write_list(tmp_path / "bad.csv", [
        (listed_codes[1], "rawan", ""),
        ("1601999999001", "rawan", ""),
        (listed_codes[2], "genting", ""),
        (listed_codes[1], "rawan", ""),
    ])
    result = cli("import", "rawan", str(bad))
    assert result.exit_code != 0
    text = " ".join(result.output.split())
    assert "bad.csv row 3, column kode_tps, value '1601999999001': unknown TPS" in text
    assert "bad.csv row 4, column kelas, value 'genting': unknown kelas" in text
    assert "bad.csv row 5, column kode_tps" in text and "already on row 2" in text
    assert stored(db_url) == {listed_codes[0]: "rawan"}


def test_explain_says_bawaslu_in_indonesian_and_in_english_on_request(
    cli, demo, listed_codes, tmp_path, monkeypatch
):
    """The listed TPS's reason: Indonesian by default, English with --lang en or PAMTPS_LANG."""
    code = listed_codes[0]
    path = write_list(tmp_path / "rawan.csv", [(code, "rawan", "dusun terpencil")])
    assert cli("import", "rawan", str(path)).exit_code == 0
    out = tmp_path / "plan"
    assert cli("plan", "--json", "--no-documents", "--out", str(out)).exit_code == 0
    plan = str(out / "plan.json")
    indonesian = " ".join(cli("explain", plan, "--tps", code).output.split())
    assert ("Bawaslu: rawan; alasan: dusun terpencil; indikator: lokasi (sulit dijangkau); "
            "daftar rawan.csv") in indonesian
    english = " ".join(cli("explain", plan, "--tps", code, "--lang", "en").output.split())
    assert "Bawaslu: rawan; reason: dusun terpencil; indicators: lokasi" in english
    monkeypatch.setenv("PAMTPS_LANG", "en")
    assert "reason: dusun terpencil" in " ".join(cli("explain", plan, "--tps", code).output.split())
    assert cli("explain", plan, "--tps", code, "--lang", "fr").exit_code != 0


def test_import_tps_names_a_class_column_instead_of_changing_nothing(cli, demo, listed_codes,
                                                                     tmp_path):
    """A TPS file with a kelas column is refused, naming the column and the rawan import."""
    code = listed_codes[0]
    desa = f"{code[:2]}.{code[2:4]}.{code[4:6]}.{code[6:10]}"
    path = tmp_path / "tps.csv"
    path.write_text(f"kode_tps,no_tps,kode_desa,kelas\n{code},{int(code[10:])},{desa},rawan\n",
                    encoding="utf-8")
    result = cli("import", "tps", str(path))
    assert result.exit_code != 0
    text = " ".join(result.output.split())
    assert "column kelas" in text and "pamtps import rawan" in text
    assert "Nothing changed" not in text


def test_the_rawan_template_command_writes_a_workbook(cli, tmp_path):
    """`pamtps rawan template` writes the XLSX with its instructions."""
    path = tmp_path / "rawan.xlsx"
    result = cli("rawan", "template", str(path))
    assert result.exit_code == 0, result.output
    assert path.read_bytes()[:2] == b"PK"
