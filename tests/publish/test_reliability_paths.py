"""Nothing escapes its folder: refused output folders, traversal in slugs, aliases, assets, images, links."""

from __future__ import annotations

from pathlib import Path

import pytest

from reThink_site.core.errors import ContentErrors, SiteError, UsageError
from reThink_site.core.outputs import OutputFile
from reThink_site.core.urls import slugify
from reThink_site.publish import swap, writer
from tests.helpers import tree

EVENT = "---\ntitle: Event\nstart: 2014-01-01 10:00\n{extra}\n---\nHello.\n"


@pytest.mark.parametrize("where", ["project", "parent", "grandparent", "root", "home", "content", "content/events",
                                   "templates", "holds-site-yaml", "holds-content", "file"])
def test_refused_output_folders_leave_everything_alone(where, make_site, build_site_at, monkeypatch, tmp_path):
    site = make_site({"content/events/2014-01-01-a.md": EVENT.format(extra=""),
                      "templates/page.html": "{{ entry.title }}"})
    home = tmp_path / "home"
    (home / "notes").mkdir(parents=True)
    (home / "notes" / "keep.txt").write_text("precious")
    monkeypatch.setenv("HOME", str(home))
    other = tmp_path / "other"
    other.mkdir()
    (other / "keep.txt").write_text("precious")
    output = {"project": site, "parent": site.parent, "grandparent": site.parent.parent, "root": Path("/"),
              "home": home, "content": site / "content", "content/events": site / "content" / "events",
              "templates": site / "templates", "holds-site-yaml": other, "holds-content": other,
              "file": other / "keep.txt"}[where]
    if where == "holds-site-yaml":
        (other / "site.yaml").write_text("title: another site\n")
    if where == "holds-content":
        (other / "content").mkdir()
    before = tree(tmp_path)
    with pytest.raises(UsageError) as caught:
        build_site_at(site, output)
    assert f"refusing to build into {output}" in str(caught.value)
    assert tree(tmp_path) == before
    assert not [p for p in output.parent.iterdir() if p.name.startswith(".rethink-")]


def test_refused_output_folder_gives_exit_code_2_and_no_traceback(make_site, runner):
    from reThink_site.cli import main

    site = make_site({"content/events/2014-01-01-a.md": EVENT.format(extra="")})
    result = runner.invoke(main, ["build", "--site", str(site), "--now", "2015-01-01", "--output", str(site)])
    assert result.exit_code == 2
    assert "refusing to build into" in result.output and "Traceback" not in result.output


def test_writer_refuses_paths_outside_the_output(tmp_path):
    staging = tmp_path / "staging"
    staging.mkdir()
    for bad in ["../escape.html", "/etc/passwd", "a/../../escape.html"]:
        with pytest.raises(UsageError):
            writer.write_tree(staging, [OutputFile(bad, data=b"x")])
    (staging / "link").symlink_to(tmp_path)
    with pytest.raises(UsageError):
        writer.write_tree(staging, [OutputFile("link/escape.html", data=b"x")])
    assert not (tmp_path / "escape.html").exists()


def test_unwritable_name_is_a_clear_error_not_a_traceback(tmp_path):
    with pytest.raises(SiteError, match="cannot write"):
        writer.write_tree(tmp_path, [OutputFile("a" * 300 + "/index.html", data=b"x")])


def test_output_killed_between_fallback_renames_is_put_back(tmp_path):
    """Without renameat2 the swap is two renames; a kill between them leaves only the retired tree."""
    output = tmp_path / "output"
    retired = tmp_path / f"{writer.RETIRED_PREFIX}output-4242"
    retired.mkdir()
    (retired / "index.html").write_text("old site")
    stale = tmp_path / f"{writer.STAGING_PREFIX}output-4243"
    stale.mkdir()
    (stale / "half.html").write_text("half")
    neighbour = tmp_path / f"{writer.STAGING_PREFIX}output-other-1"  # another output's build: not ours
    neighbour.mkdir()
    swap.clean_leftovers(output)
    assert (output / "index.html").read_text() == "old site"
    assert not retired.exists() and not stale.exists() and neighbour.exists()


def test_fallback_publish_without_renameat2(tmp_path, monkeypatch):
    monkeypatch.setattr(swap, "_exchange", lambda a, b: False)
    output = tmp_path / "output"
    for version in ("one", "two"):
        staging = writer.staging_dir(output)
        writer.write_tree(staging, [OutputFile("index.html", data=version.encode())])
        swap.publish_tree(staging, output)
        assert (output / "index.html").read_text() == version
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output"]


def problems_of(make_site, build_site_at, files: dict, **kwargs) -> list[str]:
    site = make_site(files, **kwargs)
    with pytest.raises(ContentErrors) as caught:
        build_site_at(site, site.parent / "out")
    assert not (site.parent / "out").exists()
    return [p.format() for p in caught.value.problems if p.is_error]


TRAVERSAL = ["../../etc/passwd", "/../../etc/passwd", "/assets/../../secret", "C:\\Windows\\win.ini",
             "C:/Windows/win.ini", "c:x", "\\\\server\\share\\x", "//evil.example/x", "javascript:alert(1)",
             " JavaScript:alert(1)", "data:text/html,<script>alert(1)</script>", "vbscript:x", "file:///etc/passwd",
             "/assets/x\\..\\..\\y"]


