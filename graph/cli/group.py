"""The `kommunalgraph` command group: every command is added here, explicitly, in one place."""

from __future__ import annotations

import click

from graph.cli.commands import backup, build, query, restore, validate
from graph.cli.sources import extract, gazetteer, generate, link, push

LIBRARY_COMMANDS: tuple[click.Command, ...] = (build, validate, query, backup, restore, link, gazetteer, extract,
                                               generate, push)


def make_cli(*extra: click.Command) -> click.Group:
    """A new command group with the library's commands and `extra` ones (the server adds `serve`)."""

    @click.group()
    @click.version_option(package_name="kommunalgraph")
    def cli() -> None:
        """Kommunalgraph: report records to a validated, queryable knowledge graph."""

    for command in (*LIBRARY_COMMANDS, *extra):
        cli.add_command(command)
    return cli
