"""`rethink check` on translations: each mistake named with its file, line and field, in the editor's words."""

from __future__ import annotations

from click.testing import CliRunner

from reThink_site.cli import main
from reThink_site.content.config import read_config
from reThink_site.core.errors import ContentErrors

SITE = """\
title: Test reThink
base_url: https://example.org/
languages: [en-GB, cy]
"""
EVENT = """\
---
title: Council session
start: 2015-02-27 10:00
location: Example Hall
---
A morning session.
"""
PAGE = "---\ntitle: About\n---\nAbout us.\n"


def check(make_site, files: dict[str, str], site_yaml: str = SITE, *args: str) -> tuple[int, list[str]]:
    """Run `rethink check` on a small site: its exit code and its report's lines."""
    root = make_site(files, site_yaml)
    result = CliRunner().invoke(main, ["check", "--site", str(root), "--now", "2015-01-01T12:00", *args])
    return result.exit_code, result.output.splitlines()


def test_a_complete_translation_checks_clean(make_site):
    code, lines = check(make_site, {"content/events/2015-02-27-session.md": EVENT,
                                    "content/events/2015-02-27-session.cy.md": "---\ntitle: Sesiwn\n---\nBore.\n"})
    assert code == 0 and not any("events/2015-02-27-session" in line for line in lines), lines


def test_a_fact_in_a_translation_is_an_error_on_its_line(make_site):
    code, lines = check(make_site, {"content/events/2015-02-27-session.md": EVENT,
                                    "content/events/2015-02-27-session.cy.md":
                                    "---\ntitle: Sesiwn\nstart: 2015-02-28 10:00\n---\nBore.\n"})
    assert code == 1
    found = [line for line in lines if line.startswith("content/events/2015-02-27-session.cy.md:3:")]
    assert found and "start" in found[0] and "in words" in found[0]
    assert "content/events/2015-02-27-session.md" in found[0]  # where the fact is written


def test_a_translation_of_a_file_that_does_not_exist_is_an_error(make_site):
    code, lines = check(make_site, {"content/pages/about.md": PAGE,
                                    "content/pages/abut.cy.md": "---\ntitle: Amdanom ni\n---\nAm.\n"})
    assert code == 1
    assert any(line.startswith("content/pages/abut.cy.md:1:") and "lang" in line and "content/pages/abut.md" in line
               and "does not exist" in line for line in lines), lines


def test_a_language_site_yaml_does_not_list_is_an_error(make_site):
    code, lines = check(make_site, {"content/pages/about.md": PAGE,
                                    "content/pages/about.cy.md": "---\ntitle: Amdanom ni\n---\nAm.\n",
                                    "content/pages/about.fr.md": "---\ntitle: À propos\n---\nÀ propos.\n"})
    assert code == 1
    assert any(line.startswith("content/pages/about.fr.md:1:") and "fr" in line and "site.yaml" in line
               for line in lines), lines


def test_lang_must_agree_with_the_file_name(make_site):
    code, lines = check(make_site, {"content/pages/about.md": PAGE,
                                    "content/pages/about.cy.md": "---\ntitle: Amdanom ni\nlang: fr\n---\nAm.\n"})
    assert code == 1
    assert any(line.startswith("content/pages/about.cy.md:3:") and "lang" in line and "'fr'" in line
               for line in lines), lines


def test_two_files_claiming_one_language_for_one_item_are_an_error(make_site):
    code, lines = check(make_site, {"content/pages/about.md": "---\ntitle: About\nlang: cy\n---\nAbout us.\n",
                                    "content/pages/about.cy.md": "---\ntitle: Amdanom ni\n---\nAm.\n",
                                    "content/pages/team.md": "---\ntitle: Team\n---\nUs.\n",
                                    "content/pages/team.cy.md": "---\ntitle: Tîm\n---\nNi.\n",
                                    "content/pages/team.CY.md": "---\ntitle: Y tîm\n---\nNi.\n"})
    assert code == 1
    assert any(line.startswith("content/pages/about.md:3:") and "lang" in line for line in lines), lines
    assert any(line.startswith("content/pages/team.cy.md:1:") and "two files claim cy" in line
               and "team.CY.md" in line for line in lines), lines


def test_a_missing_translation_is_one_warning_per_item_unless_required(make_site):
    files = {"content/pages/about.md": PAGE, "content/events/2015-02-27-session.md": EVENT}
    code, lines = check(make_site, files)
    warned = [line for line in lines if "not translated into Cymraeg (cy)" in line]
    assert code == 0 and len(warned) == 2 and all(": warning: " in line for line in warned), lines
    code, lines = check(make_site, files, SITE + "require_translations: {pages: [cy]}\n")
    assert code == 1
    assert any(line.startswith("content/pages/about.md:1:") and ": warning: " not in line
               and "require_translations" in line for line in lines), lines
    assert any("2015-02-27-session.md" in line and ": warning: " in line for line in lines)
    code, lines = check(make_site, files, SITE + "require_translations: [cy]\n")
    assert code == 1 and sum("require_translations" in line for line in lines) == 2


def test_a_translation_gives_resource_titles_in_order(make_site):
    event = EVENT.replace("---\nA", "resources:\n  - title: Slides\n    url: /slides.pdf\n---\nA")
    code, lines = check(make_site, {"content/events/2015-02-27-session.md": event,
                                    "content/events/2015-02-27-session.cy.md":
                                    "---\ntitle: Sesiwn\nresources:\n  - Sleidiau\n  - Un arall\n---\nBore.\n"})
    assert code == 1
    assert any(line.startswith("content/events/2015-02-27-session.cy.md:3:") and "resources" in line
               and "1 resources" in line for line in lines), lines


def test_language_settings_are_checked_with_their_line(tmp_path):
    cases = {"languages: [en-GB, cymraeg]\n": ("languages", 3), "languages: [en-GB, cy, cy]\n": ("languages", 3),
             "language: cy\nlanguages: [en-GB, cy]\n": ("language", 3),
             "languages: [en-GB, cy]\ntranslations: {fr: {title: Site}}\n": ("translations", 4),
             "languages: [en-GB, cy]\nrequire_translations: [fr]\n": ("require_translations", 4),
             "languages: [en-GB, cy]\nrequire_translations: {posts: [cy]}\n": ("require_translations", 4)}
    for extra, (field, line) in cases.items():
        path = tmp_path / "site.yaml"
        path.write_text("title: T\nbase_url: https://example.org/\n" + extra, encoding="utf-8")
        try:
            read_config(path)
        except ContentErrors as err:
            assert [p.field for p in err.problems] == [field], extra
            assert err.problems[0].line == line, extra
        else:
            raise AssertionError(f"accepted {extra!r}")


def test_a_page_may_not_take_a_languages_folder(make_site):
    code, lines = check(make_site, {"content/pages/cy.md": PAGE})
    assert code == 1 and any(line.startswith("content/pages/cy.md:1:") and "slug" in line for line in lines), lines
