"""Where a site keeps its posts and snippets, and the URLs it is served under, from mkdocs.yml.

MkDocs and Zensical both read mkdocs.yml; this module reads the few facts the
build code needs from it, without importing MkDocs and without executing the
``!!python/name:`` tags, so that every generator and every script agrees.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import yaml


class _ConfigLoader(yaml.SafeLoader):
    """A safe loader that reads mkdocs.yml's ``!!python/name:`` tags as None."""


_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda *_: None)


def read_mkdocs_config(config_file: Path) -> dict:
    """mkdocs.yml as plain data, for code that runs outside MkDocs."""
    data = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_ConfigLoader) or {}
    if not isinstance(data, dict):
        raise ValueError(f"{config_file}: not a mapping of settings")
    return data


def _plugin(config: dict, name: str) -> dict | None:
    for entry in config.get("plugins") or []:
        if entry == name:
            return {}
        if isinstance(entry, dict) and name in entry:
            return entry[name] or {}
    return None


def _snippets_base(config: dict) -> str:
    for entry in config.get("markdown_extensions") or []:
        if isinstance(entry, dict) and "pymdownx.snippets" in entry:
            base = (entry["pymdownx.snippets"] or {}).get("base_path", ["snippets"])
            return base if isinstance(base, str) else base[0]
    return "snippets"


@dataclass(frozen=True)
class Layout:
    """A site's folders and URLs."""

    root: Path  # the folder of mkdocs.yml
    docs_dir: Path
    snippets_dir: Path
    posts_dir: Path
    site_dir: Path
    site_path: str = "/"  # the path of site_url, where the built site is served
    repo_url: str = ""
    authors_file: Path | None = None  # the blog's authors file, when posts name authors
    series: tuple[str, ...] = ()  # extra.series.posts, in reading order
    series_name: str = ""
    site_name: str = ""
    site_description: str = ""
    excerpt_separator: str = "<!-- more -->"  # the blog's post_excerpt_separator
    #: Where the built site keeps a post's page, as a glob with ``{slug}`` left in
    #: (from the blog's blog_dir, post_url_format and post_url_date_format).
    post_page_glob: str = "blog/*/*/*/{slug}/index.html"

    @classmethod
    def load(cls, config_file: Path) -> Layout:
        config_file = config_file.resolve()
        return cls.from_config(read_mkdocs_config(config_file), config_file.parent)

    @classmethod
    def from_config(cls, config: dict, root: Path) -> Layout:
        """From mkdocs.yml's data (a dict, or MkDocs' own config object)."""
        docs = root / (config.get("docs_dir") or "docs")
        blog = _plugin(config, "blog") or {}
        blog_dir = blog.get("blog_dir", "blog")
        post_dir = blog.get("post_dir", "{blog}/posts").replace("{blog}", blog_dir)
        site_url = urlparse(config.get("site_url") or "/").path or "/"
        series = (config.get("extra") or {}).get("series") or {}
        authors = blog.get("authors_file", "{blog}/.authors.yml").replace("{blog}", blog_dir)
        return cls(
            root=root,
            docs_dir=docs,
            snippets_dir=root / _snippets_base(config),
            posts_dir=docs / post_dir,
            site_dir=root / (config.get("site_dir") or "site"),
            site_path=site_url if site_url.endswith("/") else site_url + "/",
            repo_url=(config.get("repo_url") or "").rstrip("/"),
            authors_file=docs / authors if _plugin(config, "blog") is not None else None,
            series=tuple(series.get("posts") or ()),
            series_name=series.get("name", ""),
            site_name=config.get("site_name") or "",
            site_description=config.get("site_description") or "",
            excerpt_separator=blog.get("post_excerpt_separator") or "<!-- more -->",
            post_page_glob=_post_page_glob(blog, blog_dir),
        )

    def post_pages(self, site: Path, slug: str = "*") -> list[Path]:
        """The built pages of the post ``slug`` (of every post with ``*``) in ``site``."""
        return sorted(site.glob(self.post_page_glob.replace("{slug}", slug)))

    def download_url(self, snippet: Path) -> str:
        """Where the built site serves a snippet (copied into site/snippets/ after the build)."""
        return f"{self.site_path}snippets/{snippet.relative_to(self.snippets_dir).as_posix()}"

    def source_url(self, snippet: Path) -> str:
        return f"{self.repo_url}/blob/main/{self.rel(snippet).as_posix()}" if self.repo_url else ""

    def rel(self, path: Path) -> Path:
        return path.relative_to(self.root) if path.is_relative_to(self.root) else path


def _post_page_glob(blog: dict, blog_dir: str) -> str:
    """Material's post URL (``post_url_format``) as a glob of built pages, ``{slug}`` kept."""
    url = blog.get("post_url_format", "{date}/{slug}")
    date = blog.get("post_url_date_format", "yyyy/MM/dd")
    # The date's parts (Babel's pattern) and the categories become one folder each.
    url = url.replace("{date}", "/".join("*" for _ in date.split("/")))
    url = url.replace("{categories}", "*").replace("{file}", "*")
    return f"{blog_dir.strip('/')}/{url.strip('/')}/index.html"
