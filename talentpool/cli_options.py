"""Click options the area commands share: the files they read and write, the prefecture they
work on, and the dry run of an import (the commands register through talentpool.cli)."""

from __future__ import annotations

from pathlib import Path

import click

#: A file a command reads: it must exist and be a file.
FILE_TO_READ = click.Path(exists=True, dir_okay=False, path_type=Path)
#: A file a command writes.
FILE_TO_WRITE = click.Path(dir_okay=False, writable=True, path_type=Path)


def file_argument(name: str = "file"):
    """The file an import command reads, as its argument (a Path)."""
    return click.argument(name, type=FILE_TO_READ)


def input_option(flag: str, dest: str, help: str):
    """A required file to read, named by an option (a Path)."""
    return click.option(flag, dest, required=True, type=FILE_TO_READ, help=help)


def out_option(help: str = "File to write: .xlsx or .csv (UTF-8 with BOM).", dest: str = "out"):
    """The required `--out` file a command writes (a Path); by default an export's file."""
    return click.option("--out", dest, required=True, type=FILE_TO_WRITE, help=help)


def prefecture_option(help: str, *, required: bool = True):
    """The `--prefecture` code a command works on, passed on as `prefecture_code`."""
    return click.option("--prefecture", "prefecture_code", required=required, help=help)


def dry_run_option(help: str = "Check the file and report; change nothing."):
    """An import's `--dry-run` flag."""
    return click.option("--dry-run", is_flag=True, help=help)
