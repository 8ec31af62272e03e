"""The build as flat, timed steps: site.yaml read once, `--timings` naming each step in order."""

from __future__ import annotations

from pathlib import Path

import pytest

from reThink_site.cli import main
from tests.helpers import PINNED_NOW

STEPS = ["config", "load", "markdown", "index", "render", "checks"]


@pytest.mark.parametrize("cache", [True, False])
def test_site_yaml_is_read_once_per_build(copy_real_site, monkeypatch, build_site_at, cache):
    site_yaml = copy_real_site / "site.yaml"
    site_yaml.write_text(site_yaml.read_text(encoding="utf-8") + "titel: A misspelt setting\n", encoding="utf-8")
    reads: list[Path] = []
    real = Path.read_bytes

    def counting(path: Path) -> bytes:
        if path.name == "site.yaml":
            reads.append(path)
        return real(path)

    monkeypatch.setattr(Path, "read_bytes", counting)
    report = build_site_at(copy_real_site, cache=cache)
    assert len(reads) == 1
    assert [w.field for w in report.warnings if w.path == "site.yaml"] == ["titel"]  # its warning still comes


@pytest.mark.parametrize("flags, search", [([], True), (["--no-cache", "--no-search"], False)])
def test_timings_print_each_step_once_in_order(copy_real_site, runner, flags, search):
    result = runner.invoke(main, ["build", "--site", str(copy_real_site), "--now", PINNED_NOW, "--jobs", "1",
                                  "--timings", *flags])
    assert result.exit_code == 0, result.output
    rows = [line.split() for line in result.output.splitlines() if line.endswith(" s") and len(line.split()) == 3]
    names = [row[0] for row in rows]
    assert names == STEPS + (["records", "search"] if search else []) + ["publish", "total"]
    seconds = [float(row[1]) for row in rows]
    assert all(s >= 0 for s in seconds) and sum(seconds[:-1]) <= seconds[-1] + 0.01  # no step counted twice


def test_timings_say_so_when_nothing_changed(copy_real_site, runner):
    args = ["build", "--site", str(copy_real_site), "--now", PINNED_NOW, "--jobs", "1", "--no-search"]
    assert runner.invoke(main, args).exit_code == 0
    timed = runner.invoke(main, [*args, "--timings"])
    assert timed.exit_code == 0
    assert "Nothing changed" in timed.output and "No build step ran" in timed.output
