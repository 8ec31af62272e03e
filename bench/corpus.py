"""Writes a deterministic benchmark site (N files, seed) in reThink_site's content format."""

from __future__ import annotations

import argparse
import random
import shutil
from datetime import date, timedelta
from pathlib import Path

WORDS = ("council services community local public health care families design data people place "
         "budget partnership neighbourhood digital innovation housing transport evidence outcomes "
         "prevention volunteers officers managers residents demand change shared learning approach "
         "integrated commissioning frontline leadership wellbeing resilience assets network region").split()
TAGS = [f"topic {i}" for i in range(40)]
PEOPLE = [f"person-{i}" for i in range(60)]
CITIES = ("Manchester", "Salford", "Bolton", "Wigan", "Oldham", "Stockport", "Bury", "Rochdale")

SITE_YAML = """\
title: Benchmark reThink
base_url: "https://example.org/bench/"
description: A generated site for timing builds.
timezone: Europe/London
feed:
  items: 20
"""


def sentence(rng: random.Random, low: int = 8, high: int = 18) -> str:
    """A capitalised run of words ending in a full stop."""
    words = [rng.choice(WORDS) for _ in range(rng.randint(low, high))]
    return " ".join(words).capitalize() + "."


def paragraph(rng: random.Random, words: int) -> tuple[str, int]:
    """About `words` words of prose with some inline Markdown."""
    out, count = [], 0
    while count < words:
        text = sentence(rng)
        if rng.random() < 0.15:
            parts = text.split(" ")
            spot = rng.randrange(1, len(parts) - 1)
            parts[spot] = f"**{parts[spot]}**"
            text = " ".join(parts)
        if rng.random() < 0.1:
            text += f" See [the source](https://example.com/{rng.randint(1, 9999)})."
        out.append(text)
        count += len(text.split())
    return " ".join(out), count


def body(rng: random.Random, words: int) -> str:
    """A Markdown body of about `words` words: paragraphs, headings, lists, a quote."""
    parts, count, section = [], 0, 1
    while count < words:
        roll = rng.random()
        if roll < 0.12:
            parts.append(f"## Part {section}: {rng.choice(WORDS)} {rng.choice(WORDS)}")
            section += 1
        elif roll < 0.22:
            items = [f"- {sentence(rng, 4, 9)}" for _ in range(rng.randint(3, 5))]
            parts.append("\n".join(items))
            count += sum(len(i.split()) for i in items)
        elif roll < 0.27:
            parts.append("> " + sentence(rng))
            count += 12
        else:
            text, n = paragraph(rng, rng.randint(50, 110))
            parts.append(text)
            count += n
    return "\n\n".join(parts) + "\n"


def insight(rng: random.Random, index: int, day: date) -> tuple[str, str]:
    """One insight file: (file name, text)."""
    tags = sorted(set(rng.sample(TAGS, rng.randint(1, 3))))
    title = f"Insight {index}: {sentence(rng, 3, 6).rstrip('.')}"
    text = (f"---\ntitle: \"{title}\"\ndate: {day.isoformat()}\nauthor: {rng.choice(PEOPLE)}\n"
            f"tags: [{', '.join(tags)}]\n---\n" + body(rng, rng.randint(600, 1200)))
    return f"{day.isoformat()}-insight-{index}.md", text


def event(rng: random.Random, index: int, day: date) -> tuple[str, str]:
    """One event file: (file name, text)."""
    tags = sorted(set(rng.sample(TAGS, rng.randint(1, 2))))
    hour = rng.choice((9, 10, 13, 14))
    speakers = sorted(set(rng.sample(PEOPLE, rng.randint(1, 3))))
    text = (f"---\ntitle: \"Event {index}: {sentence(rng, 3, 5).rstrip('.')}\"\n"
            f"start: {day.isoformat()} {hour:02d}:00\nend: {day.isoformat()} {hour + 2:02d}:00\n"
            f"location:\n  name: {rng.choice(CITIES)} Town Hall\n  city: {rng.choice(CITIES)}\n"
            f"series: Series {index % 7}\nhost: iNetwork\nspeakers: [{', '.join(speakers)}]\n"
            f"tags: [{', '.join(tags)}]\n---\n" + body(rng, rng.randint(120, 300)))
    return f"{day.isoformat()}-event-{index}.md", text


def generate(target: Path, count: int, seed: int = 1) -> Path:
    """Write a site of `count` content files under target (replacing it) and return it."""
    rng = random.Random(seed)
    shutil.rmtree(target, ignore_errors=True)
    (target / "content" / "insights").mkdir(parents=True)
    (target / "content" / "events").mkdir(parents=True)
    (target / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    people = "".join(f"{p}:\n  name: Person {p.split('-')[1]}\n  organisation: Council {i % 9}\n"
                     for i, p in enumerate(PEOPLE))
    (target / "content" / "people.yaml").write_text(people, encoding="utf-8")
    start = date(2010, 1, 1)
    for index in range(count):
        day = start + timedelta(days=index * 3650 // max(count, 1))
        if rng.random() < 0.7:
            name, text = insight(rng, index, day)
            folder = "insights"
        else:
            name, text = event(rng, index, day)
            folder = "events"
        (target / "content" / folder / name).write_text(text, encoding="utf-8")
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("target", type=Path)
    parser.add_argument("-n", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    generate(args.target, args.n, args.seed)


if __name__ == "__main__":
    main()
