"""``python -m dashboards.screenshot [--db FILE] [--out docs/overview.png]``: the README's picture
of the overview page, taken with Debian's Chromium from the app served over ``--db``."""

from __future__ import annotations

import argparse
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

from dashboards.browser import launch_chromium, open_page, serving
from jixiao.paths import PROJECT_ROOT, warehouse_path


def take(db: Path, out: Path, *, width: int = 1400, height: int = 1500, max_width: int = 1100) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    with serving(db) as base_url, sync_playwright() as p:
        browser = launch_chromium(p)
        page = browser.new_page(viewport={"width": width, "height": height})
        open_page(page, base_url + "/", settle_ms=4000)
        page.screenshot(path=str(out))
        browser.close()
    image = Image.open(out).convert("RGB")  # keep it small: scale down, 256 colours
    if image.width > max_width:
        image = image.resize((max_width, round(image.height * max_width / image.width)), Image.LANCZOS)
    image.quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(out, optimize=True)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", help="DuckDB file (default: $JIXIAO_DB or data/jixiao.duckdb)")
    parser.add_argument("--out", default=str(PROJECT_ROOT / "docs" / "overview.png"))
    args = parser.parse_args(argv)
    path = take(warehouse_path(args.db), Path(args.out))
    print(f"screenshot: {path} ({path.stat().st_size // 1024} KiB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
