"""`rethink import wordpress` on a realistic export: the files, their front matter, the old addresses, a build."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import frontmatter
import html5lib
import yaml
from click.testing import CliRunner

from reThink_site.cli import main
from tests.helpers import WORDPRESS_EXPORT as EXPORT
from tests.helpers import WORDPRESS_UPLOADS as UPLOADS
from tests.helpers import tree

EVENTS = {
    "2014-01-08-briefing-design-in-public-services": "/2013/12/16/briefing-design-in-public-services/",
    "2014-01-15-redefining-local-public-services": "/2013/12/20/redefining-local-public-services/",
    "2014-01-20-making-savings": "/2014/01/20/making-savings/",
    "2014-03-27-innovation-at-monmouthshire": "/2014/02/24/innovation-at-monmouthshire/",
    "2014-06-20-using-public-assets": "/2014/05/30/using-public-assets/",
}
OLD = "https://inetworkevents.wordpress.com"
TODO = re.compile(r"^(content/[^:]+):(\d+): (\w+): (.+)$")


def post(site: Path, rel: str) -> frontmatter.Post:
    return frontmatter.loads((site / "content" / rel).read_text(encoding="utf-8"))


def todos(report: str) -> list[tuple[str, int, str, str]]:
    return [(m[1], int(m[2]), m[3], m[4]) for m in map(TODO.match, report.splitlines()) if m]


def test_posts_in_the_events_category_become_events_with_the_plugin_dates_and_venue(imported_site):
    site, _ = imported_site
    assert sorted(p.stem for p in (site / "content/events").glob("*.md")) == sorted(EVENTS)
    briefing = post(site, "events/2014-01-08-briefing-design-in-public-services.md")
    assert briefing["title"] == "Briefing: Design in Public Services"
    assert (str(briefing["start"]), str(briefing["end"])) == ("2014-01-08 13:00", "2014-01-08 15:00")
    assert briefing["location"] == {"name": "Manchester", "city": "Manchester"}
    assert briefing["summary"] == "A briefing on the Design Council's Design in Public Services programme."
    assert briefing["tags"] == ["Local reThink", "design"]  # categories and tags; not "Events", not "Uncategorized"
    assert "draft" not in briefing.metadata
    monmouthshire = post(site, "events/2014-03-27-innovation-at-monmouthshire.md")
    assert str(monmouthshire["start"]) == "2014-03-27" and "end" not in monmouthshire.metadata  # all day, one day
    tameside = post(site, "events/2014-01-15-redefining-local-public-services.md")
    assert tameside["location"] == {"name": "Tameside"}


def test_an_event_without_plugin_dates_is_an_event_whose_start_is_the_one_thing_to_do(imported_site):
    site, report = imported_site
    savings = post(site, "events/2014-01-20-making-savings.md")
    assert "start" not in savings.metadata
    assert ("content/events/2014-01-20-making-savings.md", 1, "start") in [t[:3] for t in todos(report)]


def test_posts_pages_authors_and_drafts(imported_site):
    site, _ = imported_site
    worries = post(site, "insights/2014-09-15-two-worries.md")
    assert worries["date"] == "2014-09-15 09:00"  # 08:00 GMT is 09:00 in London's summer time
    assert worries["author"] == "philswan" and worries["tags"] == ["Blog", "innovation"]
    assert worries["summary"] == "Productivity against creativity, and departments deciding alone."
    draft = post(site, "insights/2014-10-01-what-comes-next-for-local-rethink.md")
    assert draft["draft"] is True and "aliases" not in draft.metadata  # a draft had no public address
    about = post(site, "pages/about.md")
    assert about["title"] == "About Local reThink" and "aliases" not in about.metadata  # /about/ stays /about/
    people = yaml.safe_load((site / "content/people.yaml").read_text(encoding="utf-8"))
    assert people == {"philswan": {"name": "Phil Swan"}, "inetwork-events": {"name": "iNetwork events team"}}
    assert "example.org" not in (site / "content/people.yaml").read_text(encoding="utf-8")  # no e-mail addresses
    every_file = " ".join(p.read_text(encoding="utf-8") for p in (site / "content").rglob("*.md"))
    assert "speaker contact list" not in every_file.lower() and "Testing." not in every_file  # private, trash
    assert "For speakers only." not in every_file and "fixture-password" not in every_file  # password-protected


def test_the_report_counts_each_kind_and_what_was_left_out(imported_site):
    _, report = imported_site
    counts = dict((what, int(n)) for n, what in re.findall(r"(\d+) ([a-z_ ()-]+?)(?:,|$)", report.splitlines()[0]))
    assert counts == {"events": 5, "insights": 2, "pages": 1, "drafts (among them)": 1, "new people": 2, "tags": 6,
                      "media files copied": 4, "comments not imported": 3, "nav_menu_item skipped": 1,
                      "password-protected skipped": 1, "private skipped": 1, "trash skipped": 1}


def test_html_becomes_markdown_with_headings_lists_tables_quotes_and_links(imported_site):
    site, _ = imported_site
    briefing = post(site, "events/2014-01-08-briefing-design-in-public-services.md").content
    assert "**Design in Public Services North West**" in briefing and "*4 February 2014*" in briefing
    assert "### Speakers\n\n- Melanie Oliver, The Design Council\n- Phil Swan, iNetwork" in briefing
    assets = post(site, "events/2014-06-20-using-public-assets.md").content
    assert "| Eddie Sutton | Assistant Chief Executive, Lancashire County Council |" in assets
    assert "> Free to iNetwork members, and run under the Chatham House rule." in assets
    about = post(site, "pages/about.md").content
    assert "## Creating space" in about and "1. care of the frail elderly," in about
    assert "[iNetwork@Tameside.gov.uk](mailto:iNetwork@Tameside.gov.uk)" in about


def test_links_to_old_posts_point_at_the_new_pages(imported_site):
    site, _ = imported_site
    tameside = post(site, "events/2014-01-15-redefining-local-public-services.md").content
    assert "(/events/2014-01-08-briefing-design-in-public-services/)" in tameside
    assert "(/events/2014-06-20-using-public-assets/)" in post(site, "insights/2014-09-15-two-worries.md").content
    assert "(/events/2014-03-27-innovation-at-monmouthshire/)" in post(site, "pages/about.md").content  # a ?p= link
    assert "(/about/)" in post(site, "events/2014-06-20-using-public-assets.md").content
    assert "(http://www.matthewtaylorsblog.com/)" in tameside  # other sites' links stay as they were
    worries = post(site, "insights/2014-09-15-two-worries.md").content
    assert "[Local reThink](/tags/local-rethink/)" in worries and "[innovation](/tags/innovation/)" in worries
    assert "[Phil Swan](/people/philswan/)" in worries  # archives of a category, a tag, an author


def test_shortcodes_become_a_captioned_image_a_gallery_and_a_link_or_are_reported(imported_site):
    site, report = imported_site
    briefing = post(site, "events/2014-01-08-briefing-design-in-public-services.md").content
    # the resized copy in the post is the original in the uploads folder, with the media library's alt text
    assert ("![A slide introducing Design in Public Services North West](/assets/uploads/2014/01/design-briefing.png)"
            "\n\n*The programme in one slide*") in briefing
    monmouthshire = post(site, "events/2014-03-27-innovation-at-monmouthshire.md").content
    assert "(/assets/uploads/2014/02/monmouthshire-1.png)" in monmouthshire
    assert "(/assets/uploads/2014/02/monmouthshire-2.png)" in monmouthshire
    assert "(http://localrethinkmonmouthshire.eventbrite.co.uk)" in monmouthshire
    assert "[gallery" not in monmouthshire and "[embed" not in monmouthshire and "[caption" not in briefing
    rel = "content/events/2014-06-20-using-public-assets.md"
    line = next(n for n, text in enumerate((site / rel).read_text().splitlines(), 1) if "[contact-form-7" in text)
    assert (rel, line, "body") in [t[:3] for t in todos(report)]


def test_media_are_copied_and_what_stays_remote_is_listed(imported_site):
    site, report = imported_site
    copied = sorted(p.relative_to(site / "content/assets").as_posix() for p in (site / "content/assets").rglob("*")
                    if p.is_file())
    assert copied == ["uploads/2014/01/design-briefing.png", "uploads/2014/01/dips-application-form-final.pdf",
                      "uploads/2014/02/monmouthshire-1.png", "uploads/2014/02/monmouthshire-2.png"]
    assert (site / "content/assets/uploads/2014/01/dips-application-form-final.pdf").read_bytes() == \
        (UPLOADS / "2014/01/dips-application-form-final.pdf").read_bytes()
    briefing = post(site, "events/2014-01-08-briefing-design-in-public-services.md").content
    assert "[cohort application form](/assets/uploads/2014/01/dips-application-form-final.pdf)" in briefing
    remote = f"{OLD.replace('inetworkevents.', 'inetworkevents.files.')}/2014/01/design-council-presentation.pdf"
    assert f"  {remote}" in report.splitlines()
    rel = "content/events/2014-01-08-briefing-design-in-public-services.md"
    line = next(n for n, text in enumerate((site / rel).read_text().splitlines(), 1) if remote in text)
    assert (rel, line, "body") in [t[:3] for t in todos(report)]


def test_without_uploads_media_stay_remote_and_are_listed(empty_site, run_import):
    result = run_import(empty_site, uploads=None)
    assert result.exit_code == 0
    assert not (empty_site / "content/assets").exists()
    briefing = post(empty_site, "events/2014-01-08-briefing-design-in-public-services.md").content
    assert "(https://inetworkevents.files.wordpress.com/2014/01/dips-application-form-final.pdf)" in briefing
    assert result.output.count("  https://inetworkevents.files.wordpress.com/") == 5


def test_every_old_permalink_is_an_alias_or_a_row_of_the_redirect_table(imported_site):
    site, _ = imported_site
    for slug, old_path in EVENTS.items():
        assert post(site, f"events/{slug}.md")["aliases"] == [old_path]
    assert post(site, "insights/2014-09-15-two-worries.md")["aliases"] == ["/2014/09/15/two-worries/"]
    with (site / "wordpress-redirects.csv").open(newline="", encoding="utf-8") as table:
        rows = list(csv.DictReader(table))
    redirects = {row["old_url"]: row["new_url"] for row in rows}
    new = "https://localrethink.example.org"
    for slug, old_path in EVENTS.items():
        assert redirects[OLD + old_path] == f"{new}/events/{slug}/"
    assert redirects[f"{OLD}/2014/09/15/two-worries/"] == f"{new}/insights/two-worries/"
    assert redirects[f"{OLD}/about/"] == f"{new}/about/"
    assert redirects[f"{OLD}/?p=104"] == f"{new}/events/2014-03-27-innovation-at-monmouthshire/"
    assert redirects[f"{OLD}/category/local-rethink/"] == f"{new}/tags/local-rethink/"
    assert redirects[f"{OLD}/tag/design/"] == f"{new}/tags/design/"
    assert redirects[f"{OLD}/author/philswan/"] == f"{new}/people/philswan/"
    assert f"{OLD}/category/blog/" in redirects and f"{OLD}/category/events/" not in redirects  # events: no tag
    assert f"{OLD}/?p=130" not in redirects and f"{OLD}/2014/01/02/speaker-contacts/" not in redirects
    assert f"{OLD}/2014/06/13/speakers-briefing-pack/" not in redirects


def test_check_reports_only_the_to_dos_and_after_them_the_site_builds_with_every_alias(imported_site, tmp_path):
    site, report = imported_site
    result = CliRunner().invoke(main, ["check", "--site", str(site), "--format", "json", "--now", "2015-01-01"])
    errors = [(p["path"], p["line"], p["field"]) for p in json.loads(result.output) if p["severity"] == "error"]
    assert errors == [("content/events/2014-01-20-making-savings.md", 1, "start")]
    assert set(errors) <= {t[:3] for t in todos(report)}
    savings = site / "content/events/2014-01-20-making-savings.md"
    savings.write_text(savings.read_text().replace("---\n", "---\nstart: 2014-02-11\n", 1), encoding="utf-8")
    out = tmp_path / "out"
    built = CliRunner().invoke(main, ["build", "--site", str(site), "--output", str(out), "--no-search", "--now",
                                      "2015-01-01", "--jobs", "1"])
    assert built.exit_code == 0, built.output
    for slug, old_path in EVENTS.items():
        page = html5lib.parse((out / old_path.strip("/") / "index.html").read_bytes(), namespaceHTMLElements=False)
        refresh = page.find(".//meta[@http-equiv='refresh']").get("content")
        assert refresh == f"0; url=/events/{slug}/"
    assert (out / "assets/uploads/2014/02/monmouthshire-1.png").is_file()
    assert (out / "people/philswan/index.html").is_file()


def test_importing_again_changes_nothing_and_never_duplicates(imported_site, run_import):
    site, _ = imported_site
    before = tree(site)
    again = run_import(site)
    assert again.exit_code == 0
    assert tree(site) == before
    assert "wrote 0, replaced 0, added to 0, unchanged 14, kept 0" in again.output


def test_an_edited_file_is_kept_unless_forced(imported_site, run_import):
    site, _ = imported_site
    about = site / "content/pages/about.md"
    about.write_text(about.read_text() + "\nAn editor's line.\n", encoding="utf-8")
    kept = run_import(site)
    assert "kept content/pages/about.md" in kept.output and "An editor's line." in about.read_text()
    forced = run_import(site, EXPORT, "--force")
    assert "replaced 1" in forced.output and "An editor's line." not in about.read_text()


def test_existing_people_are_kept_and_new_authors_added_after_them(empty_site, run_import):
    people = empty_site / "content/people.yaml"
    people.parent.mkdir(parents=True)
    people.write_text("# our people\nphilswan:\n  name: Phil Swan\n  role: Director\n", encoding="utf-8")
    assert run_import(empty_site).exit_code == 0
    text = people.read_text(encoding="utf-8")
    assert text.startswith("# our people\nphilswan:\n  name: Phil Swan\n  role: Director\n")
    assert yaml.safe_load(text) == {"philswan": {"name": "Phil Swan", "role": "Director"},
                                    "inetwork-events": {"name": "iNetwork events team"}}


def test_dry_run_lists_what_would_be_written_and_writes_nothing(empty_site, run_import):
    result = run_import(empty_site, EXPORT, "--dry-run")
    assert result.exit_code == 0
    assert tree(empty_site) == {"site.yaml": (empty_site / "site.yaml").read_bytes()}
    assert "  would write content/events/2014-06-20-using-public-assets.md" in result.output.splitlines()
    assert "  would write wordpress-redirects.csv" in result.output.splitlines()


def test_wxr_1_1_reads_the_same(empty_site, run_import, tmp_path):
    older = tmp_path / "wxr11.xml"
    older.write_text(EXPORT.read_text(encoding="utf-8").replace("export/1.2/", "export/1.1/")
                     .replace("<wp:wxr_version>1.2<", "<wp:wxr_version>1.1<"), encoding="utf-8")
    assert run_import(empty_site, older).exit_code == 0
    assert sorted(p.stem for p in (empty_site / "content/events").glob("*.md")) == sorted(EVENTS)


def test_a_self_hosted_export_reads_the_same_with_its_wp_content_uploads(empty_site, run_import, tmp_path):
    hosted = tmp_path / "self-hosted.xml"
    hosted.write_text(EXPORT.read_text(encoding="utf-8")
                      .replace("https://inetworkevents.files.wordpress.com/", "https://www.example.net/wp-content/uploads/")
                      .replace("https://inetworkevents.wordpress.com", "https://www.example.net"), encoding="utf-8")
    assert run_import(empty_site, hosted).exit_code == 0
    briefing = post(empty_site, "events/2014-01-08-briefing-design-in-public-services.md")
    assert briefing["aliases"] == ["/2013/12/16/briefing-design-in-public-services/"]
    assert "(/assets/uploads/2014/01/dips-application-form-final.pdf)" in briefing.content
    assert "(/events/2014-01-08-briefing-design-in-public-services/)" in \
        post(empty_site, "events/2014-01-15-redefining-local-public-services.md").content


def test_an_events_category_the_export_lacks_is_named_in_the_report(empty_site, run_import):
    result = run_import(empty_site, EXPORT, "--dry-run", events=("Events", "Meetups"))
    assert result.exit_code == 0
    assert ("--events-category Meetups: no item of the export is in this category (its categories: Blog, Events, "
            "Local reThink)") in result.output.splitlines()
    assert "--events-category Events" not in result.output
