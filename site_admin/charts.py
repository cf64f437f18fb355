"""Small server-rendered SVG bar charts: no JavaScript, nothing to bundle, CSP-friendly."""

from __future__ import annotations

import datetime as dt

from django.utils.html import format_html, format_html_join

WIDTH, HEIGHT, PAD_TOP, PAD_BOTTOM = 640, 180, 10, 22


def bar_chart(series: list[tuple[dt.date, int]], *, title: str, value_label=str) -> str:
    """An accessible bar chart (role=img, a <title> and per-bar tooltips) for a daily series."""
    if not series:
        return ""
    peak = max(v for _, v in series) or 1
    step = WIDTH / len(series)
    bar_w = max(1.0, step * 0.7)
    plot_h = HEIGHT - PAD_TOP - PAD_BOTTOM
    # Coordinates are formatted here (format_html would escape floats into strings first).
    bars = format_html_join(
        "",
        '<rect x="{}" y="{}" width="{}" height="{}" rx="1.5" class="fill-brand-500"><title>{}: {}</title></rect>',
        (
            (
                f"{i * step + (step - bar_w) / 2:.1f}",
                f"{PAD_TOP + plot_h - (v / peak) * plot_h:.1f}",
                f"{bar_w:.1f}",
                f"{max((v / peak) * plot_h, 0.5 if v else 0):.1f}",
                day.strftime("%-d %b"),
                value_label(v),
            )
            for i, (day, v) in enumerate(series)
        ),
    )
    first, last = series[0][0], series[-1][0]
    return format_html(
        '<svg viewBox="0 0 {w} {h}" role="img" aria-label="{t}" class="h-auto w-full" preserveAspectRatio="none">'
        "<title>{t}</title>"
        '<line x1="0" x2="{w}" y1="{base}" y2="{base}" class="stroke-slate-200" />{bars}'
        '<text x="0" y="{h}" class="fill-slate-500 text-[11px]">{first}</text>'
        '<text x="{w}" y="{h}" text-anchor="end" class="fill-slate-500 text-[11px]">{last}</text>'
        '<text x="{w}" y="9" text-anchor="end" class="fill-slate-500 text-[11px]">max {peak}</text>'
        "</svg>",
        w=WIDTH,
        h=HEIGHT,
        t=title,
        base=HEIGHT - PAD_BOTTOM,
        bars=bars,
        first=first.strftime("%-d %b"),
        last=last.strftime("%-d %b"),
        peak=value_label(peak),
    )
