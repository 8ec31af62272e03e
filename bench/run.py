"""One command benchmark: reThink_site as users run it (search on) vs Hugo (+ Pagefind) on one corpus.

    python bench/run.py [--sizes 1000,5000,10000] [--repeat 3] [--with pelican,pymd] [--compare CHECKOUT]

Installs Hugo (apt-get) when missing (and Pelican into bench/work/pelican-venv with `--with pelican`),
generates the corpus for each size, converts it, then times for every tool: a full cold build, a
no-change rebuild, a rebuild after editing one insight's body and one after editing its title; medians
of --repeat runs. The tools take turns within each round, so a slow spell of the disk falls on all.
The headline row is `rethink build` as users run it, search index included; then `--no-search`; Hugo;
and Hugo followed by Pagefind over Hugo's output (the like-for-like peer of a site with search).
`--with pymd` adds "reThink_site (Python-Markdown)" (`markdown.engine: python-markdown`), `--with
pelican` adds Pelican. Peak memory is sampled every 20 ms: the largest single process of the build,
and the largest sum of RSS over its whole process tree. reThink_site's rows run with `--timings`, and
the medians of its step rows (Pagefind's share: `records` and `search`) are printed after the table.
`--compare DIR` times another checkout of this repository too (a git worktree of an older commit, say)
on its own copy of the corpus, taking its turn in every round: a before/after table from one run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
WORK = HERE / "work"
TRASH = WORK / "trash"  # trees moved out of the way by cold builds, deleted when the run ends
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO))

from convert import convert  # noqa: E402
from corpus import generate  # noqa: E402

NOW = "2020-06-01T12:00"
OURS = "reThink_site"  # the default build: search on
NO_SEARCH = "reThink_site --no-search"
HUGO = "Hugo"
HUGO_PAGEFIND = "Hugo, then Pagefind over its output"
PYMD = "reThink_site (Python-Markdown)"
OTHER = "reThink_site, other checkout"
PELICAN_VENV = WORK / "pelican-venv"


def pagefind_binary() -> str:
    """The Pagefind our builds use (the pagefind[bin] wheel), for the Hugo + Pagefind row."""
    from reThink_site.publish.search import pagefind_binary as find

    found = find()
    if found is None:
        raise SystemExit("the pagefind[bin] package is missing: pip install -e . first")
    return str(found)


def ensure_tools(pelican: bool) -> None:
    """Install Hugo (Debian package), and Pelican (own venv, pip) if asked for, when they are not there yet."""
    if pelican and not (PELICAN_VENV / "bin" / "pelican").exists():
        subprocess.run([sys.executable, "-m", "venv", str(PELICAN_VENV)], check=True)
        subprocess.run([str(PELICAN_VENV / "bin" / "pip"), "install", "-q", "pelican", "markdown"], check=True)
    if not shutil.which("hugo"):
        subprocess.run(["apt-get", "install", "-y", "-q", "hugo"], check=True)


def tree_rss(root: int) -> tuple[int, int]:
    """Sum of RSS (bytes) over a process and all its descendants, and the largest one's, from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    page = os.sysconf("SC_PAGE_SIZE")
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as handle:
                fields = handle.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        pid = int(name)
        children.setdefault(int(fields[1]), []).append(pid)
        rss[pid] = int(fields[21]) * page
    total, largest, stack = 0, 0, [root]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        largest = max(largest, rss.get(pid, 0))
        stack.extend(children.get(pid, []))
    return total, largest


class Timed:
    """One timed run: wall seconds, peak RSS of the tree and of its largest process (bytes), its output."""

    def __init__(self, seconds: float, tree: int, largest: int, output: str):
        self.seconds, self.tree, self.largest, self.output = seconds, tree, largest, output

    def steps(self) -> dict[str, float]:
        """The `--timings` step table in the output, as {step: seconds} (empty for other tools)."""
        found = {}
        for line in self.output.splitlines():
            parts = line.split()
            if len(parts) == 3 and parts[2] == "s":
                try:
                    found[parts[0]] = float(parts[1])
                except ValueError:
                    continue
        return found


