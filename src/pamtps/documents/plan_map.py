"""A printable map of the plan: sectors, posts, vulnerable TPS, Polsek and reserve bases."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, PathPatch
from matplotlib.path import Path as MplPath
from matplotlib.transforms import offset_copy
from shapely.geometry import MultiPolygon, Polygon, shape
from shapely.geometry.polygon import orient

from pamtps.documents import labels
from pamtps.documents.view import PlanView
from pamtps.domain import Precision, UnitType, VulnerabilityClass
from pamtps.domain.plan import Plan, Scenario

# Marker, colour and size for the highlighted classes; kurang rawan TPS are grey dots.
HIGHLIGHT = {
    VulnerabilityClass.RAWAN: ("^", "#E67E22", 34),
    VulnerabilityClass.SANGAT_RAWAN: ("^", "#C0392B", 52),
    VulnerabilityClass.KHUSUS: ("D", "#8E44AD", 40),
}
Point = tuple[float, float]  # (lat, lng)
# ColorBrewer Set3 without its grey, which would read as "no sector".
SECTOR_COLOURS = (
    "#8DD3C7",
    "#FFFFB3",
    "#BEBADA",
    "#FB8072",
    "#80B1D3",
    "#FDB462",
    "#B3DE69",
    "#FCCDE5",
    "#BC80BD",
    "#CCEBC5",
    "#FFED6F",
)


def write_plan_png(plan: Plan, scenario: Scenario, path: str | Path, *, dpi: int = 150) -> Path:
    """Draw the plan map to a PNG file; returns the path."""
    view = PlanView(plan, scenario)
    # A bare Figure (no pyplot): no global state, no display, safe in a server thread.
    fig = Figure(figsize=(14, 9.5))
    ax = fig.subplots()
    handles = _sectors(ax, view) + _points(ax, view)
    _frame(ax, view)
    ax.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
        fontsize=8,
        title="Keterangan",
        title_fontsize=9,
        frameon=False,
    )
    path = Path(path)
    fig.savefig(path, dpi=dpi, bbox_inches="tight", pad_inches=0.2)
    return path


def _sectors(ax: Axes, view: PlanView) -> list[Any]:
    """Kecamatan filled by their Polsek's colour, desa lines faint, kecamatan names."""
    boundaries = view.dataset.boundaries
    handles: list[Any] = []
    colour_of: dict[str, Any] = {}
    for i, unit in enumerate(view.dataset.polsek):
        colour_of.update({k: SECTOR_COLOURS[i % len(SECTOR_COLOURS)] for k in unit.kecamatan_codes})
        handles.append(
            Patch(
                facecolor=SECTOR_COLOURS[i % len(SECTOR_COLOURS)],
                alpha=0.75,
                edgecolor="#555555",
                label=unit.name,
            )
        )
    for code, geometry in boundaries.items():
        if code.count(".") == 3:
            _draw(ax, geometry, facecolor="none", edgecolor="#FFFFFF", linewidth=0.3, zorder=2)
    for code, geometry in boundaries.items():
        if code.count(".") == 2:
            colour = colour_of.get(code, "#EEEEEE")
            _draw(ax, geometry, facecolor=colour, alpha=0.75, edgecolor="none", zorder=1)
            _draw(ax, geometry, facecolor="none", edgecolor="#444444", linewidth=0.8, zorder=3)
            point = shape(geometry).representative_point()
            ax.annotate(
                view.area_name(code),
                (point.x, point.y),
                fontsize=7,
                ha="center",
                color="#222222",
                zorder=8,
                style="italic",
            )
    return handles


