"""The command line's conventions, checked over every command the app has (walked, not listed).

- exit codes: 2 for a command line that cannot be parsed (an unknown option, a missing argument, an
  unknown subcommand), 1 for one that parses but names invalid input, and a message, never a
  traceback, and nothing written;
- help: every argument and option has a help line, and values are named in words (``--out FOLDER``),
  never by a Python type (``<list[Path]>``, ``<str>``);
- the reference pages in docs/cli/ are the ones the command line gives today.

A new command is covered without a line here; if one of its values has a metavar the tables below do
not know, the test says which to add.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from slaforge.cli import app
from slaforge.cli.reference import pages

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
ROOT_COMMAND = typer.main.get_command(app)


def leaves(command: Any = ROOT_COMMAND, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], Any]]:
    if hasattr(command, "commands"):
        return [leaf for name, sub in command.commands.items() for leaf in leaves(sub, (*path, name))]
    return [(path, command)]


def groups(command: Any = ROOT_COMMAND, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    if not hasattr(command, "commands"):
        return []
    return [path] + [group for name, sub in command.commands.items() for group in groups(sub, (*path, name))]


COMMANDS = leaves()
IDS = [" ".join(path) for path, _ in COMMANDS]


def valid(metavar: str, tmp: Path) -> str:
    """A value that is right for its kind, for the parameters a test does not make wrong."""
    return {
        "SPEC": str(SAMPLES / "saas-platform.yaml"),
        "PORTFOLIO": str(SAMPLES / "portfolio" / "portfolio.yaml"),
        "OLD": str(SAMPLES / "versions" / "v1.yaml"),
        "NEW": str(SAMPLES / "versions" / "v2.yaml"),
        "FOLDER": str(SAMPLES / "measurements"),
        "PERCENT": "99.9",
        "TIME": "2027-03-01T10:00",
        "SEVERITY": "P1",
        "ID": "customer-contoso",
        "FIELD": "agreement.title",
        "CLAUSE": "penalties.credits",
        "FILE": str(tmp / "written.yaml"),
        "RETURNED": str(tmp / "returned.docx"),
    }[metavar]


def invalid(metavar: str, tmp: Path) -> str | None:
    """A value of the right shape that names something invalid or missing (None: no such value)."""
    broken = tmp / "broken.yaml"
    broken.write_text("agreement: 5\nservices: seven\n", encoding="utf-8")
    blocked = tmp / "a-file"
    blocked.write_text("", encoding="utf-8")
    return {
        "SPEC": str(broken),
        "PORTFOLIO": str(broken),
        "OLD": str(broken),
        "NEW": str(broken),
        "FOLDER": str(tmp / "no-such-folder"),
        "PERCENT": "101",
        "CLAUSE": "penalties.no-such-clause",
        "CATEGORY": "no-such-category",
        "FILE": str(blocked / "inside-a-file.yaml"),  # a folder that is a file: nothing can be written there
    }.get(metavar)


def invoke(args: list[str]) -> Any:
    return CliRunner().invoke(app, args)


def assert_clean_failure(result: Any, code: int, tmp: Path, before: set[Path]) -> None:
    assert result.exit_code == code, f"exit {result.exit_code}, expected {code}: {result.output}"
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    assert result.output.strip(), "a failure says what is wrong"
    assert set(tmp.rglob("*")) == before, "nothing is written"


def test_the_walk_finds_every_command() -> None:
    """The walk is over the real app: the commands the README's reference lists are all there."""
    names = set(IDS)
    assert {"validate", "build", "init", "schema", "calc credit", "clauses check", "export openslo", "bump"} <= names
    assert len(names) == len(COMMANDS) >= 20


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=IDS)
def test_an_unknown_option_exits_2(path: tuple[str, ...], command: Any, tmp_path: Path) -> None:
    result = invoke([*path, "--no-such-option"])
    assert_clean_failure(result, 2, tmp_path, set())
    assert "--no-such-option" in result.output


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=IDS)
def test_a_missing_argument_exits_2(path: tuple[str, ...], command: Any, tmp_path: Path) -> None:
    required = [p for p in command.params if p.param_type_name == "argument" and p.required]
    if not required:
        pytest.skip(f"slaforge {' '.join(path)} has no required argument")
    assert_clean_failure(invoke(list(path)), 2, tmp_path, set())


