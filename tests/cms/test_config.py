"""The generated CMS configuration: a form field for every model field, with the widget its type asks for."""

from __future__ import annotations

import typing
from datetime import datetime
from pathlib import Path
from typing import Optional

import pytest
import yaml
from pydantic import Field

from reThink_site.cms import fields
from reThink_site.cms.config import NOT_IN_FORMS, cms_config, config_yaml, with_local_backend
from reThink_site.content.config import load_config
from reThink_site.content.loader import load_content
from reThink_site.content.models import KINDS, Event
from tests.helpers import REPO


@pytest.fixture(scope="module")
def real_site():
    """The real site's settings, people and content."""
    config = load_config(REPO / "site.yaml")
    return config, load_content(REPO, config)


@pytest.fixture(scope="module")
def generated(real_site) -> dict:
    """The configuration as the CMS reads it: generated, written as YAML and parsed back."""
    config, loaded = real_site
    return yaml.safe_load(config_yaml(cms_config(config, loaded.people, loaded.items, loaded.venues)))


def collection(config: dict, name: str) -> dict:
    return next(c for c in config["collections"] if c["name"] == name)


def field(form: list[dict], path: str) -> dict:
    """A form field by its dotted path (`speakers.id`)."""
    head, _, rest = path.partition(".")
    found = next(f for f in form if f["name"] == head)
    return field(found["fields"], rest) if rest else found


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_model_field_has_a_cms_field(generated, kind):
    form = collection(generated, kind)["fields"]
    missing = fields.model_paths(KINDS[kind], skip=NOT_IN_FORMS) - fields.field_names(form)
    assert not missing, f"{kind}: model fields with no CMS field (give their type a widget in cms/fields.py): " \
                        f"{sorted(missing)}"


def test_one_folder_collection_per_kind_in_its_content_folder(generated):
    assert [(c["name"], c["folder"]) for c in generated["collections"]] == \
        [(kind, f"content/{kind}") for kind in KINDS]
    assert all(c["create"] and c["format"] == "frontmatter" and c["extension"] == "md"
               for c in generated["collections"])


def test_widgets_follow_the_field_types(generated):
    events = collection(generated, "events")["fields"]
    start = field(events, "start")
    assert (start["widget"], start["format"], start["required"]) == ("datetime", "YYYY-MM-DD HH:mm", True)
    assert field(events, "status")["widget"] == "select"
    assert field(events, "status")["options"] == list(typing.get_args(Event.model_fields["status"].annotation))
    assert field(events, "status")["options"][:3] == ["scheduled", "cancelled", "postponed"]
    previous = field(events, "previous_start")
    assert (previous["widget"], previous["field"]["widget"]) == ("list", "datetime")
    assert field(events, "status")["default"] == "scheduled"
    assert (field(events, "chatham_house")["widget"], field(events, "chatham_house")["default"]) == ("boolean", False)
    assert field(events, "speakers")["widget"] == "list"
    assert [f["name"] for f in field(events, "speakers")["fields"]][:2] == ["id", "name"]
    assert field(events, "resources")["widget"] == "list"
    assert [f["name"] for f in field(events, "resources")["fields"]] == ["title", "url"]
    assert field(events, "image")["widget"] == "object"
    assert field(events, "image.src")["widget"] == "image"
    assert field(events, "image.alt")["widget"] == "string"
    assert field(events, "tags")["widget"] == "list" and "fields" not in field(events, "tags")
    assert field(events, "body")["widget"] == "markdown"
    pages = collection(generated, "pages")["fields"]
    assert (field(pages, "menu")["widget"], field(pages, "menu")["value_type"]) == ("number", "int")
    assert (field(pages, "menu")["min"], field(pages, "menu")["max"]) == (0, 1000)
    summary_date = field(collection(generated, "summaries")["fields"], "date")
    assert (summary_date["format"], summary_date["time_format"]) == ("YYYY-MM-DD", False)


def test_relations_to_events_posts_and_people(generated, real_site):
    _, loaded = real_site
    event = field(collection(generated, "summaries")["fields"], "event")
    assert (event["widget"], event["collection"], event["value_field"]) == ("relation", "events", "{{slug}}")
    featured = field(collection(generated, "newsletters")["fields"], "featured")
    assert featured["widget"] == "select" and featured["multiple"] is True
    posts = {f"{kind}/{item.slug}" for kind in ("events", "summaries", "insights") for item in loaded.items[kind]}
    assert {option["value"] for option in featured["options"]} == posts
    for path in ("speakers.id", "chair.id"):
        person = field(collection(generated, "events")["fields"], path)
        assert person["widget"] == "select"
        assert {option["value"] for option in person["options"]} == set(loaded.people)
    author = field(collection(generated, "insights")["fields"], "author.id")
    assert {option["value"] for option in author["options"]} == set(loaded.people)


