"""Every plan of a tiny sector, enumerated: the exact MIP must find the cheapest of them.

Each partition of the TPS into posts, each post's base among its TPS of its class, each officer
on each post: checked against the same rules as the MIP, by plain loops, for a handful of TPS and
officers.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from tests.planner.oracle.mip import STRICTNESS, SectorInstance


def partitions(items: list[int]) -> Iterator[list[list[int]]]:
    """Every partition of ``items`` into non-empty blocks."""
    if not items:
        yield []
        return
    first, rest = items[0], items[1:]
    for smaller in partitions(rest):
        for b in range(len(smaller)):
            yield [*smaller[:b], [first, *smaller[b]], *smaller[b + 1 :]]
        yield [[first], *smaller]


def cheapest(instance: SectorInstance, posts: int | None = None) -> float:
    """The least objective over every plan that keeps the rules (inf if there is none)."""
    n = len(instance.codes)
    officers = [k for k, kind in enumerate(instance.kinds) for _ in range(kind.count)]
    best = float("inf")
    for blocks in partitions(list(range(n))):
        if posts is not None and len(blocks) != posts:
            continue
        classes = []
        for block in blocks:
            cls = min((instance.classes[i] for i in block), key=STRICTNESS.__getitem__)
            if len(block) > instance.pattern[cls][1]:
                break
            classes.append(cls)
        else:
            if not _spread(instance, classes, len(officers)):
                continue
            # each post at one of its TPS of its class (``post_at_its_class_tps``)
            at = [[i for i in block if instance.classes[i] == cls]
                  for block, cls in zip(blocks, classes)]
            for bases in itertools.product(*at):
                ground = sum(
                    instance.minutes[base, i] for base, block in zip(bases, blocks) for i in block
                )
                best = min(best, ground + _seats(instance, blocks, bases, classes, officers))
    return best


def _spread(instance: SectorInstance, classes: list[str], officers: int) -> bool:
    """The officers beyond the posts' patterns within what the rule allows
    (``strength_in_more_posts``, ``SectorInstance.allowed_beyond``)."""
    spare = instance.allowed_beyond()
    beyond = officers - sum(instance.pattern[cls][0] for cls in classes)
    return not officers or spare is None or beyond <= spare


def _keeps_rules(instance: SectorInstance, block: list[int], cls: str, team: list[int]) -> bool:
    """A post's team: the pattern's officers, an own officer, nobody barred from its desa."""
    kinds = [instance.kinds[k] for k in team]
    return (
        len(team) >= instance.pattern[cls][0]
        and any(kind.local for kind in kinds)
        and not any(kind.barred & set(block) for kind in kinds)
    )


def _seats(
    instance: SectorInstance,
    blocks: list[list[int]],
    bases: tuple[int, ...],
    classes: list[str],
    officers: list[int],
) -> float:
    """The cheapest seating of the officers (kind of each) on the posts, inf if none holds."""
    if not officers:
        return 0.0
    best = float("inf")
    for choice in itertools.product(range(len(blocks)), repeat=len(officers)):
        teams = [[officers[o] for o, c in enumerate(choice) if c == b] for b in range(len(blocks))]
        if all(_keeps_rules(instance, *post) for post in zip(blocks, classes, teams)):
            cost = sum(
                instance.kinds[k].minutes[bases[c]] + instance.kinds[k].price
                for k, c in zip(officers, choice)
            )
            best = min(best, cost)
    return best