def timed(command: list[str], cwd: Path, env: dict | None = None) -> Timed:
    """Run a command; its wall seconds, peak RSS of its process tree and of its largest process."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    peak = [0, 0]

    def sample() -> None:
        while process.poll() is None:
            total, largest = tree_rss(process.pid)
            peak[0], peak[1] = max(peak[0], total), max(peak[1], largest)
            time.sleep(0.02)

    sampler = threading.Thread(target=sample)
    sampler.start()
    out, err = process.communicate()
    seconds = time.perf_counter() - started
    sampler.join()
    if process.returncode:
        raise SystemExit(f"{' '.join(command)} failed in {cwd}:\n{err.decode()[-2000:]}")
    return Timed(seconds, peak[0], peak[1], out.decode(errors="replace"))


class Tool:
    """How to build, clean and edit one tool's copy of the corpus."""

    def __init__(self, name: str, folder: Path, command: list[str], clean: list[str], env: dict | None = None):
        self.name, self.folder, self.command, self.clean, self.env = name, folder, command, clean, env

    def cold(self) -> None:
        """Move the last build's trees aside (deleted after the run): as on a fresh CI machine, a cold
        build then never pays for thousands of just-deleted inodes, which ext4 here skips over for a
        minute when it allocates new ones (5,000 folders took 0.3 s or 6.5 s depending on that)."""
        for name in self.clean:
            if (self.folder / name).exists():
                TRASH.mkdir(exist_ok=True)
                (self.folder / name).rename(TRASH / f"{self.folder.name}-{name}-{time.monotonic_ns()}")

    def build(self) -> Timed:
        os.sync()  # the disk work of earlier steps (deleted trees, the last build's writes) is not charged here
        return timed(self.command, self.folder, self.env)


