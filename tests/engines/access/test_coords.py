"""GCJ-02 ⇄ WGS84 and the local projection to metres."""

import numpy as np
import pytest

from tuoyu.engines.access.coords import LocalProjection, gcj02_to_wgs84, to_wgs84, wgs84_to_gcj02

# Published test points of two widely used open implementations of the GCJ-02 formula
# (wgs lon, wgs lat, gcj lon, gcj lat).
PUBLISHED = [
    (121.5272106, 31.1774276, 121.531541859215, 31.17530398364597),  # Shanghai
    (113.912316, 22.543847, 113.9171764808363, 22.540796131694766),  # Shenzhen
    (116.377817, 39.911954, 116.38404722455657, 39.91334545536069),  # Beijing
    (116.404, 39.915, 116.41024449916938, 39.91640428150164),  # Beijing, second library
]


@pytest.mark.parametrize(("lon", "lat", "gcj_lon", "gcj_lat"), PUBLISHED)
def test_wgs84_to_gcj02_reproduces_published_points(lon, lat, gcj_lon, gcj_lat):
    assert wgs84_to_gcj02(lon, lat) == pytest.approx((gcj_lon, gcj_lat), abs=1e-9)


@pytest.mark.parametrize(("lon", "lat", "gcj_lon", "gcj_lat"), PUBLISHED)
def test_gcj02_to_wgs84_inverts_to_a_hundredth_of_a_millimetre(lon, lat, gcj_lon, gcj_lat):
    assert gcj02_to_wgs84(gcj_lon, gcj_lat) == pytest.approx((lon, lat), abs=1e-9)


def test_round_trip_holds_across_china():
    rng = np.random.default_rng(3)
    lon = rng.uniform(74, 134, 2000)
    lat = rng.uniform(18, 53, 2000)
    back_lon, back_lat = gcj02_to_wgs84(*wgs84_to_gcj02(lon, lat))
    assert np.abs(back_lon - lon).max() < 1e-9
    assert np.abs(back_lat - lat).max() < 1e-9


def test_outside_china_gcj02_is_wgs84():
    assert wgs84_to_gcj02(2.35, 48.85) == (2.35, 48.85)
    assert gcj02_to_wgs84(-74.0, 40.7) == (-74.0, 40.7)


def test_the_gcj02_offset_is_hundreds_of_metres_in_china():
    projection = LocalProjection(105.44, 28.87)
    wgs = projection.to_metres([105.44], [28.87])
    gcj = projection.to_metres([105.44], [28.87], datum="gcj02")
    assert 100 < np.hypot(*(wgs[0] - gcj[0])) < 800


def test_local_projection_keeps_distances_within_a_county_to_a_centimetre_per_kilometre():
    pyproj = pytest.importorskip("pyproj")
    lon = np.array([105.30, 105.62, 105.45])
    lat = np.array([28.70, 29.05, 28.88])
    projection = LocalProjection.around(lon, lat)
    xy = projection.to_metres(lon, lat)
    geod = pyproj.Geod(ellps="WGS84")
    for a, b in [(0, 1), (0, 2), (1, 2)]:
        metres = geod.inv(lon[a], lat[a], lon[b], lat[b])[2]
        assert np.hypot(*(xy[a] - xy[b])) == pytest.approx(metres, rel=1e-5)
    back_lon, back_lat = projection.to_lonlat(xy)
    np.testing.assert_allclose(back_lon, lon, atol=1e-10)
    np.testing.assert_allclose(back_lat, lat, atol=1e-10)


def test_cgcs2000_is_taken_as_wgs84_and_bad_points_are_refused():
    assert to_wgs84(105.0, 29.0, "cgcs2000") == (105.0, 29.0)
    with pytest.raises(ValueError, match="datum"):
        to_wgs84(105.0, 29.0, "bd09")
    with pytest.raises(ValueError, match="point 1"):
        to_wgs84([105.0, 200.0], [29.0, 29.0], "wgs84")
