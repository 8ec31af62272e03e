"""Lets `python -m reThink_site` behave exactly like the `rethink` command."""

from reThink_site.cli import main

if __name__ == "__main__":
    main()
