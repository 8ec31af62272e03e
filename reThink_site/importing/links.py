"""Old addresses of the WordPress site mapped to the new pages and the imported files."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional
from urllib.parse import urlsplit

from reThink_site.core.urls import slugify
from reThink_site.importing.plan import Plan, host_of, old_key, original_upload, upload_path
from reThink_site.importing.tomarkdown import Rewritten

ASSET_FOLDER = "uploads"  # imported media go to content/assets/uploads/, as WordPress's wp-content/uploads/


def asset_name(rel: str) -> str:
    """A safe name under content/assets/ (`2014/01/DIPS Form.pdf` → `uploads/2014/01/dips-form.pdf`)."""
    *folders, name = rel.split("/")
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, ""
    safe = [slugify(part) or "folder" for part in folders]
    ending = "." + re.sub(r"[^a-z0-9]", "", suffix.lower()) if suffix else ""
    return "/".join([ASSET_FOLDER, *safe, (slugify(stem) or "file") + (ending if ending != "." else "")])


@dataclass
class LinkMap:
    """Looks up where an old link or media URL points now, and gathers the files to copy."""

    plan: Plan
    uploads: Optional[Path]
    hosts: tuple[str, ...] = ()
    pages: dict[str, str] = field(default_factory=dict)  # old_key -> new site path
    alts: dict[str, str] = field(default_factory=dict)  # uploads path -> alt text
    copies: dict[str, Path] = field(default_factory=dict)  # asset name -> file in the uploads folder

    def __post_init__(self) -> None:
        hosts = set(self.plan.old_hosts)
        hosts |= {h.replace(".wordpress.com", ".files.wordpress.com") for h in hosts if h.endswith(".wordpress.com")}
        self.hosts = tuple(sorted(hosts))
        for target in self.plan.targets:
            for old in (target.old_link, f"/?p={target.post_id}", f"/?page_id={target.post_id}"):
                key = old_key(old, self.hosts) if old else None
                if key:
                    self.pages.setdefault(key, target.url)
        for old_path, new_path in self.plan.archives.items():
            self.pages.setdefault(old_path, new_path)
        for attachment in self.plan.attachments:
            if attachment.upload_path:
                self.alts.setdefault(attachment.upload_path, attachment.alt)
                local = self.local_file(attachment.upload_path)
                if local and attachment.page_link:
                    key = old_key(attachment.page_link, self.hosts)
                    if key:
                        self.pages.setdefault(key, local)

    def on_old_site(self, url: str) -> bool:
        """True for a link to the old site (or to its files on WordPress.com), or a bare site path."""
        parts = urlsplit(url)
        return (not parts.netloc and parts.path.startswith("/")) or host_of(url) in self.hosts

    def local_file(self, rel: str) -> Optional[str]:
        """The site path of an uploads file once copied (its full-size original for a resized copy), or None."""
        if self.uploads is None:
            return None
        root = self.uploads.resolve()
        for candidate in (rel, original_upload(rel)):
            path = self.uploads / candidate
            try:
                inside = path.is_file() and path.resolve().is_relative_to(root)
            except OSError:
                inside = False
            if inside:
                name = asset_name(candidate)
                self.copies.setdefault(name, path)
                return f"/assets/{name}"
        return None

    def rewrite(self, url: str) -> Rewritten:
        """Where one href or src points now; old media left remote are marked so the report lists them."""
        url = url.strip()
        if not self.on_old_site(url):
            return Rewritten(url)
        rel = upload_path(url)
        if rel:
            alt = self.alts.get(rel) or self.alts.get(original_upload(rel), "")
            local = self.local_file(rel)
            return Rewritten(local, alt=alt) if local else Rewritten(url, remote=True, alt=alt)
        parts = urlsplit(url)
        key = old_key(url.split("#", 1)[0], self.hosts)
        if key and key in self.pages:
            return Rewritten(self.pages[key] + (f"#{parts.fragment}" if parts.fragment else ""))
        return Rewritten(url)

    def attachment_files(self) -> list[tuple[str, str]]:
        """(attachment URL, site path or '' when it stays remote) for every media item of the export."""
        out = []
        for attachment in self.plan.attachments:
            local = self.local_file(attachment.upload_path) if attachment.upload_path else None
            out.append((attachment.url, local or ""))
        return out

