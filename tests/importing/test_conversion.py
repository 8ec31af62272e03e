"""The pieces of an import on their own: shortcodes, paragraphs, event meta, old addresses, media names."""

from __future__ import annotations

import pytest

from reThink_site.importing.links import asset_name
from reThink_site.importing.plan import event_start, old_alias, old_key, upload_path
from reThink_site.importing.shortcodes import GalleryImage, expand, left_over
from reThink_site.importing.tomarkdown import Rewritten, to_markdown
from reThink_site.importing.wxr import Item


def markdown(html: str, gallery=lambda ids: []) -> str:
    return to_markdown(expand(html, gallery), lambda url: Rewritten(url))[0]


@pytest.mark.parametrize("code, expected", [
    ("[youtube https://www.youtube.com/watch?v=abc]", "[Watch the video: https://www.youtube.com/watch?v=abc]"
                                                      "(https://www.youtube.com/watch?v=abc)"),
    ("[youtube=https://www.youtube.com/watch?v=abc]", "(https://www.youtube.com/watch?v=abc)"),
    ('[video mp4="https://example.org/v.mp4"][/video]', "[Watch the video: https://example.org/v.mp4]"),
    ('[audio src="https://example.org/talk.mp3"]', "[Listen: https://example.org/talk.mp3](https://example.org/talk.mp3)"),
    ("[embed]https://example.org/slides[/embed]", "[See: https://example.org/slides](https://example.org/slides)"),
    ('[caption width="300" caption="Old style"]<img src="/a.png" alt="A" />[/caption]', "![A](/a.png)\n\n*Old style*"),
])
def test_shortcodes_with_a_faithful_form_become_markdown(code, expected):
    assert expected in markdown(code)


def test_a_gallery_without_ids_shows_the_images_the_post_gives_it():
    seen = []

    def gallery(ids):
        seen.append(ids)
        return [GalleryImage("/p1.png", "One"), GalleryImage("/p2.png", "Two")]

    assert markdown('[gallery columns="2"]', gallery) == "![One](/p1.png)\n\n![Two](/p2.png)\n"
    assert seen == [[]]


def test_only_shortcode_like_brackets_are_left_over_to_report():
    assert left_over('[contact-form id="1"] [googlemaps] [/end] and [sic] [1] [a link](x)') == \
        ["contact-form", "googlemaps", "end"]


def test_classic_editor_paragraphs_and_line_breaks():
    assert markdown("One\nstill one\n\nTwo") == "One\\\nstill one\n\nTwo\n"
    assert markdown("<p>Already</p>\n<p>marked up</p>") == "Already\n\nmarked up\n"


def item(**meta) -> Item:
    return Item(post_id=1, meta=tuple(meta.items()))


@pytest.mark.parametrize("meta, start", [
    ({"_EventStartDate": "2014-06-20 09:30:00"}, "2014-06-20 09:30"),
    ({"_EventStartDate": "2014-06-20 00:00:00", "_EventAllDay": "yes"}, "2014-06-20"),
    ({"_event_start_date": "2014-06-20", "_event_start_time": "10:00:00"}, "2014-06-20 10:00"),
    ({"_event_start_date": "2014-06-20", "_event_start_time": "00:00:00", "_event_all_day": "1"}, "2014-06-20"),
    ({"_EventStartDate": "soon"}, ""),
    ({}, ""),
])
def test_event_start_from_the_plugins_meta(meta, start):
    assert event_start(item(**meta)) == start


def test_old_addresses_and_their_aliases():
    hosts = ("old.example.org",)
    assert old_key("https://www.old.example.org/2014/01/a/", hosts) == "/2014/01/a"
    assert old_key("http://old.example.org/?p=12", hosts) == "/?p=12"
    assert old_key("https://elsewhere.example.org/2014/01/a/", hosts) is None
    assert old_alias("https://old.example.org/2014/01/caf%C3%A9/", "/insights/cafe/", set()) == "/2014/01/café/"
    assert old_alias("https://old.example.org/?p=12", "/insights/a/", set()) is None  # a query: the CSV's job
    assert old_alias("https://old.example.org/events/", "/events-page/", set()) is None  # a page the site makes
    assert old_alias("https://old.example.org/a/", "/a/", set()) is None  # the address did not change


def test_media_paths_and_safe_names():
    assert upload_path("https://old.example.org/wp-content/uploads/2014/01/Form%20A.pdf") == "2014/01/Form A.pdf"
    assert upload_path("https://blog.files.wordpress.com/2014/01/p.jpg?w=300") == "2014/01/p.jpg"
    assert upload_path("https://old.example.org/wp-content/uploads/../../etc/passwd") == ""
    assert asset_name("2014/01/DIPS Application Form (final).PDF") == "uploads/2014/01/dips-application-form-final.pdf"


def test_block_editor_figures_and_embeds():
    html = ('<!-- wp:image --><figure class="wp-block-image"><img src="/a.png" alt="An A"/>'
            "<figcaption>The caption</figcaption></figure><!-- /wp:image -->"
            '<p>Watch <iframe title="The talk" src="https://www.youtube.com/embed/x"></iframe></p>')
    assert markdown(html) == ("![An A](/a.png)\n\n*The caption*\n\nWatch\n\n"
                              "[The talk: https://www.youtube.com/embed/x](https://www.youtube.com/embed/x)\n")