def test_required_exactly_where_the_model_requires(generated):
    for kind, model in KINDS.items():
        form = collection(generated, kind)["fields"]
        for name, info in model.model_fields.items():
            if name in NOT_IN_FORMS or name == "slug":  # the file name gives the slug, as `rethink new` does
                continue
            assert field(form, name)["required"] is info.is_required(), f"{kind}.{name}"
    resources = field(collection(generated, "events")["fields"], "resources")
    assert all(f["required"] for f in resources["fields"])  # a link added to the list needs its title and URL
    assert field(collection(generated, "events")["fields"], "slug")["required"] is False


def test_hints_come_from_the_field_documentation(generated):
    for kind, model in KINDS.items():
        form = collection(generated, kind)["fields"]
        for name, info in model.model_fields.items():
            if name not in NOT_IN_FORMS and info.description:
                assert field(form, name)["hint"] == info.description


def test_new_files_are_named_as_rethink_new_names_them(generated):
    assert collection(generated, "events")["slug"] == "{{start | date('YYYY-MM-DD')}}-{{slug}}"
    assert collection(generated, "insights")["slug"] == "{{date | date('YYYY-MM-DD')}}-{{slug}}"
    assert collection(generated, "pages")["slug"] == "{{slug}}"
    assert generated["slug"]["encoding"] == "ascii"


def test_a_field_added_to_a_model_gets_a_widget_without_touching_the_cms():
    class EventWithBooking(Event):
        booking_closes: Optional[datetime] = Field(None, description="Last moment to book")
        capacity: Optional[int] = Field(None, ge=1)
        access: tuple[str, ...] = ()

    form = fields.model_fields(EventWithBooking, lambda name, many: {"widget": "string"}, skip=NOT_IN_FORMS)
    assert field(form, "booking_closes")["widget"] == "datetime"
    assert field(form, "booking_closes")["hint"] == "Last moment to book"
    assert (field(form, "capacity")["widget"], field(form, "capacity")["min"]) == ("number", 1)
    assert field(form, "access")["widget"] == "list"


def test_the_coverage_check_fails_for_a_field_no_widget_fits():
    class EventWithMapping(Event):
        seating: dict[str, int] = {}

    form = fields.model_fields(EventWithMapping, lambda name, many: {"widget": "string"}, skip=NOT_IN_FORMS)
    assert "seating" in fields.model_paths(EventWithMapping, skip=NOT_IN_FORMS) - fields.field_names(form)


def test_backend_and_workflow_come_from_site_yaml(tmp_path, real_site):
    _, loaded = real_site
    (tmp_path / "site.yaml").write_text("title: T\nbase_url: https://example.org/sub/\n"
                                        "cms: {repo: example/site, branch: live, editorial_workflow: true}\n")
    config = load_config(tmp_path / "site.yaml")
    found = yaml.safe_load(config_yaml(cms_config(config, loaded.people, loaded.items)))
    assert (found["backend"]["name"], found["backend"]["repo"], found["backend"]["branch"]) == \
        ("github", "example/site", "live")
    assert found["publish_mode"] == "editorial_workflow"
    (tmp_path / "site.yaml").write_text("title: T\nbase_url: https://example.org/\ncms: {editorial_workflow: false}\n")
    simple = cms_config(load_config(tmp_path / "site.yaml"), {}, {})
    assert "publish_mode" not in simple and "repo" not in simple["backend"]


def test_local_editing_saves_through_the_loopback_backend_without_pull_requests(generated):
    local = yaml.safe_load(with_local_backend(yaml.safe_dump(generated).encode(), "http://127.0.0.1:8081/api/v1"))
    assert local["local_backend"] == {"url": "http://127.0.0.1:8081/api/v1", "allowed_hosts": ["127.0.0.1"]}
    assert "publish_mode" not in local
    assert local["collections"] == generated["collections"]


def test_the_configuration_is_the_same_bytes_every_time(real_site):
    config, loaded = real_site
    again = load_content(Path(REPO), config)
    assert config_yaml(cms_config(config, loaded.people, loaded.items)) == \
        config_yaml(cms_config(config, again.people, again.items))
