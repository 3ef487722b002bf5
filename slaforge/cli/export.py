"""``slaforge export openslo``: the agreement's objectives in formats monitoring tools read."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from slaforge.cli.exits import say
from slaforge.cli.help import Command
from slaforge.cli.options import DocumentId, Output

app = typer.Typer(help="The agreement's objectives in formats monitoring tools read.", no_args_is_help=True)


@app.command("openslo", cls=Command)
def export_openslo(
    spec: Annotated[
        Path, typer.Argument(metavar="SPEC", help="The agreement's spec file, or a portfolio.", show_default=False)
    ],
    document: DocumentId = None,
    output: Output = None,
    data_source_type: Annotated[
        str,
        typer.Option(
            "--data-source-type",
            metavar="TYPE",
            help="The type the emitted DataSource names, as the monitoring tool spells it (e.g. Prometheus, Datadog).",
        ),
    ] = "Prometheus",
) -> None:
    """The agreement's objectives as OpenSLO v1 YAML: the DataSource they read, a Service and an availability
    SLO per service, a response and a resolution SLO per severity (an objective of 100% is written as 99.99%,
    with a warning: OpenSLO targets are below 1)."""
    from slaforge.cli.exits import warn
    from slaforge.export.openslo import openslo_export, openslo_yaml
    from slaforge.layers.documents import load_document

    loaded = load_document(spec, document)
    export = openslo_export(loaded.spec, loaded.source, data_source_type)
    warn(export.warnings)
    text = openslo_yaml(export.documents)
    if output is None:
        say(text, nl=False)
    else:
        from slaforge.writers import write_atomic

        write_atomic(output, text.encode())
