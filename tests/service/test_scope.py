"""Scopes: what each role sees of the toy regency."""

from __future__ import annotations

from pamtps.domain.tps import tps_code
from pamtps.ops.scope import Scope, kecamatan_of_tps, load_sectors, sectors_of
from pamtps.ops.users import User
from pamtps.store import Database
from tests.fixtures import HILIR, HULU, PASAR, SUKADAMAI, SUKAMAJU, toy_dataset

SECTORS = sectors_of(toy_dataset())
RAWAN = tps_code(SUKAMAJU, 2)  # in Hulu
PASAR_1 = tps_code(PASAR, 1)  # in Hilir


def _scope(people: dict[str, User], persona: str, posts: tuple[str, ...] = ()) -> Scope:
    return Scope.of(people[persona], SECTORS, posts)


def test_a_tps_belongs_to_the_kecamatan_of_its_code():
    assert kecamatan_of_tps("1601072001001") == "16.01.07"
    assert kecamatan_of_tps("not a code") is None


def test_the_sectors_come_from_the_polsek(db: Database, people: dict[str, User]):
    """Stored sectors equal the dataset's: each Polsek covers its kecamatan."""
    with db.session() as session:
        stored = load_sectors(session)
    assert stored == SECTORS == {"polsek_hilir": (HILIR,), "polsek_hulu": (HULU,)}


def test_command_viewer_and_admin_see_everything(people: dict[str, User]):
    for persona in ("command", "viewer", "admin"):
        scope = _scope(people, persona)
        assert scope.can_see_tps(RAWAN) and scope.can_see_tps(PASAR_1)
        assert scope.can_see_kecamatan(HILIR) and scope.can_see_officer("95040004")


def test_a_polsek_sees_its_sector_only(people: dict[str, User]):
    """Polsek Hulu sees Hulu's TPS and the officers posted there, not Hilir's."""
    hulu, hilir = _scope(people, "polsek"), _scope(people, "polsek_other")
    assert hulu.can_see_tps(RAWAN) and not hulu.can_see_tps(PASAR_1)
    assert hilir.can_see_tps(PASAR_1) and not hilir.can_see_tps(RAWAN)
    assert hulu.can_see_kecamatan(HULU) and not hulu.can_see_kecamatan(HILIR)
    assert hulu.can_see_officer("95040004", [RAWAN])
    assert not hilir.can_see_officer("90030003", [RAWAN])


def test_a_padal_sees_his_kecamatan(people: dict[str, User]):
    padal = _scope(people, "padal")
    assert padal.can_see_tps(tps_code(SUKADAMAI, 1)) and not padal.can_see_tps(PASAR_1)
    assert padal.can_see_kecamatan(HULU) and not padal.can_see_kecamatan(HILIR)


def test_an_officer_sees_himself_his_post_and_his_partner(people: dict[str, User]):
    """By NRP for himself; his post's TPS and whoever is posted there, when his order says so."""
    officer = _scope(people, "officer", (RAWAN,))
    assert officer.can_see_officer("90030003")
    assert officer.can_see_tps(RAWAN) and not officer.can_see_tps(tps_code(SUKAMAJU, 1))
    assert officer.can_see_officer("97060006", [RAWAN])  # his partner on the post
    assert not officer.can_see_officer("95040004", [PASAR_1])
    assert not officer.can_see_kecamatan(HULU)
    assert not _scope(people, "officer").can_see_tps(RAWAN)  # no order, no post


def test_a_liaison_sees_his_tps(people: dict[str, User]):
    liaison = _scope(people, "liaison")
    assert liaison.can_see_tps(tps_code(SUKAMAJU, 1)) and not liaison.can_see_tps(RAWAN)
