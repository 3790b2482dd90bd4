"""The `kommunalgraph` command group: every command is added here, explicitly, in one place."""

from __future__ import annotations

import click

from graph.cli.commands import backup, build, query, restore, validate
from graph.cli.common import fail
from graph.cli.organisations import organisations_command
from graph.cli.persons import persons_command
from graph.cli.releases import diff_command, releases_command
from graph.cli.review import ingest, review_group
from graph.cli.sources import extract, gazetteer, generate, link, push
from graph.settings import current

LIBRARY_COMMANDS: tuple[click.Command, ...] = (build, validate, query, backup, restore, link, gazetteer, extract,
                                               generate, push, releases_command, diff_command, persons_command,
                                               organisations_command, ingest, review_group)


def make_cli(*extra: click.Command) -> click.Group:
    """A new command group with the library's commands and `extra` ones (the server adds `serve`)."""

    @click.group()
    @click.version_option(package_name="kommunalgraph")
    def cli() -> None:
        """Kommunalgraph: report records to a validated, queryable knowledge graph."""
        # The settings are built here, once, before any option default reads them: a broken
        # KG_* variable is a clear error (exit 2), not a traceback.
        try:
            current()
        except ValueError as exc:
            fail(str(exc))

    for command in (*LIBRARY_COMMANDS, *extra):
        cli.add_command(command)
    return cli
