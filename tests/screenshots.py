"""What the replay browser tests share: the demo outlet they archive, and the pixel-similarity
measure they compare a replay with the live page by."""

from __future__ import annotations

import base64
import sqlite3
from pathlib import Path

from conftest import run_crawl

# The share of pixels of the replay that match the live page (each channel within 16 of 255).
SIMILARITY = """([a, b]) => Promise.all([a, b].map(src => new Promise((ok, fail) => {
    const img = new Image(); img.onload = () => ok(img); img.onerror = fail; img.src = src;
  }))).then(([x, y]) => {
    const w = Math.min(x.width, y.width), h = Math.min(x.height, y.height);
    const pixels = img => { const c = document.createElement('canvas'); c.width = w; c.height = h;
      const g = c.getContext('2d'); g.drawImage(img, 0, 0); return g.getImageData(0, 0, w, h).data; };
    const p = pixels(x), q = pixels(y);
    let same = 0;
    for (let i = 0; i < p.length; i += 4) {
      if (Math.abs(p[i] - q[i]) <= 16 && Math.abs(p[i+1] - q[i+1]) <= 16 && Math.abs(p[i+2] - q[i+2]) <= 16) same++;
    }
    return {same: same / (w * h), live: [x.width, x.height], replay: [y.width, y.height]};
  })"""


def similarity(page, live: bytes, replay: bytes) -> dict:
    """{"same": share of matching pixels, "live": [w, h], "replay": [w, h]}, computed in ``page``."""
    return page.evaluate(SIMILARITY, ["data:image/png;base64," + base64.b64encode(live).decode(),
                                      "data:image/png;base64," + base64.b64encode(replay).decode()])


def crawl_demo_outlet(web, archive: Path, slug: str = "ledger") -> tuple[str, int, str]:
    """Crawl one outlet of a running ``DemoWeb`` with its requisites into ``archive``;
    (URL, capture id, title) of its first archived article."""
    outlet = next(o for o in web.outlets if o.slug == slug)
    result = run_crawl([outlet.base_url + "/"], archive, depth=1, settings=("STORIES_ENABLED=False",))
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stats["requisites/captured"] >= 2  # its stylesheet and logo
    db = sqlite3.connect(archive / "catalog.sqlite")
    try:
        return db.execute("SELECT url, capture_id, title FROM articles ORDER BY capture_id LIMIT 1").fetchone()
    finally:
        db.close()
