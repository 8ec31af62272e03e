"""`rethink import wordpress`: two streaming passes over a WXR export, writing content files a build accepts."""

from __future__ import annotations

import csv
import io
import os
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import yaml

from reThink_site.content.config import load_config
from reThink_site.content.loader import read_source
from reThink_site.core.errors import UsageError
from reThink_site.core.urls import absolute, slugify
from reThink_site.importing.items import ToDo, convert_item, gallery_images, person_entry
from reThink_site.importing.links import LinkMap
from reThink_site.importing.plan import Plan, make_plan, tag_names
from reThink_site.importing.writing import EXTENDED, KEPT, REPLACED, UNCHANGED, WRITTEN, Outcomes, put
from reThink_site.importing.wxr import Item, read_export

REDIRECTS_FILE = "wordpress-redirects.csv"
HANDLED_FIELDS = frozenset({"start", "date"})  # fields whose absence convert_item reports in its own words


@dataclass(frozen=True)
class ImportOptions:
    """What to import, into which site, and how careful to be."""

    export: Path
    project: Path
    uploads: Optional[Path] = None
    event_categories: tuple[str, ...] = ()
    dry_run: bool = False
    force: bool = False


@dataclass(frozen=True)
class ImportReport:
    """Counts per kind, what happened to each file, and every to-do as `file:line: field: what to do`."""

    counts: dict[str, int]
    todos: tuple[ToDo, ...]
    outcomes: Outcomes
    remote_attachments: tuple[str, ...]
    notes: tuple[str, ...] = ()

    def text(self) -> str:
        """The report as printed: counts, files, remote media, then the to-dos."""
        verb = "would write" if self.outcomes.dry_run else "wrote"
        lines = [f"Imported: {', '.join(f'{n} {what}' for what, n in self.counts.items() if n)}" or "Imported: nothing"]
        lines.append(f"Files: {verb} {self.outcomes.count(WRITTEN)}, replaced {self.outcomes.count(REPLACED)}, "
                     f"added to {self.outcomes.count(EXTENDED)}, unchanged {self.outcomes.count(UNCHANGED)}, "
                     f"kept {self.outcomes.count(KEPT)} "
                     "existing files that differ" + ("" if self.outcomes.force else " (--force replaces them)"))
        if self.outcomes.dry_run:
            lines += [f"  would write {name}" for name in self.outcomes.by_state[WRITTEN]]
            lines += [f"  would replace {name}" for name in self.outcomes.by_state[REPLACED]]
            lines += [f"  would add to {name}" for name in self.outcomes.by_state[EXTENDED]]
        lines += [f"  kept {name} (it differs from the import)" for name in self.outcomes.by_state[KEPT]]
        if self.remote_attachments:
            lines.append(f"Media left on the old site ({len(self.remote_attachments)}; "
                         "pass --uploads DIR to copy them):")
            lines += [f"  {url}" for url in self.remote_attachments]
        lines += list(self.notes)
        lines.append(f"To do ({len(self.todos)}):" if self.todos else "Nothing left to do by hand.")
        lines += [todo.format() for todo in self.todos]
        return "\n".join(lines)


def author_ids(plan: Plan) -> dict[str, str]:
    """Each author's login mapped to a people.yaml id."""
    return {a.login: slugify(a.login) or slugify(a.display_name) or "author" for a in plan.authors if a.login}


def people_file(plan: Plan, ids: dict[str, str], existing: Optional[bytes]) -> tuple[Optional[bytes], int, dict]:
    """people.yaml with the export's authors added after what is there (never changing an entry): bytes, added, all."""
    known = yaml.safe_load(existing.decode("utf-8")) if existing else None
    known = known if isinstance(known, dict) else {}
    new = {}
    for author in plan.authors:
        key = ids.get(author.login)
        if key and key not in known and key not in new:
            new[key] = person_entry(author.display_name, author.first_name, author.last_name, author.login)
    people = {str(k): (v if isinstance(v, dict) else {"name": str(v)}) for k, v in {**known, **new}.items()}
    if not new:
        return existing, 0, people
    block = yaml.safe_dump(new, allow_unicode=True, sort_keys=False, default_flow_style=False)
    before = existing.decode("utf-8") if existing else "# People: ids used by author:, chair: and speakers:.\n"
    joiner = "" if before.endswith("\n") or not before else "\n"
    return (before + joiner + "# Authors imported from WordPress\n" + block).encode("utf-8"), len(new), people


