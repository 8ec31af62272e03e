"""What a site's folders hold never crashes a build: links, loops, non-UTF-8 theme files, folders outside.

Links inside the project are followed (files and folders); links out of it, loops (`..`, a link to
itself) and links to nothing are errors naming the link; folder settings must stay inside the project.
A theme error in a worker process reads as cleanly as with `--jobs 1`.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reThink_site.build import BuildOptions, build
from reThink_site.core.errors import ContentErrors, SiteError
from reThink_site.incremental.parallel import fork_map
from tests.helpers import MINIMAL_SITE_YAML, PINNED_NOW, REPO, generate, tree

PAGE = "---\ntitle: About\n---\nHello.\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
ENV = {**os.environ, "PYTHONPATH": str(REPO)}


def cli(site: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "reThink_site", "build", "--site", str(site), "--now", PINNED_NOW,
                           "--no-search", *extra], capture_output=True, text=True, timeout=300, env=ENV)


def messages(caught: pytest.ExceptionInfo) -> list[str]:
    return [p.format() for p in caught.value.problems]


def test_a_binary_file_in_the_sites_theme_folder_builds_with_the_cache(make_site, build_site_at, tmp_path):
    site = make_site({"content/pages/about.md": PAGE, "templates/static/logo.png": PNG,
                      "templates/notes.doc": b"\xd0\xcf\x11\xe0 not utf-8 \xff"})
    for now in (PINNED_NOW, "2015-03-11T12:00"):  # the second build opens the page memo of the first
        build_site_at(site, now=now)
    assert (site / "output" / "static" / "logo.png").read_bytes() == PNG
    (site / "templates" / "static" / "logo.png").write_bytes(PNG + b"\x00")
    build_site_at(site, now="2015-03-12T12:00")
    assert (site / "output" / "static" / "logo.png").read_bytes() == PNG + b"\x00"


@pytest.mark.parametrize("link, target, message", [
    ("content/assets/up", "..", "symbolic link points to a folder it is inside (a loop); refused"),
    ("content/assets/self", "self", "symbolic link loops back on itself; refused"),
    ("content/assets/a/b", "../a", "symbolic link points to a folder it is inside (a loop); refused"),
    ("content/pages/gone.md", "missing.md", "symbolic link points to missing.md, which does not exist; refused"),
    ("content/assets/forms/form.pdf", "../old/form.pdf",
     "symbolic link points to ../old/form.pdf, which does not exist; refused"),
])
@pytest.mark.parametrize("cache", [True, False])
def test_link_loops_and_dangling_links_are_errors_naming_the_link(link, target, message, cache, make_site,
                                                                  build_site_at):
    site = make_site({"content/pages/about.md": PAGE, "content/assets/a/x.txt": "x"})
    (site / link).parent.mkdir(parents=True, exist_ok=True)
    (site / link).symlink_to(target)
    with pytest.raises(ContentErrors) as caught:
        build_site_at(site, cache=cache)
    assert f"{link}:1: {message}" in messages(caught), messages(caught)
    assert not (site / "output").exists()
    result = cli(site)
    assert result.returncode == 1 and "Traceback" not in result.stderr and message in result.stderr, result.stderr


def test_links_inside_the_project_are_followed_to_folders_too(make_site, build_site_at):
    site = make_site({"content/pages/about.md": PAGE, "shared/forms/booking.pdf": "%PDF-1.4 form",
                      "shared/images/map.svg": "<svg/>", "drafts/pages/history.md": "---\ntitle: History\n---\nx\n"})
    (site / "content" / "assets").mkdir()
    (site / "content" / "assets" / "shared").symlink_to(site / "shared")
    (site / "content" / "pages" / "more").symlink_to(Path("..") / ".." / "drafts" / "pages")
    for now in (PINNED_NOW, "2015-03-11T12:00"):
        build_site_at(site, now=now)
    output = site / "output"
    assert (output / "assets" / "shared" / "forms" / "booking.pdf").read_text() == "%PDF-1.4 form"
    assert (output / "assets" / "shared" / "images" / "map.svg").is_file()
    assert (output / "history" / "index.html").is_file()


@pytest.mark.parametrize("setting", ["content_dir: ../elsewhere", "content_dir: /etc", "templates_dir: ../theme",
                                     "output_dir: ../public", "content_dir: 'C:\\content'",
                                     "templates_dir: '~/theme'", "content_dir: content/../../elsewhere"])
def test_folder_settings_must_stay_inside_the_project(setting, make_site, tmp_path):
    elsewhere = tmp_path / "elsewhere" / "pages"
    elsewhere.mkdir(parents=True)
    (elsewhere / "secret.md").write_text("---\ntitle: Secret\n---\nNot for the site.\n", encoding="utf-8")
    site = make_site({"content/pages/about.md": PAGE}, MINIMAL_SITE_YAML + setting + "\n")
    before = tree(tmp_path / "elsewhere")
    with pytest.raises(ContentErrors) as caught:
        build(BuildOptions(project=site, now=PINNED_NOW, jobs=1, search=False))
    key = setting.split(":")[0]
    assert any(m.startswith(f"site.yaml:4: {key}: expected a folder inside the project") for m in messages(caught))
    assert tree(tmp_path / "elsewhere") == before and not (tmp_path / "public").exists()


@pytest.mark.parametrize("key", ["content_dir", "templates_dir"])
def test_a_folder_setting_leading_out_through_a_link_is_refused(key, make_site, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "pages").mkdir(parents=True)
    (elsewhere / "pages" / "secret.md").write_text("---\ntitle: Secret\n---\nNot for the site.\n")
    site = make_site({"content/pages/about.md": PAGE}, MINIMAL_SITE_YAML + f"{key}: linked\n")
    (site / "linked").symlink_to(elsewhere)
    with pytest.raises(ContentErrors) as caught:
        build(BuildOptions(project=site, now=PINNED_NOW, jobs=1, search=False))
    assert any(m.startswith(f"site.yaml:4: {key}: the folder linked leads out of the project") for m in
               messages(caught)), messages(caught)
    assert not (site / "output").exists()


def test_a_site_error_in_a_worker_process_is_raised_as_itself():
    parent = os.getpid()

    def render(item: int) -> int:
        if os.getpid() == parent:
            time.sleep(0.02)  # the parent works too: slowly, so the worker takes batches of its own
        elif item % 7 == 0:
            raise SiteError(f"templates/insight.html:3: template failed: ZeroDivisionError (item {item})")
        return item

    with pytest.raises(SiteError, match=r"^templates/insight.html:3: template failed") as caught:
        fork_map(render, list(range(400)), jobs=2, min_per_worker=1)
    assert type(caught.value) is SiteError and "a build worker failed" not in str(caught.value)

    def load(item: int) -> int:
        if os.getpid() == parent:
            time.sleep(0.02)
        else:
            raise ContentErrors([])
        return item

    with pytest.raises(ContentErrors) as whole:
        fork_map(load, list(range(400)), jobs=2, min_per_worker=1)
    assert whole.value.problems == ()


def test_a_theme_error_with_many_jobs_reads_as_with_one(tmp_path):
    site = generate(tmp_path / "big", 400, seed=3)
    (site / "templates").mkdir()
    (site / "templates" / "insight.html").write_text("{% extends 'base.html' %}{% block content %}{{ 1 // 0 }}"
                                                     "{% endblock %}", encoding="utf-8")
    outputs = {jobs: cli(site, "--jobs", jobs, "--no-cache") for jobs in ("1", "2")}
    for jobs, result in outputs.items():
        assert result.returncode == 1, (jobs, result.stderr)
        assert "Traceback" not in result.stderr and "worker" not in result.stderr, (jobs, result.stderr)
        assert "templates/insight.html:1: template failed: ZeroDivisionError" in result.stderr, result.stderr
