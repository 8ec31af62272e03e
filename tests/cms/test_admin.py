"""/admin/ in the built site, and the pinned CMS program: fetched only when it matches its integrity."""

from __future__ import annotations

import base64
import hashlib
import io
import tarfile
from pathlib import Path

import html5lib
import pytest
import yaml

from reThink_site.build import BuildOptions, build
from reThink_site.cms import admin, bundle
from reThink_site.content.config import load_config
from tests.helpers import MINIMAL_SITE_YAML, write_site

CMS_SITE_YAML = MINIMAL_SITE_YAML + "cms:\n  repo: example/site\n"
EVENT = {"content/events/2026-05-14-x.md": "---\ntitle: X\nstart: 2026-05-14 10:00\n---\nText.\n"}


def fake_bundle(root: Path) -> Path:
    folder = root / bundle.FOLDER
    folder.mkdir(parents=True)
    (folder / bundle.MAIN).write_text("window.CMS = {};\n")
    (folder / "12.decap-cms.js").write_text("/* a chunk */\n")
    return folder


def scripts(page: bytes) -> list[str]:
    doc = html5lib.parse(page, namespaceHTMLElements=False)
    return [s.get("src") for s in doc.iter("script")]


def test_a_site_without_a_cms_section_has_no_admin(tmp_path):
    root = write_site(tmp_path / "site", EVENT)
    build(BuildOptions(project=root, output=tmp_path / "out", now="2026-01-01T12:00", search=False, cache=False))
    assert not (tmp_path / "out" / "admin").exists()


def test_admin_holds_the_page_the_configuration_and_the_program(tmp_path):
    root = write_site(tmp_path / "site", EVENT, CMS_SITE_YAML)
    fake_bundle(root)
    report = build(BuildOptions(project=root, output=tmp_path / "out", now="2026-01-01T12:00", search=False,
                                cache=False))
    out = tmp_path / "out" / "admin"
    assert scripts((out / "index.html").read_bytes()) == ["/admin/" + bundle.MAIN, "/admin/" + admin.SETUP_SCRIPT]
    doc = html5lib.parse((out / "index.html").read_bytes(), namespaceHTMLElements=False)
    assert doc.find(".//title").text == "Edit Test reThink"
    assert [m.get("content") for m in doc.iter("meta") if m.get("name") == "robots"] == ["noindex"]
    assert [link.get("href") for link in doc.iter("link") if link.get("rel") == "cms-config-url"] == \
        ["/admin/config.yml"]
    assert (out / bundle.MAIN).read_text() == "window.CMS = {};\n"
    assert (out / "12.decap-cms.js").is_file()
    assert "registerPreviewStyle(\"/static/style.css\")" in (out / admin.SETUP_SCRIPT).read_text(encoding="utf-8")
    config = yaml.safe_load((out / admin.CONFIG_FILE).read_text(encoding="utf-8"))
    assert config["backend"]["repo"] == "example/site"
    assert not [p for p in report.warnings if p.field == "cms"]
    assert b"/admin/" not in (tmp_path / "out" / "sitemap.xml").read_bytes()


def test_without_the_program_admin_says_how_to_get_it_with_one_warning(tmp_path, monkeypatch):
    root = write_site(tmp_path / "site", EVENT, CMS_SITE_YAML)
    monkeypatch.setattr(bundle, "bundle_folder", lambda project: None)
    problems: list = []
    files = admin.admin_files(root, load_config(root / "site.yaml"), {}, {}, problems)
    assert sorted(f.path for f in files) == ["admin/config.yml", "admin/index.html"]
    page = next(f.data for f in files if f.path == "admin/index.html")
    assert scripts(page) == [] and b"./dev site" in page
    assert [(p.severity, p.field) for p in problems] == [("warning", "cms")]
    assert "./dev site" in problems[0].hint


def tarball(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def integrity(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


class Response(io.BytesIO):
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def test_fetch_keeps_only_the_browser_files_of_a_tarball_that_matches(tmp_path, monkeypatch):
    data = tarball({"package/dist/decap-cms.js": b"main", "package/dist/7.decap-cms.js": b"chunk",
                    "package/dist/decap-cms.js.map": b"map", "package/dist/7.cms.js": b"other build",
                    "package/dist/ab12.wasm": b"wasm", "package/package.json": b"{}"})
    monkeypatch.setattr(bundle, "INTEGRITY", integrity(data))
    target = bundle.fetch(tmp_path, opener=lambda url, timeout: Response(data))
    assert sorted(p.name for p in target.iterdir()) == ["7.decap-cms.js", "ab12.wasm", "decap-cms.js"]
    assert target == tmp_path / bundle.FOLDER


def test_fetch_refuses_a_tarball_that_does_not_match_the_pin(tmp_path, monkeypatch):
    data = tarball({"package/dist/decap-cms.js": b"tampered"})
    monkeypatch.setattr(bundle, "INTEGRITY", integrity(b"the real tarball"))
    with pytest.raises(ValueError, match="does not match the pinned integrity"):
        bundle.fetch(tmp_path, opener=lambda url, timeout: Response(data))
    assert not (tmp_path / bundle.FOLDER).exists()


def test_the_pin_is_npms_integrity_of_the_registry_tarball():
    assert bundle.TARBALL == f"https://registry.npmjs.org/decap-cms/-/decap-cms-{bundle.VERSION}.tgz"
    assert bundle.INTEGRITY.startswith("sha512-") and len(base64.b64decode(bundle.INTEGRITY[7:])) == 64
    assert bundle.matches_integrity(b"x", integrity(b"x")) and not bundle.matches_integrity(b"y", integrity(b"x"))
