"""A user's clause body is untrusted code: whatever it does, the build ends at once with one problem naming
the clause file and line, exit 1, nothing written; in a worker process of a ``--jobs 2`` build too.

Each runs in its own process under limits of CPU time and memory (:mod:`hostile_cli`): a body that
hung or filled the memory would fail the test, not stall the suite.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hostile_cli import MINIMAL, SAMPLES, assert_refused, slaforge

FRONT = '---\nid: own.hostile\ntitle: Hostile\ncategory: change\norder: 99\nversion: "1.0"\nlevels: [{levels}]\n---\n'
BODY_LINE = 11  # the front matter is lines 1-8, "Before." line 9, a blank line, then the hostile line

BODIES = {
    "a power of 10**10 digits": ("{{ 10**(10**10) }}", "digits"),
    "a product growing without end": ("{% set x = 10**3000 %}{{ x * x * x * x * x * x * x * x }}", "digits"),
    "nested loops of 10**10 turns": (
        "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
        "seconds to render",
    ),
    "a macro that calls itself": ("{% macro m(n) %}{{ m(n) }}{% endmacro %}{{ m(1) }}", "RecursionError"),
    "1/0": ("{{ 1/0 }}", "ZeroDivisionError"),
    "10.0**400": ("{{ 10.0**400 }}", "OverflowError"),
    "a text of 10**8 characters": ('{{ "x" * 100000000 }}', "longer than the body may be"),
    "a format of width 10**9": ('{{ "%999999999s" % "x" }}', "width"),
    "a sandbox escape": ("{{ ''.__class__.__mro__[1].__subclasses__() }}", "unsafe"),
    "a number too long to print": ("{{ 10**3900 * 10**3900 }}", "digits"),
    # filters and methods that multiply: judged before they build anything
    "a centre of width 10**9": ('{{ "x"|center(1000000000) }}', "more than the 100,000"),
    "an ljust of width 10**9": ('{{ "x".ljust(1000000000) }}', "more than the 100,000"),
    "a str.format width of 10**9": ('{{ "{:>1000000000}".format(1) }}', "more than the 100,000"),
    "a str.format width from its arguments": ('{{ "{:>{w}}".format(1, w=1000000000) }}', "more than the 100,000"),
    "a '%*d' width from its arguments": ('{{ "%*d" % (1000000000, 1) }}', "more than the 100,000"),
    "a format filter's width": ('{{ "%999999999d"|format(1) }}', "more than the 100,000"),
    "an indent of 10**9": ('{{ "x"|indent(1000000000) }}', "more than the 100,000"),
    "a replace that multiplies": ('{{ ("x" * 1000000)|replace("x", "y" * 1000) }}', "longer than the body"),
    "a translate that multiplies": ('{{ ("x" * 1000000).translate({120: "y" * 1000}) }}', "longer than the body"),
    "a join of one text repeated": ('{{ (["x" * 1000000] * 100000)|map("string")|join }}', "longer than the body"),
    "a list printed whole": ('{{ (["x" * 1000000] * 100000)|string }}', "longer than the body"),
    "a list written of one long text": ('{% set s = "x" * 900000 %}{{ [s, s, s]|length }}', "longer than the body"),
    "a batch filled to 10**9": ('{{ [1]|batch(1000000000, "x")|list|length }}', "more than the 100,000"),
    "slices of 10**9": ("{{ [1]|slice(1000000000)|list|length }}", "more than the 100,000"),
    "a sum of lists": ("{{ ([[1]] * 100000)|sum(start=[])|length }}", "sum adds numbers"),
    "a text doubled sixty times with ~": (
        '{% set ns = namespace(s="x") %}{% for i in range(60) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}',
        "longer than the body",
    ),
    "a text doubled sixty times with +": (
        '{% set ns = namespace(s="x") %}{% for i in range(60) %}{% set ns.s = ns.s + ns.s %}{% endfor %}',
        "longer than the body",
    ),
    # characters no document holds, built by the body from escapes the file itself does not contain
    "a lone surrogate built with %c": ('{{ "%c" % 55296 }}', "a lone surrogate U+D800"),
    "a lone surrogate from an escape": ('{{ "\\ud800" }}', "a lone surrogate U+D800"),
    "an escape sequence from an escape": ('{{ "\\x1b[2J" }}', "the control character U+001B"),
    "a NUL from an escape": ('{{ "\\x00" }}', "the control character U+0000"),
    "lorem ipsum, a text from no clause": ("{{ lipsum(100000000) }}", "'lipsum' is not defined"),
    "a random choice, a different document each run": ("{{ [1, 2]|random }}", "No filter named 'random'"),
}


def clause(folder: Path, body: str, levels: str = "service") -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / "hostile.md"
    path.write_text(FRONT.format(levels=levels) + f"Before.\n\n{body}\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("name", list(BODIES))
def test_a_hostile_clause_body_is_one_located_problem(name: str, tmp_path: Path) -> None:
    body, says = BODIES[name]
    clause(tmp_path / "clauses", body)
    run = slaforge("build", MINIMAL, "--clauses", "clauses", "-f", "html", "-o", "out", cwd=tmp_path)
    assert_refused(run, "clauses/hostile.md:", out=tmp_path / "out")
    assert says in run.err, run.err
    assert run.seconds < 170


def test_the_time_limit_holds_in_a_worker_thread(tmp_path: Path) -> None:
    """No signal or timer: a body rendered in a thread that is not the main one stops at its limit too."""
    import threading

    from slaforge.build import BuildOptions, build_spec
    from slaforge.errors import SlaforgeError

    clause(tmp_path / "clauses", BODIES["nested loops of 10**10 turns"][0])
    options = BuildOptions(formats=("html",), out_dir=tmp_path / "out", clause_dirs=(tmp_path / "clauses",))
    ended: list[BaseException] = []

    def build() -> None:
        try:
            build_spec(MINIMAL, options)
        except BaseException as error:  # what the thread ended with, for the test to judge
            ended.append(error)

    worker = threading.Thread(target=build, name="a worker thread")
    worker.start()
    worker.join(timeout=120)  # ten billion turns would take hours
    assert not worker.is_alive(), "the render in the thread did not stop"
    assert len(ended) == 1 and isinstance(ended[0], SlaforgeError), ended
    assert "seconds to render" in str(ended[0]) + "".join(str(p) for p in getattr(ended[0], "problems", ()))
    assert not (tmp_path / "out").exists()


def test_a_body_too_long_is_refused_however_it_is_built(tmp_path: Path) -> None:
    clause(tmp_path / "clauses", '{% for i in range(100000) %}{{ "y" * 100 }}{% endfor %}')
    run = slaforge("build", MINIMAL, "--clauses", "clauses", "-f", "html", "-o", "out", cwd=tmp_path)
    assert_refused(run, "clauses/hostile.md:", out=tmp_path / "out")
    assert "more than 1,000,000 characters" in run.err


def test_a_hostile_body_in_a_worker_process_is_one_located_problem(tmp_path: Path) -> None:
    shutil.copytree(SAMPLES / "portfolio", tmp_path / "portfolio")
    clause(tmp_path / "clauses", "{{ 1/0 }}", levels="corporate, customer, service")
    args = ("build", "portfolio/portfolio.yaml", "--clauses", "clauses", "-f", "html", "-o", "out", "--jobs", "2")
    run = slaforge(*args, cwd=tmp_path)
    assert_refused(run, f"clauses/hostile.md:{BODY_LINE}:", out=tmp_path / "out")
    assert "ZeroDivisionError" in run.err and "RemoteTraceback" not in run.err


@pytest.mark.parametrize(
    ("what", "make", "says"),
    [
        ("a folder named x.md", lambda f: (f / "x.md").mkdir(), "folder"),
        (
            "a scalar categories.yaml",
            lambda f: (f / "categories.yaml").write_text("just words\n"),
            "list of categories",
        ),
        (
            "a categories.yaml of mappings",
            lambda f: (f / "categories.yaml").write_text("parties: Parties\n"),
            "list of categories",
        ),
        ("a category without a title", lambda f: (f / "categories.yaml").write_text("- id: x\n"), "needs an id"),
        (
            "a Latin-1 clause body",
            lambda f: (f / "latin.md").write_bytes((FRONT.format(levels="service") + "Caf\xe9.\n").encode("latin-1")),
            "not UTF-8",
        ),
    ],
)
def test_a_broken_clause_folder_is_located(what: str, make, says: str, tmp_path: Path) -> None:
    folder = tmp_path / "clauses"
    folder.mkdir()
    make(folder)
    for command in (
        ("build", MINIMAL, "--clauses", "clauses", "-f", "html", "-o", "out"),
        ("clauses", "check", "clauses"),
    ):
        run = slaforge(*command, cwd=tmp_path)
        assert_refused(run, "clauses/", out=tmp_path / "out")
        assert says in run.err, run.err
