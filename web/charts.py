"""Charts drawn on the server as inline SVG: no script, no CDN, nothing the CSP has to allow.

Every text is escaped; colours are SVG presentation attributes (not style attributes), so the
strict ``style-src 'self'`` policy stays as it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2", "#7f7f7f")


@dataclass
class Bar:
    label: str
    value: int
    href: str = ""
    title: str = ""


def bars(items: Sequence[Bar], width: int = 320, height: int = 120, css_id: str = "", label: str = "") -> Markup:
    """A vertical bar chart: one bar per item, its value above, its label below (each bar a link if it has one)."""
    if not items:
        return Markup("")
    top = max(i.value for i in items) or 1
    pad, base = 14, height - 22
    slot = (width - 2 * pad) / len(items)
    bar_w = min(48.0, slot * 0.7)
    out = [
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img"{_id(css_id)} aria-label="{escape(label)}">'
    ]
    for n, item in enumerate(items):
        x = pad + n * slot + (slot - bar_w) / 2
        h = (base - 16) * item.value / top
        cx = x + bar_w / 2
        tip = f"<title>{escape(item.title or f'{item.label}: {item.value}')}</title>"
        box = f'x="{x:.1f}" y="{base - h:.1f}" width="{bar_w:.1f}" height="{max(h, 0.5):.1f}"'
        rect = f'<rect {box} fill="#2f6f9f">{tip}</rect>'
        if item.href:
            rect = f'<a href="{escape(item.href)}">{rect}</a>'
        out.append(rect)
        out.append(f'<text x="{cx:.1f}" y="{base - h - 3:.1f}" text-anchor="middle" font-size="11">{item.value}</text>')
        out.append(
            f'<text x="{cx:.1f}" y="{height - 6}" text-anchor="middle" font-size="11">{escape(item.label)}</text>'
        )
    out.append(f'<line x1="{pad}" y1="{base}" x2="{width - pad}" y2="{base}" stroke="#999" stroke-width="1"/>')
    out.append("</svg>")
    return Markup("".join(out))


@dataclass
class Dot:
    x: float  # 0..1
    y: float  # 0..1
    group: int  # colour index
    href: str
    title: str
    id: str


def scatter(dots: Sequence[Dot], width: int = 1000, height: int = 700, css_id: str = "", label: str = "") -> Markup:
    """One dot per item, coloured by group, each a link with its title as tooltip."""
    pad = 12
    out = [
        f'<svg class="map" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'preserveAspectRatio="xMidYMid meet" role="img"{_id(css_id)} aria-label="{escape(label)}">',
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#fbfcfd" stroke="#d8dee4"/>',
    ]
    for d in dots:
        cx = pad + d.x * (width - 2 * pad)
        cy = pad + (1 - d.y) * (height - 2 * pad)
        colour = PALETTE[d.group % len(PALETTE)]
        out.append(
            f'<a href="{escape(d.href)}" data-id="{escape(d.id)}"><circle cx="{cx:.1f}" cy="{cy:.1f}" r="6" '
            f'fill="{colour}" fill-opacity="0.75" stroke="#fff" stroke-width="1"><title>{escape(d.title)}</title>'
            "</circle></a>"
        )
    out.append("</svg>")
    return Markup("".join(out))


def swatch(group: int) -> Markup:
    colour = PALETTE[group % len(PALETTE)]
    return Markup(
        f'<svg class="swatch" width="12" height="12" viewBox="0 0 12 12" aria-hidden="true">'
        f'<circle cx="6" cy="6" r="5" fill="{colour}"/></svg>'
    )


def _id(css_id: str) -> str:
    return f' id="{escape(css_id)}"' if css_id else ""
