"""The improvement search changes the number of posts of a cell: closes, splits, seat moves."""

from __future__ import annotations

import numpy as np

from pamtps.planner.improve import Cell, Seats, Teams, _recount
from pamtps.planner.stop import StopCriteria


def _line(*where: float) -> np.ndarray:
    """Minutes between TPS on a road: one per unit of distance."""
    x = np.array(where, dtype=float)
    return np.abs(x[:, None] - x[None, :])


def _total(cell: Cell) -> float:
    return sum(cell.cost(p, m)[0] for p, m in enumerate(cell.members))


def test_posts_whose_first_seat_is_dear_are_closed_into_one_with_all_their_seats():
    """Three TPS a minute apart, a post each of 2 seats, a post's first seat at 50 minutes and
    each further one at 5: one post of all three TPS and all six seats costs 77 (ground 2, seats
    50 + 5 x 5) against 165; the seats stay six."""
    model = Seats(need=2, first=np.full(3, 50.0), further=np.full(3, 5.0))
    cell = Cell(_line(0, 1, 2), np.zeros((3, 3)), [[0], [1], [2]], cap=8)
    found = _recount(cell, model, [2, 2, 2], rounds=10, clock=StopCriteria().clock())
    assert found is not None
    origin, seats = found
    assert cell.members == [[0, 1, 2]] and seats == [6] and len(origin) == 1
    assert _total(cell) == 77.0


def test_a_post_is_not_closed_where_its_tps_do_not_fit():
    """The same, but a post holds at most one TPS: nothing can close, nothing changes."""
    model = Seats(need=2, first=np.full(3, 50.0), further=np.full(3, 5.0))
    cell = Cell(_line(0, 1, 2), np.zeros((3, 3)), [[0], [1], [2]], cap=1)
    assert _recount(cell, model, [2, 2, 2], rounds=10, clock=StopCriteria().clock()) is None
    assert cell.members == [[0], [1], [2]]


def test_a_post_over_two_far_groups_is_split_when_it_has_the_seats_for_two():
    """A post of 4 seats over TPS at 0, 1, 100 and 101: split in two posts of 2 seats (ground
    1 each) it costs 6 instead of 204; the new post is marked as opened (-1)."""
    model = Seats(need=2, first=np.ones(4), further=np.ones(4))
    cell = Cell(_line(0, 1, 100, 101), np.zeros((1, 4)), [[0, 1, 2, 3]], cap=8)
    found = _recount(cell, model, [4], rounds=10, clock=StopCriteria().clock())
    assert found is not None
    origin, seats = found
    assert origin == [0, -1] and seats == [2, 2]
    assert sorted(cell.members) == [[0, 1], [2, 3]] and _total(cell) == 6.0


def test_no_split_without_seats_beyond_the_pattern():
    """The same post with only the pattern's 2 seats: no second post can be staffed."""
    model = Seats(need=2, first=np.ones(4), further=np.ones(4))
    cell = Cell(_line(0, 1, 100, 101), np.zeros((1, 4)), [[0, 1, 2, 3]], cap=8)
    assert _recount(cell, model, [2], rounds=10, clock=StopCriteria().clock()) is None


def test_teams_join_the_post_nearest_their_base_and_keep_an_own_officer_on_each():
    """Officers 0-3 live at TPS 0, officers 4-5 at TPS 10 (travel: one minute per unit), cap
    8. Post A (TPS 0) has officers 0 and 1, post B (TPS 10) officers 2 (own) and 3, post C
    (TPS 11) officers 4 and 5, none of them own. Closing B pays most: TPS 10 to C, one minute
    away, C's base moves to it (its officers' own base), and B's officers join A at theirs:
    ground 1 against 20 + 2 before. (Closing A first, as the posts come, would leave 12.)"""
    where = np.array([0.0, 10.0, 11.0])
    bases = np.array([0.0, 0.0, 0.0, 0.0, 10.0, 10.0])
    model = Teams(need=2, travel=np.abs(bases[:, None] - where[None, :]),
                  own=np.array([True, True, True, False, False, False]))
    teams = [(0, 1), (2, 3), (4, 5)]
    cell = Cell(_line(0, 10, 11), np.array([model.pull(t) for t in teams]), [[0], [1], [2]],
                cap=8)
    before = _total(cell)
    found = _recount(cell, model, teams, rounds=10, clock=StopCriteria().clock())
    assert found is not None
    origin, seats = found
    assert origin == [0, 2] and seats == [(0, 1, 2, 3), (4, 5)]
    assert cell.members == [[0], [1, 2]]
    assert _total(cell) == 1.0 < before == 22.0


def test_a_seat_beyond_the_pattern_moves_to_where_it_costs_less_but_never_the_last_own():
    """A post of 3 officers (one own) far from their base, another at it: a further officer
    moves to the near post; the own officer stays (each post keeps one own)."""
    where = np.array([0.0, 50.0])
    bases = np.zeros(5)
    model = Teams(need=2, travel=np.abs(bases[:, None] - where[None, :]),
                  own=np.array([True, False, False, True, False]))
    teams = [(0, 1, 2), (3, 4)]
    cell = Cell(_line(0, 50), np.array([model.pull(t) for t in teams]), [[1], [0]], cap=1)
    found = _recount(cell, model, teams, rounds=10, clock=StopCriteria().clock())
    assert found is not None
    _, seats = found
    assert seats[0] == (0, 1) or seats[0] == (0, 2)
    assert all(model.own[list(team)].any() for team in seats)
    assert sorted(len(team) for team in seats) == [2, 3]


def _four_officers(*own: bool) -> tuple[Teams, tuple[int, ...], Cell]:
    """One post of TPS at 0, 1, 100 and 101 and its team of four, two living at 0 and two at
    100 (travel: one minute per unit), ``own`` saying which are the Polres' own."""
    where = np.array([0.0, 1.0, 100.0, 101.0])
    bases = np.array([0.0, 0.0, 100.0, 100.0])
    model = Teams(need=2, travel=np.abs(bases[:, None] - where[None, :]), own=np.array(own))
    team = (0, 1, 2, 3)
    return model, team, Cell(_line(*where), model.pull(team)[None, :], [[0, 1, 2, 3]], cap=8)


def test_a_team_of_four_over_two_far_groups_splits_in_two_pairs_each_with_an_own_officer():
    """One own officer in each pair: split, each pair guards the TPS at its door (ground 1
    each, no travel), instead of 200 minutes of ground and 200 of travel."""
    model, team, cell = _four_officers(True, False, True, False)
    found = _recount(cell, model, [team], rounds=10, clock=StopCriteria().clock())
    assert found is not None
    origin, seats = found
    assert origin == [0, -1] and sorted(seats) == [(0, 1), (2, 3)]
    assert sorted(cell.members) == [[0, 1], [2, 3]] and _total(cell) == 2.0


def test_a_team_split_keeps_an_own_officer_on_each_side():
    """The two own officers (0 and 1) both live at 0: the pairs by home would leave one post
    without an own officer, so each post gets one own officer and one from 100 (ground 1 and
    travel 100 each: 202 instead of 400)."""
    model, team, cell = _four_officers(True, True, False, False)
    found = _recount(cell, model, [team], rounds=10, clock=StopCriteria().clock())
    assert found is not None
    _, seats = found
    assert len(seats) == 2 and all(model.own[list(t)].sum() == 1 for t in seats)
    assert sorted(cell.members) == [[0, 1], [2, 3]] and _total(cell) == 202.0
