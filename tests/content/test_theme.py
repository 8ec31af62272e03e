"""site.yaml's theme: section: what it puts on every page, and how a mistake in it is reported."""

from __future__ import annotations

import html5lib
import pytest

from reThink_site.core.errors import ContentErrors
from tests.helpers import MINIMAL_SITE_YAML

PAGE = "---\ntitle: Privacy notice\nslug: privacy\n---\nWhat we keep.\n"
LOGO = '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"><title>Logo</title></svg>'
THEME = """\
contact_email: team@example.org
theme:
  logo: /assets/logo.svg
  organisation: Example Network
  footer_text: A space for officers to think together.
  privacy_page: /privacy/
  privacy_text: This site sets no cookies.
  menu:
    - {title: Subscribe, url: /subscribe/}
    - {title: Elsewhere, url: "https://elsewhere.example/"}
  footer_links:
    - {title: Our older site, url: "https://old.example/"}
"""


def parse(path):
    return html5lib.parse(path.read_bytes(), namespaceHTMLElements=False)


def text(element) -> str:
    return " ".join("".join(element.itertext()).split())


@pytest.fixture
def themed(make_site, build_site_at):
    root = make_site({"content/pages/privacy.md": PAGE, "content/assets/logo.svg": LOGO,
                      "content/pages/accessibility.md": "---\ntitle: Accessibility statement\n---\nHow.\n"},
                     MINIMAL_SITE_YAML + THEME)
    build_site_at(root)
    return root / "output"


def test_the_theme_settings_reach_every_page(themed):
    for page in ("index.html", "privacy/index.html", "events/index.html"):
        doc = parse(themed / page)
        logo = doc.find(".//header//a[@class='site-title']/img")
        assert logo is not None and logo.get("src") == "/assets/logo.svg" and logo.get("alt") == "Test reThink"
        menus = doc.findall(".//header//nav")
        assert len(menus) == 2  # the phone's disclosure and the desktop row; CSS shows one of them
        for nav in menus:
            links = {text(a): a.get("href") for a in nav.iter("a")}
            assert links["Subscribe"] == "/subscribe/" and links["Elsewhere"] == "https://elsewhere.example/"
            assert list(links)[:2] == ["Events", "Calendar"]  # the theme's links come after the sections
        assert doc.find(".//header//details/summary") is not None
        footer = doc.find(".//footer")
        words = text(footer)
        assert "A space for officers to think together." in words
        assert "Test reThink is run by Example Network." in words
        assert "This site sets no cookies." in words
        links = {text(a): a.get("href") for a in footer.iter("a")}
        assert links["team@example.org"] == "mailto:team@example.org"
        assert links["Privacy notice"] == "/privacy/" and links["Read the privacy notice"] == "/privacy/"
        assert links["Accessibility statement"] == "/accessibility/"
        assert links["Our older site"] == "https://old.example/"


def test_without_a_theme_section_the_parts_it_would_fill_are_left_out(make_site, build_site_at):
    root = make_site({"content/pages/about.md": "---\ntitle: About\n---\nHello.\n"})
    build_site_at(root)
    doc = parse(root / "output" / "index.html")
    assert doc.find(".//header//a[@class='site-title']/img") is None
    assert text(doc.find(".//header//a[@class='site-title']")) == "Test reThink"
    words = text(doc.find(".//footer"))
    assert "is run by" not in words and "Privacy notice" not in words and "Contact us" not in words
    assert "Accessibility statement" not in words  # the default /accessibility/ is linked only when it exists
    assert "A test site." in words  # the description stands in for footer_text


@pytest.mark.parametrize("setting, field, found", [
    ("  logo: /assets/missing.svg\n", "theme.logo", "'/assets/missing.svg'"),
    ("  privacy_page: /privacy-policy/\n", "theme.privacy_page", "'/privacy-policy/'"),
    ("  menu:\n    - {title: Join, url: /join/}\n", "theme.menu.0.url", "'/join/'"),
])
def test_a_theme_path_the_build_does_not_make_is_an_error_with_its_line(make_site, build_site_at, setting, field,
                                                                        found):
    root = make_site({"content/pages/privacy.md": PAGE}, MINIMAL_SITE_YAML + "theme:\n" + setting)
    with pytest.raises(ContentErrors) as caught:
        build_site_at(root)
    problems = [p for p in caught.value.problems if p.path == "site.yaml"]
    assert len(problems) == 1, caught.value.problems
    problem = problems[0]
    assert problem.field == field and found in problem.message and "produces" in problem.message
    assert problem.line == MINIMAL_SITE_YAML.count("\n") + 1 + setting.count("\n")
    assert not (root / "output").exists()


@pytest.mark.parametrize("setting, field", [
    ("  logo: https://elsewhere.example/logo.png\n", "theme.logo"),
    ("  logo: images/logo.svg\n", "theme.logo"),
    ("  footer_links:\n    - {title: Bad, url: 'javascript:alert(1)'}\n", "theme.footer_links.0.url"),
    ("  contact_email: not an address\n", "theme.contact_email"),
    ("  colour: teal\n", "theme.colour"),
])
def test_a_bad_theme_value_names_the_setting(make_site, build_site_at, setting, field):
    root = make_site({}, MINIMAL_SITE_YAML + "theme:\n" + setting)
    with pytest.raises(ContentErrors) as caught:
        build_site_at(root)
    fields = [p.field for p in caught.value.problems]
    assert field in fields, caught.value.problems
    message = next(p.message for p in caught.value.problems if p.field == field)
    assert "Input should" not in message and "pydantic" not in message
