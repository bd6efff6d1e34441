"""What a build holds is kept out of full garbage collections while it runs, and handed back when it ends."""

from __future__ import annotations

import gc
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from briefgen import build as build_module
from briefgen import heap
from tests.projects import build, make_project


@pytest.fixture(autouse=True)
def _nothing_frozen() -> None:
    gc.unfreeze()


def test_what_is_kept_is_skipped_by_collections_until_the_block_ends() -> None:
    kept = [[] for _ in range(1000)]  # tracked containers, alive throughout
    with heap.kept_until_done():
        heap.keep_alive_now()
        assert gc.get_freeze_count() >= len(kept)
    assert gc.get_freeze_count() == 0


def test_outside_a_build_nothing_is_kept() -> None:
    heap.keep_alive_now()
    assert gc.get_freeze_count() == 0


def test_overlapping_builds_hand_back_only_when_the_last_ends() -> None:
    first_in, second_done = threading.Event(), threading.Event()
    counts: list[int] = []

    def first() -> None:
        with heap.kept_until_done():
            heap.keep_alive_now()
            first_in.set()
            second_done.wait(10)
            counts.append(gc.get_freeze_count())  # the other build has ended: still kept

    thread = threading.Thread(target=first)
    thread.start()
    first_in.wait(10)
    with heap.kept_until_done():
        heap.keep_alive_now()
    second_done.set()
    thread.join(10)
    assert counts and counts[0] > 0
    assert gc.get_freeze_count() == 0


def test_a_build_keeps_its_facts_while_it_runs_and_hands_them_back(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    kept: list[int] = []

    def keep_and_count() -> None:
        heap.keep_alive_now()
        kept.append(gc.get_freeze_count())

    monkeypatch.setattr(build_module, "keep_alive_now", keep_and_count)
    root = make_project(tmp_path / "project")
    result = build(root, "--format", "html")
    assert result.exit_code == 0, result.output
    assert kept and min(kept) > 0  # the facts read, then those prepared for each audience
    assert gc.get_freeze_count() == 0


def test_collection_is_paused_until_the_last_overlapping_block_ends() -> None:
    with heap.collection_paused():
        assert not gc.isenabled()
        with heap.collection_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_pause_leaves_a_collector_turned_off_before_it_off() -> None:
    gc.disable()
    try:
        with heap.collection_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_build_assembles_each_brief_and_writes_its_export_with_the_collector_paused_and_turns_it_back_on(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    collecting: dict[str, list[bool]] = {"assemble_brief": [], "write_export": []}

    def looking(name: str) -> Callable[..., object]:
        done = getattr(build_module, name)

        def look(*args: object, **options: object) -> object:
            collecting[name].append(gc.isenabled())
            return done(*args, **options)
        return look

    for name in collecting:
        monkeypatch.setattr(build_module, name, looking(name))
    root = make_project(tmp_path / "project")
    result = build(root, "--format", "html")
    assert result.exit_code == 0, result.output
    assert all(collecting.values()) and not any(any(seen) for seen in collecting.values()), collecting
    assert gc.isenabled()


def test_what_a_block_makes_is_made_with_the_collector_paused_and_kept_when_it_ends() -> None:
    with heap.kept_until_done():
        with heap.made_and_kept():
            assert not gc.isenabled()
            made = [[] for _ in range(1000)]
        assert gc.isenabled()
        assert gc.get_freeze_count() >= len(made)
    assert gc.get_freeze_count() == 0


def test_what_the_command_line_leaves_alive_at_exit_is_left_to_the_system() -> None:
    """After a command, the process's last collection does not walk what is still alive (a build's millions of
    objects): a cycle alive at exit is not collected, so its finalizer never runs. Without the command line, the
    same cycle is collected as the interpreter ends."""
    script = ("import sys\n"
              "class Cycle:\n"
              "    def __del__(self): sys.stdout.write('collected')\n"
              "{invoke}"
              "held = Cycle(); held.me = held\n")
    invoke = ("from click.testing import CliRunner\nfrom briefgen.cli import main\n"
              "CliRunner().invoke(main, ['check', '--project', 'no such folder'])\n")
    for prefix, said in ((invoke, ""), ("", "collected")):
        result = subprocess.run([sys.executable, "-c", script.format(invoke=prefix)], capture_output=True,
                                text=True, check=True)
        assert result.stdout == said, result.stderr
