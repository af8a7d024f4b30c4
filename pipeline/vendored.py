"""Code we ship inside our outputs: the pinned plotly.js that the HTML report inlines.

It lives below both the report, which inlines it, and the leak check, which
must tell it from transcript data: its 4.8 MB of source hold ordinary first
names and city names ("Martin", "Porto") that are nobody in the conversations.
"""
from __future__ import annotations

import functools


@functools.lru_cache(maxsize=1)
def plotly_js() -> str:
    """plotly.min.js from the pinned `plotly` package, checked safe to inline in a `<script>` element."""
    from plotly.offline import get_plotlyjs

    source = get_plotlyjs()
    lowered = source.lower()
    if "</script" in lowered or "<!--" in source:
        # A new plotly.js would end the script element early: refuse rather than break the report.
        raise RuntimeError("plotly.js contains '</script' or '<!--' and cannot be inlined; pin another plotly")
    return source


def plotly_version() -> str:
    from plotly.offline import get_plotlyjs_version

    return get_plotlyjs_version()
