"""Renders every published body with the engine site.yaml names, on as many processes as it is given."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Protocol, Sequence

from reThink_site.markdown.base import LinkContext, RenderedBody, Renderer, with_first_paragraph

MapItems = Callable[[Callable, Sequence], list]  # [function(x) for x in items], perhaps on several cores


def map_in_order(function: Callable, items: Sequence) -> list:
    """One process, in order: the plain way to render a list of bodies."""
    return [function(item) for item in items]


class EngineSettings(Protocol):
    """The `markdown:` settings of site.yaml, as far as rendering reads them."""

    engine: str
    raw_html: str


@dataclass(frozen=True)
class BodyJob:
    """One body to render, the file it is from, and the folder its relative links start from."""

    source_path: str
    source_dir: str
    body: str


def make_renderer(engine: str = "commonmark", raw_html: str = "allow") -> Renderer:
    """The engine site.yaml's `markdown.engine` names; only that engine's library is imported."""
    if engine == "python-markdown":
        from reThink_site.markdown.python_markdown import MarkdownRenderer
        return MarkdownRenderer(raw_html)
    from reThink_site.markdown.commonmark import CommonMarkRenderer
    return CommonMarkRenderer(raw_html)


def render_bodies(jobs: Sequence[BodyJob], file_urls: dict[str, str], base: str, settings: EngineSettings,
                  map_items: MapItems = map_in_order) -> list[RenderedBody]:
    """Every body's HTML and link data, with its first paragraph, in job order."""
    renderer = make_renderer(settings.engine, settings.raw_html)

    def render_one(job: BodyJob) -> RenderedBody:
        return with_first_paragraph(renderer.render(job.body, LinkContext(job.source_dir, file_urls, base)))

    return map_items(render_one, list(jobs))
