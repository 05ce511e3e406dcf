"""Saving and loading domain objects, and counting what an upsert changed."""

from dataclasses import replace

import pytest

from pamtps.domain import Dataset, Origin
from pamtps.store import (
    ChangeCounts,
    Database,
    load_dataset,
    load_indicators,
    save_dataset,
    summary,
    upsert_indicators,
    upsert_personnel,
    upsert_tps,
)
from tests.fixtures import RAWAN_TPS, SUKAMAJU


def test_saved_dataset_loads_back_equal(db: Database, toy: Dataset) -> None:
    """Every area, boundary, TPS, unit, officer and object survives a round trip unchanged."""
    with db.session() as session:
        counts = save_dataset(session, toy)
    with db.session() as session:
        loaded = load_dataset(session)
    assert counts == ChangeCounts(added=27)
    assert loaded == toy


def test_saving_the_same_dataset_twice_changes_nothing(db: Database, toy: Dataset) -> None:
    """A second save of the same dataset adds and updates no row."""
    with db.session() as session:
        save_dataset(session, toy)
    with db.session() as session:
        assert save_dataset(session, toy) == ChangeCounts(unchanged=27)


def test_changed_and_new_tps_are_counted_apart(db: Database, toy: Dataset) -> None:
    """Upserting one changed and one new TPS reports 1 added, 1 updated, the rest unchanged."""
    with db.session() as session:
        save_dataset(session, toy)
    more_voters = replace(RAWAN_TPS, voters=200, indicators=frozenset({"sulit_dijangkau"}))
    new = replace(RAWAN_TPS, code="1699012001003", number=3)
    unchanged = [tps for tps in toy.tps if tps.code != RAWAN_TPS.code]
    with db.session() as session:
        counts = upsert_tps(session, [*unchanged, more_voters, new])
    with db.session() as session:
        stored = {tps.code: tps for tps in load_dataset(session).tps}
    assert counts == ChangeCounts(added=1, updated=1, unchanged=5)
    assert stored[RAWAN_TPS.code] == more_voters
    assert stored[new.code] == new


def test_change_counts_read_as_a_sentence() -> None:
    """ChangeCounts print the way the CLI reports an import."""
    assert str(ChangeCounts(12, 3, 1210)) == "12 added, 3 updated, 1210 unchanged"


def test_a_key_given_twice_is_refused(db: Database, toy: Dataset) -> None:
    """Two TPS with one code in one upsert are a mistake in the input, not an update."""
    with db.session() as session:
        save_dataset(session, toy)
        with pytest.raises(ValueError, match="given twice"):
            upsert_tps(session, [RAWAN_TPS, RAWAN_TPS])


def test_lent_platoon_arrives_with_its_unit(db: Database, toy: Dataset) -> None:
    """upsert_personnel stores new units before the officers who belong to them."""
    platoon = replace(toy.units[1], code="brimob_pleton_2", name="Pleton 2 Brimob")
    officer = replace(toy.personnel[-1], nrp="99000001", unit_code=platoon.code)
    with db.session() as session:
        save_dataset(session, toy)
        counts = upsert_personnel(session, [officer], [platoon])
        assert counts == ChangeCounts(added=2)
        assert load_dataset(session).personnel[-1] == officer


def test_indicators_are_upserted_by_desa(db: Database) -> None:
    """A changed value updates its desa's row; NaN is stored as a missing value."""
    with db.session() as session:
        upsert_indicators(session, {SUKAMAJU: {"jumlah_kk": 830.0}, "16.99.02.2001": {"x": 1.0}})
    with db.session() as session:
        counts = upsert_indicators(
            session, {SUKAMAJU: {"jumlah_kk": float("nan")}, "16.99.02.2001": {"x": 1.0}}
        )
    with db.session() as session:
        stored = load_indicators(session)
    assert counts == ChangeCounts(updated=1, unchanged=1)
    assert stored == {SUKAMAJU: {"jumlah_kk": None}, "16.99.02.2001": {"x": 1.0}}


def test_summary_equals_dataset_counts(db: Database, toy: Dataset) -> None:
    """The SQL summary gives what Dataset.counts() gives, key for key."""
    with db.session() as session:
        save_dataset(session, toy)
        assert summary(session) == toy.counts()


def test_summary_groups_personnel_like_the_domain(db: Database, toy: Dataset) -> None:
    """Brimob by function (any case), other BKO, TNI and own officers count as Officer says."""
    gunawan = toy.personnel[0]
    roster = [
        replace(gunawan, nrp="1", origin=Origin.BKO_POLRI, function="brimob Polda"),
        replace(gunawan, nrp="2", origin=Origin.BKO_POLRI, function="Dit Lantas"),
        replace(gunawan, nrp="3", origin=Origin.POLSEK, function="Brimob (former)"),
        replace(gunawan, nrp="4", origin=Origin.TNI, function="Brimob"),
    ]
    with db.session() as session:
        save_dataset(session, toy.with_personnel(roster))
        assert summary(session) == toy.with_personnel(roster).counts()


def test_summary_of_an_empty_database_counts_zero(db: Database) -> None:
    """Nothing stored, every count is 0."""
    with db.session() as session:
        assert summary(session) == Dataset("empty", (), [], []).counts()
