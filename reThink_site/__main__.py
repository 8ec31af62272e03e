"""Lets `python -m reThink_site` behave exactly like the `rethink` command."""

from reThink_site.cli import run

if __name__ == "__main__":
    run()
