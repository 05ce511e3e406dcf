"""Where a point may lie: its desa polygon, else the regency."""

from pamtps.io.geo import Geography


def test_regency_polygon_is_preferred_to_the_desa_bounding_box(reference, square):
    """With a regency polygon, a point in the desa box but outside the regency is refused."""
    boundaries = {"16.01": square(104.0, -4.2, size=0.05)}

    outside = Geography(reference, boundaries).outside("16.01.07.2001", -4.12, 104.08)

    assert outside == "outside the regency (Kabupaten Ogan Komering Ulu)"


def test_geojson_features_are_accepted_as_boundaries(reference, square):
    """A boundary given as a GeoJSON Feature is read through its geometry."""
    feature = {"type": "Feature", "properties": {}, "geometry": square(104.0, -4.2)}

    geography = Geography(reference, {"16.01.07.2001": feature})

    assert geography.outside("16.01.07.2001", -4.15, 104.05) is None
    assert geography.outside("16.01.07.2001", -4.15, 104.15) == (
        "outside desa 16.01.07.2001 (Negeri Sindang)"
    )
