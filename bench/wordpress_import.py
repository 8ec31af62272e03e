"""Peak memory and time of `rethink import wordpress` on generated exports (default 10 MB and 100 MB).

Writes a deterministic WXR 1.2 export of about the asked size into bench/work/ (posts in the classic editor's
blank-line paragraphs with lists, links to other posts, captioned images and galleries; a share of them events
with The Events Calendar's meta; pages; attachments; comments), imports each into a fresh site in a child
process and prints the child's peak RSS (ru_maxrss) and wall time. Bounded memory means the peak grows far
less than the export:  python bench/wordpress_import.py --sizes 10 100
"""

from __future__ import annotations

import argparse
import random
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

WORK = Path(__file__).resolve().parent / "work" / "wordpress"
WORDS = ("council services community local public health care families design data people place budget "
         "partnership neighbourhood digital innovation housing transport evidence outcomes prevention volunteers "
         "officers managers residents demand change shared learning approach integrated commissioning").split()
HEAD = """<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wfw="http://wellformedweb.org/CommentAPI/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
<title>Generated blog</title><link>https://bench.example.org</link>
<wp:wxr_version>1.2</wp:wxr_version><wp:base_blog_url>https://bench.example.org</wp:base_blog_url>
<wp:author><wp:author_login><![CDATA[editor]]></wp:author_login><wp:author_display_name><![CDATA[An Editor]]></wp:author_display_name></wp:author>
<wp:author><wp:author_login><![CDATA[writer]]></wp:author_login><wp:author_display_name><![CDATA[A Writer]]></wp:author_display_name></wp:author>
"""


def words(rng: random.Random, n: int) -> str:
    """n words of filler text."""
    return " ".join(rng.choice(WORDS) for _ in range(n))


def body(rng: random.Random, number: int) -> str:
    """One post's HTML, as the classic editor stores it."""
    parts = [words(rng, 60).capitalize() + "." for _ in range(rng.randint(6, 14))]
    parts.insert(2, "<h2>" + words(rng, 4).capitalize() + "</h2>")
    parts.insert(3, "<ul>\n" + "".join(f"\t<li>{words(rng, 6)}</li>\n" for _ in range(4)) + "</ul>")
    if number:
        parts.append(f'See <a href="https://bench.example.org/2014/01/01/post-{rng.randrange(number)}/">an earlier '
                     "post</a>.")
    parts.append(f'[caption id="attachment_{number}" width="300"]<img src="https://bench.example.org/wp-content/'
                 f'uploads/2014/01/photo-{number}-300x200.jpg" alt="" /> {words(rng, 5)}[/caption]')
    if number % 7 == 0:
        parts.append('[gallery ids="1,2,3"]')
    return "\n\n".join(parts)


def item(rng: random.Random, number: int) -> str:
    """One <item>: a post (every fifth an event), a page now and then, or an attachment."""
    kind = "page" if number % 50 == 0 else "post"
    category = "Events" if number % 5 == 0 else "News"
    meta = ""
    if category == "Events":
        meta = ("<wp:postmeta><wp:meta_key>_EventStartDate</wp:meta_key><wp:meta_value>2014-06-20 10:00:00"
                "</wp:meta_value></wp:postmeta><wp:postmeta><wp:meta_key>_EventEndDate</wp:meta_key>"
                "<wp:meta_value>2014-06-20 12:00:00</wp:meta_value></wp:postmeta>")
    comment = "<wp:comment><wp:comment_content><![CDATA[Thanks.]]></wp:comment_content></wp:comment>" * (number % 3)
    post = f"""<item><title>Post {number}: {words(rng, 5)}</title>
<link>https://bench.example.org/2014/01/01/post-{number}/</link><dc:creator><![CDATA[{rng.choice(("editor", "writer"))}]]></dc:creator>
<guid isPermaLink="false">https://bench.example.org/?p={number + 10}</guid>
<content:encoded><![CDATA[{body(rng, number)}]]></content:encoded><excerpt:encoded><![CDATA[{words(rng, 12)}]]></excerpt:encoded>
<wp:post_id>{number + 10}</wp:post_id><wp:post_date>2014-01-01 10:00:00</wp:post_date>
<wp:post_date_gmt>2014-01-01 10:00:00</wp:post_date_gmt><wp:post_name>post-{number}</wp:post_name>
<wp:status>publish</wp:status><wp:post_parent>0</wp:post_parent><wp:post_type>{kind}</wp:post_type>
<category domain="category" nicename="{category.lower()}"><![CDATA[{category}]]></category>
<category domain="post_tag" nicename="t{number % 30}"><![CDATA[topic {number % 30}]]></category>{meta}{comment}</item>
"""
    attachment = f"""<item><title>photo {number}</title><link>https://bench.example.org/photo-{number}/</link>
<wp:post_id>{number + 10_000_000}</wp:post_id><wp:post_type>attachment</wp:post_type><wp:status>inherit</wp:status>
<wp:post_parent>{number + 10}</wp:post_parent>
<wp:attachment_url>https://bench.example.org/wp-content/uploads/2014/01/photo-{number}.jpg</wp:attachment_url>
<wp:postmeta><wp:meta_key>_wp_attachment_image_alt</wp:meta_key><wp:meta_value>Photo {number}</wp:meta_value></wp:postmeta>
</item>
"""
    return post + attachment


def generate(path: Path, megabytes: int, seed: int = 14) -> int:
    """Write an export of about this many megabytes; the number of posts in it."""
    rng = random.Random(seed)
    target = megabytes * 1_000_000
    path.parent.mkdir(parents=True, exist_ok=True)
    written, number = 0, 0
    with path.open("w", encoding="utf-8") as out:
        written += out.write(HEAD)
        while written < target:
            written += out.write(item(rng, number))
            number += 1
        out.write("</channel>\n</rss>\n")
    return number


def measure(export: Path) -> tuple[float, float]:
    """Import the export into a fresh site in a child process: (peak RSS in MB, wall seconds)."""
    site = WORK / f"site-{export.stem}"
    shutil.rmtree(site, ignore_errors=True)
    site.mkdir(parents=True)
    (site / "site.yaml").write_text("title: Bench\nbase_url: https://example.org/\n", encoding="utf-8")
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "reThink_site", "import", "wordpress", str(export), "--site", str(site),
                    "--events-category", "Events"], check=True, stdout=subprocess.DEVNULL)
    elapsed = time.perf_counter() - started
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, elapsed


def main() -> None:
    """Generate each size, import it in its own child, print one row per size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100], help="export sizes in MB")
    args = parser.parse_args()
    print("| export | posts | peak RSS of the import | wall time |\n| --- | --- | --- | --- |")
    for size in args.sizes:
        export = WORK / f"export-{size}mb.xml"
        posts = generate(export, size)
        # each size in a fresh interpreter, so ru_maxrss (the largest child so far) belongs to this size alone
        code = ("import sys; sys.path.insert(0, %r); import wordpress_import as w; from pathlib import Path; "
                "print(*w.measure(Path(%r)))" % (str(Path(__file__).parent), str(export)))
        peak, elapsed = map(float, subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                                                  text=True).stdout.split())
        print(f"| {export.stat().st_size / 1e6:.0f} MB | {posts} | {peak:.0f} MB | {elapsed:.1f} s |", flush=True)


if __name__ == "__main__":
    main()
