"""Official documents (公文) as PDF: notices, orders and bulletins in the county's house style.

The layout follows GB/T 9704-2012 as far as a county office's notices need it: A4 with the
standard margins, the issuing office's name in red over a red rule (版头), the document number
in the form 保绩提〔2026〕12号, a bold title, the body in a serif CJK face, and the issuing office
and the date (written 2026年12月2日) at the foot. Templates extend ``documents/official.html``.

WeasyPrint renders with the Noto CJK fonts installed by ``make system-deps``. Rendering is
offline: the URL fetcher refuses everything except ``data:`` URLs and files under the static
root, so a document can never reach the network.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string


def document_number(prefix: str, year: int, seq: int) -> str:
    """The number of an official document: prefix, year in 〔〕, sequence and 号."""
    if seq < 1:
        raise ValueError("a document's sequence number starts at 1")
    return f"{prefix}〔{year}〕{seq}号"


def chinese_date(day: dt.date) -> str:
    """The date as an official document writes it (GB/T 9704-2012: Arabic numerals)."""
    return f"{day.year}年{day.month}月{day.day}日"


class OfflineOnly(ValueError):
    """A document asked for a resource outside the static files."""


def _allowed(url: str) -> bool:
    if url.startswith("data:"):
        return True
    if url.startswith("file://"):
        path = Path(url[len("file://") :].split("?")[0]).resolve()
        roots = [Path(str(settings.STATIC_ROOT)).resolve(), Path(__file__).parent.resolve()]
        return any(path.is_relative_to(root) for root in roots)
    return False


def offline_fetcher() -> Any:
    """WeasyPrint's URL fetcher, limited to data: URLs and the static and document files."""
    from weasyprint.urls import URLFetcher

    class OfflineFetcher(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            if not _allowed(url):
                raise OfflineOnly(f"documents are rendered offline; refused {url!r}")
            return super().fetch(url, headers)

    return OfflineFetcher(allowed_protocols=("data", "file"), allow_redirects=False)


def render_html_pdf(markup: str) -> bytes:
    """PDF bytes of an HTML document, fetched offline."""
    from weasyprint import HTML

    base = Path(__file__).parent.resolve().as_uri() + "/"
    pdf = HTML(string=markup, base_url=base, url_fetcher=offline_fetcher()).write_pdf()
    assert pdf is not None
    return bytes(pdf)


def render_pdf(template_name: str, context: Mapping[str, Any]) -> bytes:
    """Render a template extending documents/official.html to PDF bytes."""
    return render_html_pdf(render_to_string(template_name, dict(context)))


def bar_chart_svg(
    labels: Sequence[str],
    values: Sequence[float],
    *,
    width: int = 560,
    bar_height: int = 16,
    colours: Sequence[str] | None = None,
    unit: str = "",
) -> str:
    """A horizontal bar chart as inline SVG, for documents (ECharts is for the browser)."""
    if len(labels) != len(values):
        raise ValueError("one value per label")
    top = max([abs(v) for v in values] + [1e-9])
    label_w, gap = 120, 6
    plot_w = width - label_w - 70
    rows = []
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = i * (bar_height + gap)
        w = max(0.0, value) / top * plot_w
        colour = colours[i] if colours else "#c0392b"
        rows.append(
            f'<text x="{label_w - 6}" y="{y + bar_height - 4}" text-anchor="end" '
            f'font-size="11">{html.escape(label)}</text>'
            f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_height}" '
            f'fill="{html.escape(colour)}"/>'
            f'<text x="{label_w + w + 4:.1f}" y="{y + bar_height - 4}" font-size="11">'
            f"{value:g}{html.escape(unit)}</text>"
        )
    height = max(1, len(labels)) * (bar_height + gap)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="Noto Sans CJK SC">{"".join(rows)}</svg>'
    )
