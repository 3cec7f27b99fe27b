"""Make GX's Data Docs site readable offline.

GX's pages load Bootstrap, jQuery, bootstrap-table, Font Awesome and Vega from
CDNs, and the logo from S3; with no network the index page stays empty (its
tables are drawn by bootstrap-table). After GX writes the site, every page gets
the stylesheet and the small script of ``docs_assets/`` inlined in its head,
its CDN tags removed and the logo pointed at the copy GX puts in
``static/images/``. Links to websites stay (they load nothing).
"""

from __future__ import annotations

import os
import re
from functools import cache
from pathlib import Path

ASSETS = Path(__file__).with_name("docs_assets")

_REMOTE_SCRIPT = re.compile(r"<script\b[^>]*\bsrc=\"https?://[^\"]*\"[^>]*>\s*</script>", re.I | re.S)
_REMOTE_STYLESHEET = re.compile(r"<link\b[^>]*\bhref=\"https?://[^\"]*\"[^>]*>", re.I | re.S)
_REMOTE_IMAGES = "https://great-expectations-web-assets.s3.us-east-2.amazonaws.com/"
_HEAD = re.compile(r"<head>", re.I)
# What makes a browser fetch something when a page opens: src/href of
# scripts, stylesheets, images, frames; url(...) in inline CSS.
_REMOTE_FETCH = re.compile(
    r"<(?:script|link|img|iframe|source)\b[^>]*\b(?:src|href)=\"https?://[^\"]*\"|url\(\s*['\"]?https?://[^)]*\)",
    re.I,
)


def offline_page(html: str, images_dir: str) -> str:
    """One page without remote fetches, with the offline stylesheet and script inlined."""
    html = _REMOTE_SCRIPT.sub("", html)
    html = _REMOTE_STYLESHEET.sub("", html)
    html = html.replace(_REMOTE_IMAGES, images_dir)
    inlined = _inlined_head()
    return _HEAD.sub(lambda _: inlined, html, count=1)


@cache
def _inlined_head() -> str:
    """``<head>`` with the offline stylesheet and script (read once per process)."""
    css = (ASSETS / "offline.css").read_text(encoding="utf-8")
    js = (ASSETS / "offline.js").read_text(encoding="utf-8")
    return f"<head>\n<style>{css}</style>\n<script>{js}</script>"


def make_offline(site_dir: Path) -> list[Path]:
    """Rewrite every page of the site in place; returns the pages."""
    pages = sorted(site_dir.rglob("*.html"))
    for page in pages:
        images = os.path.relpath(site_dir / "static" / "images", page.parent).replace(os.sep, "/") + "/"
        page.write_text(offline_page(page.read_text(encoding="utf-8"), images), encoding="utf-8")
    return pages


def remote_fetches(html: str) -> list[str]:
    """The tags of a page that would fetch something from the network when it opens."""
    return [m.group(0) for m in _REMOTE_FETCH.finditer(html)]
