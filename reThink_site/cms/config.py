"""The CMS configuration (Decap's config.yml), made from the content models and site.yaml, never by hand."""

from __future__ import annotations

from types import MappingProxyType
from typing import Any, Mapping, Optional

import yaml

from reThink_site.cms.fields import DATE_FORMAT, Widget, model_fields
from reThink_site.content.config import SiteConfig
from reThink_site.content.models import KINDS, Content, Person
from reThink_site.core.urls import base_path, slug_from_filename

NOT_IN_FORMS = frozenset({"source_path", "body_line"})  # the loader sets these, no editor does
FILLED_BY_THE_SITE = frozenset({"slug"})  # left empty, the file name gives it (as `rethink new` makes it)
LABELS = MappingProxyType({"events": ("Events", "Event"), "summaries": ("Discussion summaries", "Summary"),
                           "insights": ("Insights", "Insight"), "newsletters": ("Newsletter issues", "Issue"),
                           "pages": ("Pages", "Page")})
FEATURABLE = ("events", "summaries", "insights")  # what a newsletter's `featured` may name
WHEN_FIELDS = ("start", "date")  # the field whose day starts the file name, as `rethink new` names it


def people_options(people: Mapping[str, Person]) -> list[dict]:
    """people.yaml as choices: the id is stored, the name and organisation shown."""
    return [{"label": ", ".join(filter(None, [p.name, p.organisation])), "value": key}
            for key, p in sorted(people.items(), key=lambda item: item[1].name.lower())]


def post_options(items: Mapping[str, tuple[Content, ...]]) -> list[dict]:
    """Every event, summary and insight as `kind/slug` choices, as `featured` names them."""
    return [{"label": f"{LABELS[kind][1]}: {item.title}", "value": f"{kind}/{item.slug}"}
            for kind in FEATURABLE for item in sorted(items.get(kind, ()), key=lambda i: i.source_path)]


def venue_options(venues: Mapping[str, Any]) -> list[dict]:
    """venues.yaml as choices: the id is stored, the name and town shown."""
    return [{"label": ", ".join(filter(None, [v.name, getattr(v, "town", None)])), "value": key}
            for key, v in sorted(venues.items(), key=lambda item: item[1].name.lower())]


def relation_widget(people: Mapping[str, Person], items: Mapping[str, tuple[Content, ...]],
                    venues: Mapping[str, Any] = MappingProxyType({})):
    """The widget for each named relation: people.yaml, venues.yaml and posts as choices, events as a live one."""

    def widget(name: str, many: bool) -> Optional[Widget]:
        if name == "events":
            return {"widget": "relation", "collection": "events", "value_field": "{{slug}}",
                    "search_fields": ["title"], "display_fields": ["title"], "multiple": many}
        options = {"people": people_options(people), "posts": post_options(items),
                   "venues": venue_options(venues)}.get(name)
        if options is None:
            return None
        if not options:  # a select needs choices; until there are some, the value is typed
            return {"widget": "list"} if many else {"widget": "string"}
        return {"widget": "select", "options": options, "multiple": many}

    return widget


def file_name_template(kind: str, model: type[Content]) -> str:
    """`{{start | date('YYYY-MM-DD')}}-{{slug}}`: the day first, as `rethink new` names files; pages by title."""
    when = next((name for name in WHEN_FIELDS if name in model.model_fields), None)
    return "{{%s | date('%s')}}-{{slug}}" % (when, DATE_FORMAT) if when else "{{slug}}"


def collection(kind: str, model: type[Content], config: SiteConfig, relation) -> dict:
    """One folder collection: a kind's folder, its form, and how new files are named."""
    plural, singular = LABELS.get(kind, (kind.title(), kind.title()))
    fields = model_fields(model, relation, skip=NOT_IN_FORMS, optional=FILLED_BY_THE_SITE)
    when = next((name for name in WHEN_FIELDS if name in model.model_fields), None)
    found = {"name": kind, "label": plural, "label_singular": singular,
             "folder": f"{config.content_dir}/{kind}", "create": True, "extension": "md", "format": "frontmatter",
             "slug": file_name_template(kind, model), "identifier_field": "title",
             "summary": "{{title}}" + (" · {{%s | date('D MMM YYYY')}}" % when if when else ""),
             "preview_path": preview_path(kind), "fields": fields}
    if when:
        found["sortable_fields"] = [when, "title"]
    return found


def preview_path(kind: str) -> str:
    """Where the published page of an entry is, for the CMS's "view live" link."""
    sample = slug_from_filename(kind, "2015-01-01-x")
    section = {"events": "events", "summaries": "summaries", "insights": "insights",
               "newsletters": "newsletters", "pages": ""}.get(kind, kind)
    slug = "{{filename}}" if sample.startswith("2015") else "{{slug}}"
    return f"{section}/{slug}/".lstrip("/")


def backend(config: SiteConfig) -> dict:
    """Where the CMS commits on the web: the GitHub repository and branch site.yaml names."""
    settings = config.cms
    found: dict[str, Any] = {"name": "github", "branch": settings.branch if settings else "main"}
    if settings and settings.repo:
        found["repo"] = settings.repo
    if settings and settings.auth_url:
        found["base_url"] = settings.auth_url
    found["commit_messages"] = {"create": "Add {{collection}} “{{slug}}” (from the CMS)",
                                "update": "Edit {{collection}} “{{slug}}” (from the CMS)",
                                "delete": "Delete {{collection}} “{{slug}}” (from the CMS)"}
    return found


def cms_config(config: SiteConfig, people: Mapping[str, Person], items: Mapping[str, tuple[Content, ...]],
               venues: Mapping[str, Any] = MappingProxyType({})) -> dict:
    """The whole configuration: backend, media folders, one collection per kind."""
    relation = relation_widget(people, items, venues)
    settings = config.cms
    found: dict[str, Any] = {"backend": backend(config)}
    if settings is None or settings.editorial_workflow:
        found["publish_mode"] = "editorial_workflow"
    found.update({
        "site_url": config.base_url, "display_url": config.base_url, "locale": "en",
        "media_folder": f"{config.content_dir}/assets/images", "public_folder": "/assets/images",
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "collections": [collection(kind, model, config, relation) for kind, model in KINDS.items()],
    })
    return found


def config_yaml(found: dict) -> bytes:
    """The configuration as YAML, in the order it was made (the same bytes every build)."""
    head = "# Made by rethink build from the content models and site.yaml; edits here are lost at the next build.\n"
    return (head + yaml.safe_dump(found, sort_keys=False, allow_unicode=True, width=100)).encode("utf-8")


def with_local_backend(text: bytes, api_url: str) -> bytes:
    """The configuration for editing on this computer: files written by the local backend, no pull requests."""
    found = yaml.safe_load(text)
    found.pop("publish_mode", None)  # the local file backend saves straight into content/
    host = api_url.split("//", 1)[-1].split(":", 1)[0]
    found["local_backend"] = {"url": api_url, "allowed_hosts": [host]}
    return config_yaml(found)


def preview_style(config: SiteConfig) -> str:
    """The site's own stylesheet, for the CMS's preview pane."""
    return base_path(config.base_url).rstrip("/") + "/static/style.css"
