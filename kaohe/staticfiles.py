"""Static files: only what pages load is collected from the vendored npm packages.

ECharts' dist folder holds 51 MB of builds and source maps of which the pages load one file,
echarts.min.js; collecting (and compressing) the rest made every collectstatic take minutes.
"""

from __future__ import annotations

from django.contrib.staticfiles.apps import StaticFilesConfig


class KaoheStaticFilesConfig(StaticFilesConfig):
    # Django declares it a list on the class; collectstatic only reads it.
    ignore_patterns = [  # noqa: RUF012
        *StaticFilesConfig.ignore_patterns,
        "*.map",
        "*.mjs",
        "*.esm.*",
        "echarts.js",
        "echarts.common*",
        "echarts.simple*",
        "extension",
    ]
