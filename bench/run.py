"""One command benchmark: reThink_site vs Pelican vs Hugo on the same generated corpus.

    python bench/run.py [--sizes 1000,5000,10000] [--repeat 3] [--compare OTHER_CHECKOUT]

Installs Pelican into bench/work/pelican-venv (pip) and Hugo (apt-get) when missing, generates the
corpus for each size, converts it, then times for every tool: a full cold build, a no-change rebuild,
a rebuild after editing one insight's body and one after editing its title; medians of --repeat runs.
The tools take turns within each round (ours, Pelican, Hugo, then ours again), so a slow spell of the
disk falls on all of them. reThink_site is timed twice: with its default Markdown engine (CommonMark,
pulldown-cmark) and, as "reThink_site (Python-Markdown)", with `markdown.engine: python-markdown`.
Peak memory is the largest sum of RSS over the build's whole process tree, sampled every 20 ms.
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
PYMD = "reThink_site (Python-Markdown)"
OTHER = "reThink_site, other checkout"
PELICAN_VENV = WORK / "pelican-venv"


def ensure_tools() -> None:
    """Install Pelican (own venv, pip) and Hugo (Debian package) when they are not there yet."""
    if not (PELICAN_VENV / "bin" / "pelican").exists():
        subprocess.run([sys.executable, "-m", "venv", str(PELICAN_VENV)], check=True)
        subprocess.run([str(PELICAN_VENV / "bin" / "pip"), "install", "-q", "pelican", "markdown"], check=True)
    if not shutil.which("hugo"):
        subprocess.run(["apt-get", "install", "-y", "-q", "hugo"], check=True)


def tree_rss(root: int) -> int:
    """Sum of RSS (bytes) over a process and all its descendants, read from /proc."""
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
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, []))
    return total


def timed(command: list[str], cwd: Path, env: dict | None = None) -> tuple[float, int]:
    """Run a command; return wall seconds and peak RSS of its process tree (bytes)."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = [0]

    def sample() -> None:
        while process.poll() is None:
            peak[0] = max(peak[0], tree_rss(process.pid))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample)
    sampler.start()
    _, err = process.communicate()
    seconds = time.perf_counter() - started
    sampler.join()
    if process.returncode:
        raise SystemExit(f"{' '.join(command)} failed in {cwd}:\n{err.decode()[-2000:]}")
    return seconds, peak[0]


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

    def build(self) -> tuple[float, int]:
        os.sync()  # the disk work of earlier steps (deleted trees, the last build's writes) is not charged here
        return timed(self.command, self.folder, self.env)


