"""`rethink import wordpress`: run the importer on a site folder and print its report."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

from reThink_site.importing.wordpress import ImportOptions, ImportReport, import_wordpress


def import_wordpress_export(project: Path, export: Path, uploads: Optional[Path], event_categories: tuple[str, ...],
                            dry_run: bool, force: bool) -> ImportReport:
    """Import one export into the site at project; the report says what was written and what is left to do."""
    return import_wordpress(ImportOptions(export=export.absolute(), project=project,
                                          uploads=uploads.absolute() if uploads else None,
                                          event_categories=event_categories, dry_run=dry_run, force=force))
