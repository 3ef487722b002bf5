"""A theme's page templates are the user's code: they render in the sandbox within a page's limits.

A number too large to compute, a text longer than a page may be, and a loop that would run for hours
end in one line naming the template, exit 1, and nothing written; a template that goes on too long
stops at the page's CPU-time limit.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hostile_cli import MINIMAL, assert_refused, slaforge

TEMPLATES = {
    "a number of ten billion digits": "{{ 10 ** (10 ** 10) }}",
    "a text of a hundred million characters": '{{ "x" * 100000000 }}',
    "a list of a hundred million items": "{{ ([1] * 100000000) | length }}",
    "a division by zero": "{{ 1 / 0 }}",
    "a float too large": "{{ 10.0 ** 400 }}",
    "a macro that calls itself": "{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}",
}


@pytest.mark.parametrize("name", list(TEMPLATES))
def test_a_hostile_page_template_is_one_line_naming_it(name: str, tmp_path: Path) -> None:
    theme = tmp_path / "theme"
    theme.mkdir()
    (theme / "document.html.j2").write_text(TEMPLATES[name], encoding="utf-8")
    out = tmp_path / "out"
    run = slaforge("build", MINIMAL, "-f", "html", "--theme-dir", theme, "-o", out, cwd=tmp_path)
    assert_refused(run, "document.html.j2", out=out)
    assert run.seconds < 60


def test_a_page_template_stops_at_its_time_limit(tmp_path: Path, monkeypatch) -> None:
    from slaforge.errors import RenderError
    from slaforge.renderers.theme import PageSandbox, Theme

    monkeypatch.setattr(PageSandbox, "render_seconds", 0.5)  # the real limit is 30 s: the same timer
    theme = tmp_path / "theme"
    theme.mkdir()
    loops = "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}done"
    (theme / "loops.html.j2").write_text(loops, encoding="utf-8")
    started = time.process_time()
    with pytest.raises(RenderError, match=r"loops\.html\.j2 could not be rendered: the page template took more"):
        Theme.load(theme).render("loops.html.j2", {})
    assert time.process_time() - started < 5  # ten billion turns would take hours


def test_a_page_template_stops_at_its_time_limit_in_a_worker_thread(tmp_path: Path, monkeypatch) -> None:
    """The limit is the thread's own CPU time, not a signal: it holds outside the main thread."""
    import threading

    from slaforge.errors import RenderError
    from slaforge.renderers.theme import PageSandbox, Theme

    monkeypatch.setattr(PageSandbox, "render_seconds", 0.5)
    theme = tmp_path / "theme"
    theme.mkdir()
    loops = "{% for a in range(100000) %}{% for b in range(100000) %}{{ '' }}{% endfor %}{% endfor %}done"
    (theme / "loops.html.j2").write_text(loops, encoding="utf-8")
    ended: list[BaseException] = []

    def render() -> None:
        try:
            Theme.load(theme).render("loops.html.j2", {})
        except BaseException as error:  # what the thread ended with, for the test to judge
            ended.append(error)

    workers = [threading.Thread(target=render) for _ in range(2)]  # two at once: each keeps its own budget
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    assert not any(worker.is_alive() for worker in workers), "a render in a thread did not stop"
    assert [type(e) for e in ended] == [RenderError, RenderError]
    assert all("took more than 0.5 seconds" in str(e) for e in ended), ended


@pytest.mark.parametrize(
    "template",
    [
        '{{ "x"|center(1000000000) }}',
        '{% set s = "x" * 60000000 %}{{ [s, s, s]|join }}',
        '{% set ns = namespace(s="x") %}{% for i in range(60) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}',
    ],
)
def test_a_page_template_that_multiplies_a_text_is_refused_before_it_is_built(template: str, tmp_path: Path) -> None:
    theme = tmp_path / "theme"
    theme.mkdir()
    (theme / "document.html.j2").write_text(template, encoding="utf-8")
    out = tmp_path / "out"
    run = slaforge("build", MINIMAL, "-f", "html", "--theme-dir", theme, "-o", out, cwd=tmp_path)
    assert_refused(run, "document.html.j2", out=out)
