"""The CLI reference (docs/cli.md), generated from the commands' own --help.

``python -m pamtps.cli.reference > docs/cli.md`` rewrites it; a test fails when it drifts.
"""

from __future__ import annotations

import typer
from typer.testing import CliRunner


def _commands(group: typer.Typer, prefix: list[str]) -> list[list[str]]:
    """Every command path of a Typer app, sorted, sub-groups included."""
    found = []
    for command in group.registered_commands:
        if command.hidden:
            continue
        name = command.name or (command.callback.__name__ if command.callback else "")
        found.append([*prefix, name.replace("_", "-")])
    for sub in group.registered_groups:
        assert sub.typer_instance is not None and sub.name is not None
        found.append([*prefix, sub.name])
        found.extend(_commands(sub.typer_instance, [*prefix, sub.name]))
    return sorted(found)


def render_reference() -> str:
    from pamtps.cli import app

    runner = CliRunner()
    parts = [
        "# Command reference",
        "",
        "Generated from `pamtps --help`: run `python -m pamtps.cli.reference > docs/cli.md`.",
        "",
    ]
    for path in [[], *_commands(app, [])]:
        result = runner.invoke(app, [*path, "--help"], env={"COLUMNS": "100", "NO_COLOR": "1"},
                               terminal_width=100)
        text = "\n".join(line.rstrip() for line in result.output.strip("\n").splitlines())
        parts += [f"## pamtps {' '.join(path)}".rstrip(), "", "```text", text, "```", ""]
    return "\n".join(parts)


if __name__ == "__main__":
    print(render_reference(), end="")