def tools_for(size_dir: Path, compare: Path | None = None) -> list[Tool]:
    """The tools, each on its own copy of the corpus; `compare` adds another checkout of reThink_site."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    command = [sys.executable, "-m", "reThink_site", "build", "--now", NOW, "--no-search", "--quiet"]
    ours = Tool("reThink_site", size_dir / "rethink", command, ["output", ".rethink-cache"], env)
    ours_pymd = Tool(PYMD, size_dir / "rethink-pymd", command, ["output", ".rethink-cache"], env)
    pelican = Tool("Pelican", size_dir / "pelican",
                   [str(PELICAN_VENV / "bin" / "pelican"), "content", "-s", "pelicanconf.py", "-o", "output", "-q"],
                   ["output", "cache"])
    hugo = Tool("Hugo", size_dir / "hugo", ["hugo", "--quiet"], ["public", "resources"])
    tools = [ours, pelican, hugo, ours_pymd]
    if compare is not None:  # the same corpus and command, importing the other checkout's package
        other_env = {**os.environ, "PYTHONPATH": str(compare)}
        tools.append(Tool(f"{OTHER} ({compare.name})", size_dir / "rethink-other", command,
                          ["output", ".rethink-cache"], other_env))
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


def measure(size: int, repeat: int, compare: Path | None = None) -> dict:
    """All timings for one corpus size; within each round every tool takes its turn."""
    size_dir = WORK / f"n{size}"
    if size_dir.exists():  # last run's sites, outputs included: out of the way, deleted at the end
        TRASH.mkdir(exist_ok=True)
        size_dir.rename(TRASH / f"{size_dir.name}-{time.monotonic_ns()}")
    ours_dir = size_dir / "rethink"
    generate(ours_dir, size, seed=1)
    convert(ours_dir, size_dir / "pelican", size_dir / "hugo")
    python_markdown_copy(ours_dir, size_dir / "rethink-pymd")
    if compare is not None:
        shutil.copytree(ours_dir, size_dir / "rethink-other")
    target = sorted((ours_dir / "content" / "insights").glob("*.md"))[size // 3 % 50].relative_to(ours_dir)
    tools = tools_for(size_dir, compare)
    runs = {tool.name: {"full": [], "nochange": [], "body": [], "title": [], "peak": []} for tool in tools}
    for round_no in range(repeat):
        for tool in tools:
            edited = [tool.folder / target]
            tool.cold()
            seconds, peak = tool.build()
            runs[tool.name]["full"].append(seconds)
            runs[tool.name]["peak"].append(peak)
            runs[tool.name]["nochange"].append(tool.build()[0])
            edit(edited, round_no, "body")
            runs[tool.name]["body"].append(tool.build()[0])
            edit(edited, round_no, "title")
            runs[tool.name]["title"].append(tool.build()[0])
            print(f"  N={size} round {round_no + 1} {tool.name}: " + ", ".join(
                f"{k} {v[-1]:.2f}" for k, v in runs[tool.name].items() if k != "peak"), flush=True)
    results: dict = {}
    for tool in tools:
        timings = runs[tool.name]
        results[tool.name] = {k: statistics.median(v) for k, v in timings.items() if k != "peak"}
        results[tool.name]["rss_mb"] = statistics.median(timings["peak"]) / 2**20
        results[tool.name]["runs"] = {k: v for k, v in timings.items() if k != "peak"}
    return results


def table(all_results: dict) -> str:
    """The markdown table, with reThink_site's ratios to Hugo and Pelican."""
    rows = ["| N | tool | full build | no-change | body edit | title edit | peak RSS (tree) |",
            "|---|---|---|---|---|---|---|"]
    for size, results in all_results.items():
        for name, r in results.items():
            rows.append(f"| {size} | {name} | {r['full']:.2f} s | {r['nochange']:.2f} s | {r['body']:.2f} s | "
                        f"{r['title']:.2f} s | {r['rss_mb']:.0f} MB |")
        ours, hugo, pelican = results["reThink_site"], results["Hugo"], results["Pelican"]
        rows.append(f"| {size} | ratio ours/Hugo | {ours['full'] / hugo['full']:.2f} | "
                    f"{ours['nochange'] / hugo['nochange']:.2f} | {ours['body'] / hugo['full']:.2f} (vs Hugo full) | "
                    f"{ours['title'] / hugo['full']:.2f} (vs Hugo full) | {ours['rss_mb'] / hugo['rss_mb']:.2f} |")
        rows.append(f"| {size} | ratio ours/Pelican | {ours['full'] / pelican['full']:.2f} | "
                    f"{ours['nochange'] / pelican['nochange']:.2f} | {ours['body'] / pelican['body']:.2f} | "
                    f"{ours['title'] / pelican['title']:.2f} | {ours['rss_mb'] / pelican['rss_mb']:.2f} |")
    sizes = list(all_results)
    if 5000 in all_results and 10000 in all_results:
        growth = all_results[10000]["reThink_site"]["full"] / all_results[5000]["reThink_site"]["full"]
        rows.append(f"\nreThink_site full build N=10000 / N=5000: {growth:.2f} (target ≤ 2.2)")
    return "\n".join(rows) + f"\n\nSizes: {sizes}\n"


def machine() -> str:
    """What the figures were measured on."""
    memory = next(line for line in open("/proc/meminfo") if line.startswith("MemTotal")).split()[1]
    hugo = subprocess.run(["hugo", "version"], capture_output=True, text=True).stdout.strip()
    pelican = subprocess.run([str(PELICAN_VENV / "bin" / "pelican"), "--version"],
                             capture_output=True, text=True).stdout.strip()
    return (f"{platform.platform()}, {os.cpu_count()} cores, {int(memory) // 1024} MB RAM, "
            f"Python {platform.python_version()}, load average at start {os.getloadavg()[0]:.2f}; "
            f"Hugo: {hugo}; Pelican {pelican}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,5000,10000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--compare", type=Path, default=None, metavar="CHECKOUT",
                        help="also time another checkout of this repository (e.g. a git worktree of main), in turn")
    args = parser.parse_args()
    WORK.mkdir(exist_ok=True)
    ensure_tools()
    about = machine()
    print(about, flush=True)
    all_results = {}
    for size in (int(s) for s in args.sizes.split(",")):
        all_results[size] = measure(size, args.repeat, args.compare.resolve() if args.compare else None)
    text = table(all_results)
    print(text)
    (WORK / "results.md").write_text(about + "\n\n" + text, encoding="utf-8")
    (WORK / "results.json").write_text(json.dumps({"machine": about, "results": all_results}, indent=1))
    shutil.rmtree(TRASH, ignore_errors=True)


if __name__ == "__main__":
    main()
