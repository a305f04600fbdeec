"""Static files: only what pages load is collected from the vendored npm packages.

ECharts' dist folder holds 51 MB of builds and source maps of which the pages load one file,
echarts.min.js; collecting (and brotli-compressing) the rest made every collectstatic take
minutes. The finder leaves them out of collectstatic (``list``); finding a named file is as
Django's own finder does it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.contrib.staticfiles.finders import FileSystemFinder

UNUSED_VENDOR_FILES = [
    "*.map",
    "*.mjs",
    "*.esm.*",
    "echarts.js",
    "echarts.common*",
    "echarts.simple*",
    "extension",
]


class VendorAwareFinder(FileSystemFinder):
    def list(self, ignore_patterns: Iterable[str] | None) -> Iterator[tuple[str, Any]]:
        yield from super().list([*(ignore_patterns or []), *UNUSED_VENDOR_FILES])