@pytest.mark.parametrize("value", TRAVERSAL)
@pytest.mark.parametrize("field", ["aliases", "image", "resources", "registration", "slug", "location"])
def test_paths_and_urls_cannot_escape(field, value, make_site, build_site_at):
    quoted = '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    extra = {"aliases": f"aliases: [{quoted}]", "image": f"image: {{src: {quoted}, alt: x}}",
             "resources": f"resources: [{{title: Slides, url: {quoted}}}]", "registration": f"registration: {quoted}",
             "slug": f"slug: {quoted}", "location": f"location: {{name: Hall, url: {quoted}}}"}[field]
    messages = problems_of(make_site, build_site_at, {"content/events/2014-01-01-a.md": EVENT.format(extra=extra)})
    assert any(m.startswith("content/events/2014-01-01-a.md:4: " + field) for m in messages), messages


@pytest.mark.parametrize("name", ["x..\\..\\evil", "C:\\evil", "C:", "-..-", "x.y"])
def test_file_name_cannot_choose_an_output_path(name, make_site, build_site_at, tmp_path):
    """A file name only gives a slug: dots, drive letters and backslashes are folded away, never followed."""
    site = make_site({"content/insights/2014-01-01-fine.md": "---\ntitle: Fine\ndate: 2014-01-01\n---\nx\n"})
    (site / "content" / "insights" / (name + ".md")).write_text("---\ntitle: Odd\ndate: 2014-01-01\n---\nx\n")
    try:
        build_site_at(site, tmp_path / "out")
    except ContentErrors as err:  # a name with no letters or digits gives no slug: reported on the file
        assert any(p.path == f"content/insights/{name}.md" and p.field == "slug" for p in err.problems), err.problems
        return
    finally:
        stray = [p for p in tmp_path.rglob("*.html") if not p.is_relative_to(tmp_path / "out")]
        assert not stray
    slug = slugify(name)
    assert (tmp_path / "out" / "insights" / slug / "index.html").is_file()


@pytest.mark.parametrize("target_kind", ["file", "folder"])
def test_symlinks_out_of_the_project_are_refused(target_kind, make_site, build_site_at, tmp_path):
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "passwords.md").write_text("---\ntitle: Secret\n---\nhunter2\n")
    site = make_site({"content/pages/about.md": "---\ntitle: About\n---\nx\n"})
    if target_kind == "file":
        (site / "content" / "pages" / "leak.md").symlink_to(secret / "passwords.md")
        (site / "content" / "assets").mkdir()
        (site / "content" / "assets" / "leak.txt").symlink_to(secret / "passwords.md")
    else:
        (site / "content" / "pages" / "leak").symlink_to(secret)
        (site / "content" / "assets").mkdir()
        (site / "content" / "assets" / "leak").symlink_to(secret)
    messages = problems_of(make_site, build_site_at, {})
    assert sum("symbolic link points outside the project; refused" in m for m in messages) == 2, messages


def test_symlink_inside_the_project_is_followed(make_site, build_site_at, tmp_path):
    site = make_site({"content/pages/about.md": "---\ntitle: About\n---\nx\n",
                      "content/assets/real.txt": "shared"})
    (site / "content" / "assets" / "alias.txt").symlink_to(site / "content" / "assets" / "real.txt")
    build_site_at(site, tmp_path / "out")
    assert (tmp_path / "out" / "assets" / "alias.txt").read_text() == "shared"


@pytest.mark.parametrize("template", ["../../../etc/passwd", "/etc/passwd", "C:\\x.html"])
def test_template_names_stay_in_the_theme(template, make_site, tmp_path):
    """Jinja's loader refuses names that leave its folders; we check it still does."""
    import jinja2

    from reThink_site.build import BuildOptions, plan
    from reThink_site.render.templates import make_env

    site = make_site({"content/pages/about.md": "---\ntitle: About\n---\nx\n"})
    env = make_env(site, plan(BuildOptions(project=site, now="2015-01-01", search=False)).site)
    with pytest.raises(jinja2.TemplateNotFound):
        env.get_template(template)


def test_folder_of_someone_elses_files_is_refused(make_site, tmp_path):
    from reThink_site.build import BuildOptions, build
    from reThink_site.core.errors import UsageError

    root = make_site({"content/pages/about.md": "---\ntitle: About\n---\nHi.\n"})
    theirs = tmp_path / "notes"
    theirs.mkdir()
    (theirs / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(UsageError, match="did not build"):
        build(BuildOptions(project=root, output=theirs, now="2014-01-01T12:00", search=False))
    assert (theirs / "notes.txt").read_text(encoding="utf-8") == "keep me"
    built = tmp_path / "built"
    build(BuildOptions(project=root, output=built, now="2014-01-01T12:00", search=False))
    build(BuildOptions(project=root, output=built, now="2014-01-02T12:00", search=False, cache=False))
    assert (built / ".rethink-output").is_file() and (built / "about/index.html").is_file()


def test_unwritable_output_path_is_a_message_not_a_traceback(make_site):
    import subprocess
    import sys

    root = make_site({"content/pages/about.md": "---\ntitle: About\n---\nHi.\n"})
    result = subprocess.run([sys.executable, "-m", "reThink_site", "build", "--site", str(root), "--no-search",
                             "--output", str(root / "site.yaml" / "x")], capture_output=True, text=True, timeout=120)
    assert result.returncode in (1, 2) and "Traceback" not in result.stderr
    assert "site.yaml" in result.stderr
