"""A stricter post with room takes a milder TPS of its sector (``improve.take_guests``).

With the rawan pattern allowing two TPS per post, a rawan post of one rawan TPS may hold a
kurang rawan TPS besides; it still stands at its rawan TPS (``post_at_its_class_tps``).
"""

from __future__ import annotations

import numpy as np

from pamtps.planner import check_objective, solve
from pamtps.planner.bound import Opening
from pamtps.planner.improve import _Guests
from pamtps.planner.relaxed import posts_from_relaxation
from pamtps.planner.travel import travel_for
from pamtps.planner.validation import validate
from tests.planner.oracle.generated import generated

RAWAN, KURANG_RAWAN = 2, 3  # ranks in CLASS_ORDER


def _line(*xs: float) -> np.ndarray:
    """Minutes between points on a line."""
    at = np.array(xs)
    return np.abs(at[:, None] - at[None, :])


def test_a_rawan_post_of_one_tps_takes_the_kurang_rawan_tps_beside_it():
    """TPS 0 (rawan) alone in its post; TPS 3, a minute from it, is 8 and 9 minutes from the
    other two of its kurang rawan post (9 minutes of ground, based at 1): it moves, and the two
    posts cost 1 + 1 instead of 0 + 9."""
    minutes = _line(0.0, 9.0, 10.0, 1.0)
    guests = _Guests(minutes, np.zeros((2, 4)), [RAWAN, KURANG_RAWAN, KURANG_RAWAN, KURANG_RAWAN],
                     [RAWAN, KURANG_RAWAN], [2, 8])
    members = [[0], [1, 2, 3]]
    before = guests.cost(0, members[0]) + guests.cost(1, members[1])
    assert guests.take(members)
    assert members == [[0, 3], [1, 2]]
    assert before - (guests.cost(0, members[0]) + guests.cost(1, members[1])) == 7.0
    assert guests.base(0, members[0]) == 0  # it stands at its rawan TPS


def test_a_post_keeps_a_tps_of_its_own_class_and_a_full_post_takes_none():
    """The rawan post is full (two rawan TPS): nothing moves. With room for two more, it takes
    the nearer kurang rawan TPS, and the kurang rawan post keeps the other to stand at."""
    minutes = _line(0.0, 1.0, 3.0)
    full = _Guests(minutes, np.zeros((2, 3)), [RAWAN, RAWAN, KURANG_RAWAN], [RAWAN, KURANG_RAWAN],
                   [2, 8])
    assert not full.take([[0, 1], [2]])
    room = _Guests(minutes, np.zeros((2, 3)), [RAWAN, KURANG_RAWAN, KURANG_RAWAN],
                   [RAWAN, KURANG_RAWAN], [3, 8])
    members = [[0], [1, 2]]
    assert room.take(members)
    assert members == [[0, 1], [2]]


def test_the_planner_takes_guests_where_that_saves_and_keeps_every_rule(monkeypatch):
    """On a generated instance with rawan posts of two, the plan holds a rawan post with a
    kurang rawan TPS, keeps all rules and its objective check, and costs less than the plan
    without that step."""
    scenario = generated(3, rawan_tps=2)
    result = solve.plan(scenario)
    mixed = [p for p in result.posts if len({result.classes[c] for c in p.tps}) > 1]
    assert len(mixed) == 1
    assert [r.rule for r in validate(result, scenario) if not r.ok] == []
    assert check_objective(result, scenario).ok
    monkeypatch.setattr(solve, "take_guests", lambda *args: None)
    without = solve.plan(scenario)
    assert result.quality.objective < without.quality.objective


def test_posts_read_off_a_relaxation_never_stand_at_a_guest():
    """Posts formed anew from a plan whose rawan post holds a kurang rawan guest
    (``relaxed.posts_from_relaxation``), with the guest ranked first of all: the guest stays in
    its cell but the rawan post still stands at a rawan TPS, and every TPS is guarded once."""
    scenario = generated(3, rawan_tps=2)
    result = solve.plan(scenario)
    guests = {c for p in result.posts for c in p.tps if result.classes[c] is not p.vulnerability}
    assert guests
    codes = sorted(t.code for t in scenario.dataset.tps)
    rank = np.array([-1.0 if c in guests else 0.0 for c in codes])
    made = posts_from_relaxation(scenario, result.posts, Opening(rank), travel_for(scenario),
                                 result.classes)
    assert made is not None
    posts, _ = made
    where = {t.code: (t.lat, t.lng) for t in scenario.dataset.tps}
    for post in posts:
        stands = [c for c in post.tps if where[c] == (post.lat, post.lng)]
        assert any(result.classes[c] is post.vulnerability for c in stands), post.id
    assert sorted(c for p in posts for c in p.tps) == codes