def tools_for(size_dir: Path, compare: Path | None = None, extra: tuple[str, ...] = ()) -> list[Tool]:
    """The tools, each on its own copy of the corpus; `compare` adds another checkout of reThink_site."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    command = [sys.executable, "-m", "reThink_site", "build", "--now", NOW, "--quiet", "--timings"]
    clean = ["output", ".rethink-cache"]
    tools = [Tool(OURS, size_dir / "rethink", command, clean, env),
             Tool(NO_SEARCH, size_dir / "rethink-nosearch", [*command, "--no-search"], clean, env),
             Tool(HUGO, size_dir / "hugo", ["hugo", "--quiet"], ["public", "resources"]),
             Tool(HUGO_PAGEFIND, size_dir / "hugo-pagefind",
                  ["sh", "-c", 'hugo --quiet && "$0" --site public --silent', pagefind_binary()],
                  ["public", "resources"])]
    if "pelican" in extra:
        pelican = [str(PELICAN_VENV / "bin" / "pelican"), "content", "-s", "pelicanconf.py", "-o", "output", "-q"]
        tools.append(Tool("Pelican", size_dir / "pelican", pelican, ["output", "cache"]))
    if "pymd" in extra:
        tools.append(Tool(PYMD, size_dir / "rethink-pymd", command, clean, env))
    if compare is not None:  # the same corpus and command, importing the other checkout's package
        other_env = {**os.environ, "PYTHONPATH": str(compare)}
        tools.append(Tool(f"{OTHER} ({compare.name})", size_dir / "rethink-other", command, clean, other_env))
    return tools


def edit(paths: list[Path], round_no: int, what: str) -> None:
    """Change one document's body (append a sentence) or its title, in every tool's copy."""
    for path in paths:
        text = path.read_text(encoding="utf-8")
        if what == "body":
            text = text.rstrip("\n") + f" Edited in round {round_no}.\n"
        else:
            lines = text.split("\n")
            index = next(i for i, line in enumerate(lines) if line.lower().startswith("title:"))
            line = lines[index].rstrip()
            quote = line[-1] if line[-1] in "'\"" else ""
            lines[index] = line[: len(line) - len(quote)] + f" (rev {round_no})" + quote
            text = "\n".join(lines)
        path.write_text(text, encoding="utf-8")
        time.sleep(0.01)


def python_markdown_copy(ours_dir: Path, target: Path) -> None:
    """The corpus again, with site.yaml choosing the Python-Markdown engine."""
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(ours_dir / "content", target / "content")
    config = (ours_dir / "site.yaml").read_text(encoding="utf-8")
    (target / "site.yaml").write_text(config + "markdown:\n  engine: python-markdown\n", encoding="utf-8")


def measure(size: int, repeat: int, compare: Path | None = None, extra: tuple[str, ...] = ()) -> dict:
    """All timings for one corpus size; within each round every tool takes its turn."""
    size_dir = WORK / f"n{size}"
    if size_dir.exists():  # last run's sites, outputs included: out of the way, deleted at the end
        TRASH.mkdir(exist_ok=True)
        size_dir.rename(TRASH / f"{size_dir.name}-{time.monotonic_ns()}")
    ours_dir = size_dir / "rethink"
    generate(ours_dir, size, seed=1)
    convert(ours_dir, size_dir / "pelican", size_dir / "hugo")
    shutil.copytree(size_dir / "hugo", size_dir / "hugo-pagefind")
    shutil.copytree(ours_dir, size_dir / "rethink-nosearch")
    if "pymd" in extra:
        python_markdown_copy(ours_dir, size_dir / "rethink-pymd")
    if compare is not None:
        shutil.copytree(ours_dir, size_dir / "rethink-other")
    target = sorted((ours_dir / "content" / "insights").glob("*.md"))[size // 3 % 50].relative_to(ours_dir)
    tools = tools_for(size_dir, compare, extra)
    kinds = ("full", "nochange", "body", "title")
    runs = {tool.name: {k: [] for k in (*kinds, "tree", "largest")} for tool in tools}
    steps = {tool.name: {k: [] for k in kinds} for tool in tools}
    for round_no in range(repeat):
        for tool in tools:
            edited = [tool.folder / target]
            tool.cold()
            for kind in kinds:
                if kind in ("body", "title"):
                    edit(edited, round_no, kind)
                done = tool.build()
                runs[tool.name][kind].append(done.seconds)
                steps[tool.name][kind].append(done.steps())
                if kind == "full":
                    runs[tool.name]["tree"].append(done.tree)
                    runs[tool.name]["largest"].append(done.largest)
            print(f"  N={size} round {round_no + 1} {tool.name}: " + ", ".join(
                f"{k} {runs[tool.name][k][-1]:.2f}" for k in kinds) +
                f", peak {runs[tool.name]['largest'][-1] / 2**20:.0f}/{runs[tool.name]['tree'][-1] / 2**20:.0f} MB",
                flush=True)
    results: dict = {}
    for tool in tools:
        timings = runs[tool.name]
        results[tool.name] = {k: statistics.median(timings[k]) for k in kinds}
        results[tool.name]["rss_mb"] = statistics.median(timings["tree"]) / 2**20
        results[tool.name]["largest_mb"] = statistics.median(timings["largest"]) / 2**20
        results[tool.name]["runs"] = {k: timings[k] for k in kinds}
        results[tool.name]["steps"] = {kind: step_medians(tables) for kind, tables in steps[tool.name].items()}
    return results


def step_medians(tables: list[dict[str, float]]) -> dict[str, float]:
    """The median seconds of each step over the runs that printed it."""
    names = [name for table in tables for name in table]
    return {name: statistics.median(t[name] for t in tables if name in t) for name in dict.fromkeys(names)}


def table(all_results: dict) -> str:
    """The markdown table, the ratios the targets name, and our default build's step table."""
    rows = ["| N | tool | full build | no-change | body edit | title edit | peak RSS (largest process) "
            "| peak RSS (tree) |", "|---|---|---|---|---|---|---|---|"]
    for size, results in all_results.items():
        for name, r in results.items():
            rows.append(f"| {size} | {name} | {r['full']:.2f} s | {r['nochange']:.2f} s | {r['body']:.2f} s | "
                        f"{r['title']:.2f} s | {r['largest_mb']:.0f} MB | {r['rss_mb']:.0f} MB |")
        ours, plain, hugo, peer = (results[n] for n in (OURS, NO_SEARCH, HUGO, HUGO_PAGEFIND))
        rows.append(f"| {size} | ours / (Hugo + Pagefind) | {ours['full'] / peer['full']:.2f} | "
                    f"{ours['nochange'] / peer['nochange']:.2f} | {ours['body'] / peer['body']:.2f} | "
                    f"{ours['title'] / peer['title']:.2f} | {ours['largest_mb'] / peer['largest_mb']:.2f} | "
                    f"{ours['rss_mb'] / peer['rss_mb']:.2f} |")
        rows.append(f"| {size} | ours / Hugo | {ours['full'] / hugo['full']:.2f} | "
                    f"{ours['nochange'] / hugo['nochange']:.2f} | {ours['body'] / hugo['full']:.2f} (vs Hugo full) | "
                    f"{ours['title'] / hugo['full']:.2f} (vs Hugo full) | "
                    f"{ours['largest_mb'] / hugo['largest_mb']:.2f} | {ours['rss_mb'] / hugo['rss_mb']:.2f} |")
        rows.append(f"| {size} | --no-search / Hugo | {plain['full'] / hugo['full']:.2f} | "
                    f"{plain['nochange'] / hugo['nochange']:.2f} | {plain['body'] / hugo['full']:.2f} (vs Hugo full) | "
                    f"{plain['title'] / hugo['full']:.2f} (vs Hugo full) | "
                    f"{plain['largest_mb'] / hugo['largest_mb']:.2f} | {plain['rss_mb'] / hugo['rss_mb']:.2f} |")
    for size, results in all_results.items():
        steps = results[OURS]["steps"]
        names = list(dict.fromkeys(name for kind in ("full", "body", "title") for name in steps[kind]))
        rows += [f"\nN = {size}, `rethink build --timings` (search on), median seconds per step:\n",
                 "| step | full build | body edit | title edit |", "|---|---|---|---|"]
        rows += [f"| {name} | " + " | ".join(f"{steps[kind].get(name, 0):.2f}" for kind in ("full", "body", "title"))
                 + " |" for name in names]
    if 5000 in all_results and 10000 in all_results:
        for name in (OURS, NO_SEARCH):
            big, small = all_results[10000][name], all_results[5000][name]
            rows.append(f"\n{name}, N=10000 / N=5000: " + ", ".join(
                f"{k} {big[k] / small[k]:.2f}" for k in ("full", "nochange", "body", "title")) +
                f", memory {big['largest_mb'] / small['largest_mb']:.2f} (target ≤ 2.1)")
    return "\n".join(rows) + f"\n\nSizes: {list(all_results)}\n"


