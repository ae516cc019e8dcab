"""The one bar scale of the reports' charts (auditor/render/charts.py)."""

from __future__ import annotations

from auditor.render.charts import scale_bars, shorten


def test_bars_are_proportional_to_the_largest_with_a_visible_minimum():
    assert scale_bars([10, 5, 0.01], span=100, step=20) == [(0, 100.0), (20, 50.0), (40, 2.0)]
    # a zero value may be drawn as nothing (the catalogue), or keep the minimum (the index)
    assert scale_bars([4, 0], span=80, step=10, min_w=0, zero_w=0) == [(0, 80.0), (10, 0)]
    assert scale_bars([], span=80, step=10) == [] and scale_bars([0, 0], span=80, step=10) == [(0, 2.0), (10, 2.0)]


def test_long_labels_are_cut_with_an_ellipsis():
    assert shorten("Justificatif de domicile", 40) == "Justificatif de domicile"
    assert shorten("a" * 50, 10) == "a" * 9 + "…"
