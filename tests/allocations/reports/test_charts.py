"""The SVG charts: values scale to the plot, labels are there, and no figures is an empty state
(never a division by zero)."""

from django.template.loader import render_to_string

from allocations.reports import charts


def test_the_axis_top_is_a_round_number_at_or_above_the_largest_value():
    assert [charts.nice_maximum(v) for v in (0, 0.3, 1, 7, 12, 26, 380, 1001)] == [
        1.0, 0.5, 1, 10, 20, 50, 500, 2000,
    ]  # fmt: skip


def test_bars_scale_to_the_plot_and_keep_their_labels():
    chart = charts.bar_chart(
        title="Lets", description="Lets a month", labels=["Jan", "Feb"], values=[5, 10], unit="lets"
    )
    low, high = chart.bars
    plot = charts.HEIGHT - charts.BOTTOM - charts.TOP
    # The axis runs to 10: the taller bar fills the plot, the other half of it.
    assert high.height == plot and low.height == plot / 2
    assert high.y == charts.TOP and low.y + low.height == charts.HEIGHT - charts.BOTTOM
    assert [t.label for t in chart.ticks] == ["0", "2", "4", "6", "8", "10"]
    assert [a.text for a in chart.axis_labels] == ["Jan", "Feb"]
    assert not chart.empty


def test_a_long_axis_shows_every_nth_label_but_keeps_every_bar():
    labels = [f"M{n}" for n in range(36)]
    chart = charts.bar_chart(title="t", description="d", labels=labels, values=[1] * 36, unit="")
    assert len(chart.bars) == 36
    assert [a.text for a in chart.axis_labels] == [f"M{n}" for n in range(0, 36, 3)]


def test_no_figures_or_all_zero_is_an_empty_chart_not_a_division_by_zero():
    for labels, values in (([], []), (["Jan", "Feb"], [0, 0])):
        chart = charts.bar_chart(title="t", description="d", labels=labels, values=values, unit="")
        assert chart.empty and chart.bars == []
    line = charts.line_chart(
        title="t", description="d", labels=["Jan"], series=[("A", [None])], unit=""
    )
    assert line.empty
    html = render_to_string("reports/_chart.html", {"chart": line, "id": "x"})
    assert "No figures to chart for these filters." in html and "<svg" not in html


def test_lines_have_a_point_per_known_value_and_their_own_colour_and_dash():
    chart = charts.line_chart(
        title="Register",
        description="d",
        labels=["Jan", "Feb", "Mar"],
        series=[("Band 1", [5, None, 10]), ("Band 2", [1, 1, 1])],
        unit="households",
    )
    first, second = chart.series
    assert [(x, y) for x, y, _ in first.dots] == [
        (
            charts.LEFT,
            charts.HEIGHT - charts.BOTTOM - (charts.HEIGHT - charts.BOTTOM - charts.TOP) / 2,
        ),
        (charts.WIDTH - charts.RIGHT, charts.TOP),
    ]
    assert len(second.dots) == 3
    assert first.colour != second.colour and first.dash != second.dash


def test_the_svg_is_named_described_and_has_no_style_or_script():
    chart = charts.line_chart(
        title="Register & size",
        description="Households <by band>",
        labels=["Jan", "Feb"],
        series=[("Band 1", [2, 3]), ("Band 2", [1, 1])],
        unit="households",
    )
    html = render_to_string("reports/_chart.html", {"chart": chart, "id": "reg"})
    assert 'role="img" aria-labelledby="chart-reg-title chart-reg-desc"' in html
    assert '<title id="chart-reg-title">Register &amp; size</title>' in html
    assert '<desc id="chart-reg-desc">Households &lt;by band&gt;</desc>' in html
    assert "style=" not in html and "<script" not in html
    assert html.count("<polyline") == 2 and "Band 2" in html