def machine() -> str:
    """What the figures were measured on."""
    memory = next(line for line in open("/proc/meminfo") if line.startswith("MemTotal")).split()[1]
    hugo = subprocess.run(["hugo", "version"], capture_output=True, text=True).stdout.strip()
    pagefind = subprocess.run([pagefind_binary(), "--version"], capture_output=True, text=True).stdout.strip()
    pelican = PELICAN_VENV / "bin" / "pelican"
    if pelican.exists():
        version = subprocess.run([str(pelican), "--version"], capture_output=True, text=True).stdout.strip()
        hugo += f"; Pelican {version}"
    return (f"{platform.platform()}, {os.cpu_count()} cores, {int(memory) // 1024} MB RAM, "
            f"Python {platform.python_version()}, load average at start {os.getloadavg()[0]:.2f}; "
            f"Hugo: {hugo}; {pagefind}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,5000,10000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--with", dest="extra", default="", metavar="pelican,pymd",
                        help="also time Pelican and/or reThink_site with Python-Markdown")
    parser.add_argument("--compare", type=Path, default=None, metavar="CHECKOUT",
                        help="also time another checkout of this repository (e.g. a git worktree of main), in turn")
    args = parser.parse_args()
    extra = tuple(name for name in args.extra.split(",") if name)
    WORK.mkdir(exist_ok=True)
    ensure_tools("pelican" in extra)
    about = machine()
    print(about, flush=True)
    all_results = {}
    for size in (int(s) for s in args.sizes.split(",")):
        all_results[size] = measure(size, args.repeat, args.compare.resolve() if args.compare else None, extra)
    text = table(all_results)
    print(text)
    (WORK / "results.md").write_text(about + "\n\n" + text, encoding="utf-8")
    (WORK / "results.json").write_text(json.dumps({"machine": about, "results": all_results}, indent=1))
    shutil.rmtree(TRASH, ignore_errors=True)


if __name__ == "__main__":
    main()
