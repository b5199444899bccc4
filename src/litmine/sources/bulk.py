"""PubMed baseline and update files: from a folder, a file, a URL or an HTTP listing page.

NCBI publishes each `pubmedYYnNNNN.xml.gz` next to a `.md5` file ("MD5(name)= hex"). Files are
identified by name and MD5, so a re-run skips what is loaded and a changed file is reloaded.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

from litmine.sources.http import HttpClient

_LINK = re.compile(r'href="([^"]+?\.xml(?:\.gz)?)"', re.I)
_MD5 = re.compile(r"\b([0-9a-f]{32})\b", re.I)


@dataclass
class BulkFile:
    name: str  # what ingested_file remembers
    location: str  # local path or URL
    md5: str | None = None  # known before download (local file, or the .md5 sidecar)
    named: bool = False  # named on its own, not found in a folder or listing: always tried

    @property
    def remote(self) -> bool:
        return self.location.startswith(("http://", "https://"))


def md5_of(path: Path) -> str:
    h = hashlib.md5()  # noqa: S324 - NCBI publishes MD5 checksums
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def list_files(source: str, http: HttpClient | None = None) -> list[BulkFile]:
    """The bulk files a path or URL stands for, in name order."""
    if source.startswith(("http://", "https://")):
        if re.search(r"\.xml(\.gz)?$", source):
            return [BulkFile(source.rsplit("/", 1)[-1], source, named=True)]
        assert http is not None
        page = http.call("GET", source, lambda b: b.decode("utf-8", "replace"), describe=f"listing {source}")
        names = sorted(set(_LINK.findall(page)))
        base = source if source.endswith("/") else source + "/"
        sidecars = set(re.findall(r'href="([^"]+?\.md5)"', page))
        files = []
        for name in names:
            f = BulkFile(name.rsplit("/", 1)[-1], urljoin(base, name))
            if f"{name}.md5" in sidecars:
                text = http.call("GET", urljoin(base, f"{name}.md5"), lambda b: b.decode(), describe=f"md5 {name}")
                found = _MD5.search(text)
                f.md5 = found.group(1).lower() if found else None
            files.append(f)
        return files
    path = Path(source)
    if path.is_dir():
        return [BulkFile(p.name, str(p), md5_of(p)) for p in sorted(path.iterdir())
                if p.is_file() and re.search(r"\.xml(\.gz)?$", p.name)]
    return [BulkFile(path.name, str(path), md5_of(path) if path.exists() else None, named=True)]


def download(f: BulkFile, http: HttpClient, cache: Path) -> Path:
    """Fetch a remote file into the cache, checked against its published MD5 (retried if not)."""
    cache.mkdir(parents=True, exist_ok=True)
    dest = cache / f.name

    def check(content: bytes) -> bytes:
        if f.md5 and hashlib.md5(content).hexdigest() != f.md5:  # noqa: S324
            raise ValueError(f"{f.name}: MD5 mismatch (corrupt or truncated download)")
        return content

    content = http.call("GET", f.location, check, describe=f"download {f.name}")
    tmp = dest.with_suffix(dest.suffix + ".part")
    tmp.write_bytes(content)
    tmp.replace(dest)
    return dest