@pytest.mark.parametrize("path", groups(), ids=[" ".join(p) or "slaforge" for p in groups()])
def test_an_unknown_command_exits_2(path: tuple[str, ...], tmp_path: Path) -> None:
    result = invoke([*path, "no-such-command"])
    assert_clean_failure(result, 2, tmp_path, set())


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=IDS)
def test_invalid_input_exits_1(path: tuple[str, ...], command: Any, tmp_path: Path) -> None:
    """The first parameter that names input is given something invalid, the required rest something valid."""
    wrong = next(
        (p for p in command.params if p.metavar and invalid(p.metavar, tmp_path) is not None),
        None,
    )
    assert wrong is not None, f"slaforge {' '.join(path)}: add an invalid value for one of its metavars"
    args = list(path)
    for param in command.params:
        if param is wrong:
            value = invalid(param.metavar, tmp_path)
        elif param.required:
            value = valid(param.metavar, tmp_path)
        else:
            continue
        args += [value] if param.param_type_name == "argument" else [param.opts[-1], value]
    if any("--out" in p.opts or "--output" in p.opts for p in command.params if p is not wrong):
        out = next(p for p in command.params if "--out" in p.opts or "--output" in p.opts)
        args += [out.opts[-1], str(tmp_path / "out")]
    before = set(tmp_path.rglob("*"))
    result = invoke(args)
    assert_clean_failure(result, 1, tmp_path, before)
    assert "error" in result.output, result.output


def help_of(path: tuple[str, ...]) -> str:
    result = invoke([*path, "--help"])
    assert result.exit_code == 0, result.output
    return result.output


TYPE_NAMES = re.compile(r"<[^>]*>|\b(?:TEXT|INTEGER|FLOAT|PATH|BOOLEAN|list\[\w+\]|str|int|bool)\b")


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=IDS)
def test_help_has_a_line_for_every_value_and_names_it_in_words(path: tuple[str, ...], command: Any) -> None:
    for param in command.params:
        assert param.help, f"slaforge {' '.join(path)}: {param.name} has no help line"
        takes_value = param.param_type_name == "argument" or not param.is_flag
        if takes_value:
            assert param.metavar and re.fullmatch(r"[A-Z][A-Z0-9.#=:_\[\]-]*", param.metavar), (
                f"slaforge {' '.join(path)}: {param.name} should name its value in words (metavar), "
                f"not {param.metavar!r}"
            )
    text = help_of(path)
    usage, _, body = text.partition("\n\n")
    assert not re.search(r"\{[a-z_]+\}", usage), usage
    for line in body.splitlines():
        option_column = line[:30]
        assert not TYPE_NAMES.search(option_column), f"a Python type in the help of {' '.join(path)}: {line!r}"
    assert "Enum" not in text and "<" not in text.replace("<=", ""), text


def test_completion_is_offered_for_the_common_shells() -> None:
    text = help_of(())
    assert "--install-completion" in text and "--show-completion" in text
    script = invoke(["--show-completion", "bash"])
    assert script.exit_code == 0 and "complete -o default -F _slaforge_completion slaforge" in script.output


def test_the_reference_pages_are_those_the_command_line_gives_today() -> None:
    folder = ROOT / "docs" / "cli"
    expected = pages()
    stale = [name for name, text in expected.items() if not (folder / name).is_file() or
             (folder / name).read_text(encoding="utf-8") != text]  # fmt: skip
    extra = sorted(p.name for p in folder.glob("*.md") if p.name not in expected)
    assert not stale and not extra, (
        f"docs/cli/ is out of date (stale: {stale}, no longer a command: {extra}): run python3 dev.py docs"
    )


def test_every_reference_page_holds_its_commands_help() -> None:
    """Each page is the command's own help: its usage, summary, every option and every help line; the
    index links every page, and the README links the index."""
    expected = pages()
    for path, command in COMMANDS:
        name = "-".join(path) + ".md"
        page = " ".join(expected[name].split())
        assert page.startswith("<!-- generated") and f"# slaforge {' '.join(path)} " in page
        assert f"Usage: slaforge {' '.join(path)} [OPTIONS]" in page
        assert " ".join(command.help.split()).split(".")[0] in page
        for param in command.params:
            assert all(opt in page for opt in param.opts if param.param_type_name == "option"), (name, param.opts)
            assert " ".join(param.help.split()) in page, (name, param.help)
        assert f"]({name})" in expected["index.md"]
    assert "(docs/cli/index.md)" in (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("slaforge cal", "calc"),  # a command
        ("slaforge calc cr", "credit"),  # a subcommand
        ("slaforge build --pdf-v", "--pdf-variant"),  # an option
        ("slaforge init --for", "--force"),
    ],
)
def test_commands_subcommands_and_options_complete(words: str, expected: str) -> None:
    environment = {
        "_SLAFORGE_COMPLETE": "complete_bash",
        "COMP_WORDS": words,
        "COMP_CWORD": str(len(words.split()) - 1),
    }
    result = CliRunner().invoke(app, [], env=environment, prog_name="slaforge")
    assert result.output.split() == [expected]