def _points(ax: Axes, view: PlanView) -> list[Any]:
    """TPS, posts, Polres and Polsek bases and reserve stations, with their legend entries."""
    by_class: dict[VulnerabilityClass, list[Point]] = defaultdict(list)
    for tps in view.dataset.tps:
        by_class[view.class_of(tps)].append((tps.lat, tps.lng))
    plain = by_class[VulnerabilityClass.KURANG_RAWAN]
    posts = [(post.lat, post.lng) for post in view.plan.posts]
    handles = [
        _layer(
            ax, plain, f"TPS kurang rawan ({len(plain)})", "o", "#9E9E9E", 3, edge="none", zorder=4
        ),
        _layer(
            ax, posts, f"Pos pengamanan ({len(posts)})", "o", "#1F3A93", 10, edge="white", zorder=5
        ),
    ]
    for kind, (marker, colour, size) in HIGHLIGHT.items():
        if by_class[kind]:
            label = f"TPS {labels.class_label(kind).lower()} ({len(by_class[kind])})"
            handles.append(_layer(ax, by_class[kind], label, marker, colour, size, zorder=6))
    polsek = [(u.base_lat, u.base_lng) for u in view.dataset.polsek]
    polres = [(u.base_lat, u.base_lng) for u in view.dataset.units if u.type is UnitType.POLRES]
    handles.append(_layer(ax, polsek, "Mapolsek", "s", "#0B5394", 36, edge="white", zorder=7))
    handles.append(_layer(ax, polres, "Mapolres", "P", "#000000", 110, edge="white", zorder=7))
    stations = [
        (view.station_point(code), len(members)) for code, members in view.reserve().items()
    ]
    placed = [(point, count) for point, count in stations if point is not None]
    if placed:
        # Stars stand a little up and right of their station, so a base under them stays visible.
        shifted = offset_copy(ax.transData, x=7, y=7, units="points", fig=ax.get_figure(root=True))
        label = "Pasukan cadangan (jumlah)"
        points = [point for point, _ in placed]
        handles.append(_layer(ax, points, label, "*", "#F1C40F", 170, zorder=11, transform=shifted))
        for (lat, lng), count in placed:
            ax.annotate(
                str(count),
                (lng, lat),
                xytext=(14, 2),
                textcoords="offset points",
                fontsize=7,
                weight="bold",
                zorder=11,
            )
    return handles


def _layer(
    ax: Axes,
    points: list[Point],
    label: str,
    marker: str,
    colour: str,
    size: float,
    *,
    edge: str = "black",
    zorder: int,
    **extra: Any,
) -> Line2D:
    """Scatter (lat, lng) points; returns their legend entry."""
    ax.scatter(
        [p[1] for p in points],
        [p[0] for p in points],
        s=size,
        c=colour,
        marker=marker,
        edgecolors=edge,
        linewidths=0.5,
        zorder=zorder,
        **extra,
    )
    return Line2D(
        [],
        [],
        marker=marker,
        color="none",
        markerfacecolor=colour,
        markeredgecolor=edge,
        markersize=max(math.sqrt(size), 4),
        label=label,
    )


def _frame(ax: Axes, view: PlanView) -> None:
    """Title, true-ish proportions at this latitude, a 10 km scale bar and a north arrow."""
    lat = sum(t.lat for t in view.dataset.tps) / max(len(view.dataset.tps), 1)
    ax.autoscale_view()
    ax.set_aspect(1 / math.cos(math.radians(lat)))
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_color("#999999")
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    km = 10.0
    width = km / (111.32 * math.cos(math.radians(lat)))
    bx, by = x0 + 0.04 * (x1 - x0), y0 + 0.04 * (y1 - y0)
    ax.plot([bx, bx + width], [by, by], color="black", linewidth=3, solid_capstyle="butt")
    ax.annotate(
        f"{km:.0f} km",
        (bx + width / 2, by),
        xytext=(0, 4),
        textcoords="offset points",
        ha="center",
        fontsize=8,
    )
    ax.annotate(
        "U",
        xy=(0.96, 0.97),
        xytext=(0.96, 0.89),
        xycoords="axes fraction",
        ha="center",
        fontsize=11,
        weight="bold",
        arrowprops={"arrowstyle": "-|>", "color": "black"},
    )
    plan = view.plan
    ax.set_title(
        f"Peta Rencana Pengamanan TPS - {view.operation.name}\n"
        f"{len(view.dataset.tps)} TPS, {len(plan.posts)} pos, "
        f"{sum(len(view.team(p.id)) for p in plan.posts)} personel di pos - pemungutan suara "
        f"{labels.long_date(view.operation.voting_day)}{_estimated_note(view)}",
        fontsize=11,
    )


def _estimated_note(view: PlanView) -> str:
    estimated = sum(1 for t in view.dataset.tps if t.location_precision is Precision.ESTIMATED)
    return f". Lokasi {estimated} dari {len(view.dataset.tps)} TPS perkiraan." if estimated else ""


def _draw(ax: Axes, geometry: dict[str, Any], **style: Any) -> None:
    ax.add_patch(PathPatch(MplPath.make_compound_path(*_paths(shape(geometry))), **style))


def _paths(geometry: Any) -> Iterator[MplPath]:
    """Matplotlib paths of a (multi)polygon, holes wound against their shell."""
    polygons = geometry.geoms if isinstance(geometry, MultiPolygon) else [geometry]
    for polygon in polygons:
        if isinstance(polygon, Polygon):
            polygon = orient(polygon)
            for ring in [polygon.exterior, *polygon.interiors]:
                yield MplPath(list(ring.coords), closed=True)
