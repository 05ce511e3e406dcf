"""Names instead of codes: people, TPS, posts and scopes as the pages show them (toy regency)."""

from __future__ import annotations

from pamtps.domain.tps import tps_code
from pamtps.i18n import t
from pamtps.ops.people import people_names, post_name, scope_names, tps_names
from pamtps.ops.users import Role, User, create_user
from pamtps.store import Database
from tests.fixtures import HULU, PASAR, SUKAMAJU
from tests.service.personas import LIAISON_TPS, OFFICER_NRP, PASSWORD

PASAR_901 = tps_code(PASAR, 901)
SUKAMAJU_1 = tps_code(SUKAMAJU, 1)


def test_a_tps_is_named_by_its_number_and_desa_or_kelurahan(db: Database, people: dict[str, User]):
    """'TPS 001 · Desa Sukamaju', 'TPS 901 · Kelurahan Pasar'; English keeps the domain words."""
    with db.session() as session:
        named = tps_names(session, [SUKAMAJU_1, PASAR_901, "1699999999999"])
        english = tps_names(session, [SUKAMAJU_1], "en")
    assert named == {SUKAMAJU_1: "TPS 001 · Desa Sukamaju", PASAR_901: "TPS 901 · Kelurahan Pasar"}
    assert english == {SUKAMAJU_1: "TPS 001 · Desa Sukamaju"}


def test_people_are_named_not_shown_by_login(db: Database, people: dict[str, User]):
    """An officer by rank and name (not his NRP or login), a KPPS chair by the name he gave and
    his TPS, a chair who gave none by his role, the system as such, an unknown login as itself."""
    with db.session() as session:
        create_user(session, username=f"kpps.{SUKAMAJU_1}.7", password=PASSWORD,
                    role=Role.LIAISON, actor="test", scope_code=SUKAMAJU_1,
                    display_name=f"Ketua KPPS {SUKAMAJU_1}")
        named = people_names(session, ["andi", "kpps.sukamaju", f"kpps.{SUKAMAJU_1}.7",
                                       "system:demo", "gone.user", "komandan"])
    assert named["andi"] == "Bripka Andi" and OFFICER_NRP not in named["andi"]
    assert named["kpps.sukamaju"] == "Kpps.Sukamaju (Ketua KPPS TPS 001 · Desa Sukamaju)"
    assert named[f"kpps.{SUKAMAJU_1}.7"] == "Ketua KPPS TPS 001 · Desa Sukamaju"
    assert named["system:demo"] == t("name.system", "id") == "Sistem PamTPS"
    assert named["gone.user"] == "gone.user"
    assert named["komandan"] == "Komandan"
    assert LIAISON_TPS == SUKAMAJU_1


def test_a_post_is_named_by_its_first_tps(db: Database, people: dict[str, User]):
    """'Pos TPS 001 · Desa Sukamaju (+1 TPS)' for a post of two; no '+' for a post of one."""
    with db.session() as session:
        names = tps_names(session, [SUKAMAJU_1])
    assert post_name([SUKAMAJU_1, PASAR_901], names) == "Pos TPS 001 · Desa Sukamaju (+1 TPS)"
    assert post_name([SUKAMAJU_1], names) == "Pos TPS 001 · Desa Sukamaju"
    assert post_name([SUKAMAJU_1], names, "en") == "Post TPS 001 · Desa Sukamaju"


def test_a_user_s_scope_is_named(db: Database, people: dict[str, User]):
    """A Polsek, a kecamatan, a TPS and an NRP by their names; an unknown code as itself."""
    with db.session() as session:
        named = scope_names(session, ["polsek_hulu", HULU, SUKAMAJU_1, OFFICER_NRP, "x.y"])
    assert named["polsek_hulu"].startswith("Polsek ")
    assert named[HULU] != HULU and not named[HULU][0].isdigit()
    assert named[SUKAMAJU_1] == "TPS 001 · Desa Sukamaju"
    assert named[OFFICER_NRP] == "Bripka Andi"
    assert named["x.y"] == "x.y"
