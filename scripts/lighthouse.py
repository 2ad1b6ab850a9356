"""Lighthouse's mobile performance score of the home page and of the longest post.

    python scripts/lighthouse.py [--site DIR] [--runs N] [--min-score 90] [--page PATH ...]

Without --site, the site is built first with `mkdocs build --strict` into a temporary
folder. Each page is measured N times (default 3) by Lighthouse 12 from npm (`make
lighthouse` installs the pinned version into .cache/node) with its default mobile
settings (a mid-range phone on a slow 4G network, simulated), driving Debian's Chromium
(CHROME_PATH, or PICKLED_STATE_CHROMIUM, or /usr/bin/chromium); the median run counts.
The site is served on localhost compressed (gzip), as GitHub Pages serves it.

Exit status: 0 when every page scores at least --min-score, 1 when one does not, and 0
with a line saying why when Lighthouse cannot run here (no Node.js, no Lighthouse, no
Chromium): it is a measurement, not a test that a machine without a browser can fail.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
from http.server import SimpleHTTPRequestHandler
from io import BytesIO
from pathlib import Path

from snippet_runner.blog.layout import Layout
from snippet_runner.devtools.build_site import strict_build
from snippet_runner.devtools.preview import CHROMIUM, CHROMIUM_ARGS, serve

ROOT = Path(__file__).resolve().parent.parent
LAYOUT = Layout.load(ROOT / "mkdocs.yml")
LIGHTHOUSE = ROOT / ".cache" / "node" / "node_modules" / "lighthouse" / "cli" / "index.js"
METRICS = {
    "first-contentful-paint": "FCP",
    "largest-contentful-paint": "LCP",
    "total-blocking-time": "TBT",
    "cumulative-layout-shift": "CLS",
    "speed-index": "SI",
}
COMPRESSED = (".html", ".css", ".js", ".json", ".xml", ".svg", ".txt", ".map")


class _GzipHandler(SimpleHTTPRequestHandler):
    """Static files, text compressed with gzip when the browser accepts it (as GitHub Pages)."""

    cache: dict[Path, bytes] = {}

    def log_message(self, format, *args):  # noqa: A002
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                return super().send_head()  # its redirect to the folder's own URL
            path = path / "index.html"
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts and path.suffix in COMPRESSED and path.is_file()):
            return super().send_head()
        body = self.cache.get(path)
        if body is None:
            body = self.cache[path] = gzip.compress(path.read_bytes(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return BytesIO(body)


def chromium() -> Path:
    return Path(
        os.environ.get("CHROME_PATH") or os.environ.get("PICKLED_STATE_CHROMIUM") or CHROMIUM
    )


def why_not() -> str | None:
    """Why Lighthouse cannot run here, or None."""
    if not shutil.which("node"):
        return "node not found: install Node.js (apt-get install nodejs npm)"
    if not LIGHTHOUSE.is_file():
        return f"Lighthouse not found at {LIGHTHOUSE}: run `make lighthouse`"
    if not chromium().exists():
        return f"{chromium()} not found: install Debian's chromium package (`make chromium`)"
    return None


def longest_post(site: Path) -> str:
    posts = sorted(LAYOUT.post_pages(site), key=lambda p: -p.stat().st_size)
    return posts[0].parent.relative_to(site).as_posix() + "/"


def measure(url: str, out: Path) -> dict:
    flags = " ".join(["--headless=new", *CHROMIUM_ARGS])
    proc = subprocess.run(
        ["node", str(LIGHTHOUSE), url, "--only-categories=performance", "--output=json"]
        + [f"--output-path={out}", "--quiet", f"--chrome-flags={flags}"],
        env={**os.environ, "CHROME_PATH": str(chromium())},
        capture_output=True,
        text=True,
        timeout=300,
    )
    if proc.returncode != 0 or not out.is_file():
        raise RuntimeError(f"Lighthouse failed on {url}:\n{proc.stderr[-3000:]}")
    report = json.loads(out.read_text(encoding="utf-8"))
    audits = report["audits"]
    return {
        "score": round(report["categories"]["performance"]["score"] * 100),
        **{name: audits[key]["numericValue"] for key, name in METRICS.items()},
        "bytes": audits["total-byte-weight"]["numericValue"],
        "version": report["lighthouseVersion"],
    }


def summary(path: str, runs: list[dict]) -> tuple[int, str]:
    median = sorted(runs, key=lambda r: r["score"])[len(runs) // 2]
    scores = ", ".join(str(r["score"]) for r in runs)
    line = (
        f"{path or '(home)'}: performance {median['score']} (runs: {scores}); "
        f"FCP {median['FCP'] / 1000:.1f} s, LCP {median['LCP'] / 1000:.1f} s, "
        f"TBT {median['TBT']:.0f} ms, CLS {median['CLS']:.3f}, SI {median['SI'] / 1000:.1f} s, "
        f"{median['bytes'] / 1024:.0f} KiB transferred"
    )
    return median["score"], line


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, help="an already built site (default: build one)")
    parser.add_argument("--runs", type=int, default=3, help="runs per page; the median counts")
    parser.add_argument("--min-score", type=int, default=90)
    parser.add_argument("--page", action="append", help="a URL path (default: home, longest post)")
    args = parser.parse_args()
    reason = why_not()
    if reason:
        print(f"Lighthouse skipped: {reason}")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        site = args.site
        if site is None:
            site = Path(tmp) / "site"
            strict_build(site)
        pages = args.page or ["", longest_post(site)]
        failed = []
        with serve(site.resolve(), _GzipHandler) as url:
            for path in pages:
                runs = [measure(url + path, Path(tmp) / f"run{n}.json") for n in range(args.runs)]
                score, line = summary(path, runs)
                print(line, flush=True)
                if score < args.min_score:
                    failed.append(f"{path or '(home)'}: {score}")
        version = runs[0]["version"]
    if failed:
        print(f"below {args.min_score} (Lighthouse {version}, mobile): {', '.join(failed)}")
        return 1
    print(f"every page scored {args.min_score} or more (Lighthouse {version}, mobile)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