def redirect_table(plan: Plan, links: LinkMap, base_url: str) -> bytes:
    """old URL,new URL for every published item and copied media file, sorted: for a host of the old domain."""
    rows = set()
    for target in plan.targets:
        if target.draft or not target.old_link:
            continue
        rows.add((target.old_link, absolute(base_url, target.url)))
        home = plan.channel.base_blog_url or plan.channel.link
        if home:
            rows.add((f"{home.rstrip('/')}/?p={target.post_id}", absolute(base_url, target.url)))
    for url, local in links.attachment_files():
        if local:
            rows.add((url, absolute(base_url, local)))
    home = (plan.channel.base_blog_url or plan.channel.link).rstrip("/")
    if home:
        rows.update((f"{home}{old}/", absolute(base_url, new)) for old, new in plan.archives.items())
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["old_url", "new_url"])
    writer.writerows(sorted(rows))
    return out.getvalue().encode("utf-8")


def import_wordpress(options: ImportOptions) -> ImportReport:
    """Import the export into the site's content folder; raises ExportError before writing anything for a bad export."""
    if not options.export.is_file():
        raise UsageError(f"no export file at {options.export}; in WordPress use Tools → Export → All content")
    if options.uploads is not None and not options.uploads.is_dir():
        raise UsageError(f"--uploads: no folder at {options.uploads}; point it at wp-content/uploads")
    config = load_config(options.project / "site.yaml")
    content_dir = options.project / config.content_dir
    categories = frozenset(c.lower() for c in options.event_categories)
    plan = make_plan(options.export, categories)
    links = LinkMap(plan, options.uploads)
    ids = author_ids(plan)
    people_path = content_dir / "people.yaml"
    people_bytes, people_added, people = people_file(plan, ids, people_path.read_bytes() if people_path.is_file()
                                                     else None)
    context = {"tz": config.tz,
               "people": {k: {**v, "id": k} for k, v in people.items() if isinstance(v.get("name"), str)}}
    by_position = plan.by_position()
    by_id = {a.post_id: a for a in plan.attachments}
    by_parent: dict[int, list] = defaultdict(list)
    for attachment in plan.attachments:
        by_parent[attachment.parent].append(attachment)
    outcomes = Outcomes(dry_run=options.dry_run, force=options.force)
    todos: list[ToDo] = []
    tags: set[str] = set()
    content_rel = config.content_dir.strip("/")
    for position, record in enumerate(read_export(options.export)):
        target = by_position.get(position)
        if target is None or not isinstance(record, Item):
            continue
        shown = f"{content_rel}/{target.file}"
        converted = convert_item(record, target, plan, links.rewrite, gallery_images(by_id, by_parent, record.post_id),
                                 ids, config.tz, config.timezone, categories, shown)
        tags.update(tag_names(record.terms, categories) if target.kind != "pages" else ())
        stem = target.file.rsplit("/", 1)[-1][:-3]
        result = read_source(converted.data, target.kind, shown, stem, context)
        todos += converted.todos
        todos += [ToDo(p.path, p.line, p.field, p.message) for p in result.problems
                  if not (p.field in HANDLED_FIELDS and p.message == "required field is missing")]
        put(outcomes, options.project, shown, converted.data)
    links.attachment_files()
    for name, source in sorted(links.copies.items()):
        put(outcomes, options.project, f"{content_rel}/assets/{name}", source=source)
    if people_bytes is not None:
        put(outcomes, options.project, f"{content_rel}/people.yaml", people_bytes, may_extend=True)
    put(outcomes, options.project, REDIRECTS_FILE, redirect_table(plan, links, config.base_url))
    if not options.dry_run and (outcomes.count(WRITTEN) or outcomes.count(REPLACED) or outcomes.count(EXTENDED)):
        os.sync()  # once for every file written, instead of an fsync per file
    kinds = [t.kind for t in plan.targets]
    counts = {"events": kinds.count("events"), "insights": kinds.count("insights"), "pages": kinds.count("pages"),
              "drafts (among them)": sum(t.draft for t in plan.targets), "new people": people_added,
              "tags": len(tags), "media files copied": len(links.copies), "comments not imported": plan.comments}
    counts.update({f"{why} skipped": n for why, n in plan.skipped.items()})
    remote = tuple(url for url, local in links.attachment_files() if not local)
    known = ", ".join(sorted(set(plan.categories.values()))) or "none"
    notes = tuple(f"--events-category {name}: no item of the export is in this category (its categories: {known})"
                  for name in options.event_categories if name.lower() not in plan.categories)
    return ImportReport(counts=counts, todos=tuple(sorted(set(todos))), outcomes=outcomes, remote_attachments=remote,
                        notes=notes)
