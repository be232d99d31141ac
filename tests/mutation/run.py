"""Mutation testing of the money and routing core: ``make mutation`` (slow, not in ``make
test``). mutmut (pinned in constraints.txt) changes ``iamport_py/routing.py``,
``validation.py`` and ``amounts.py`` one small edit at a time (a number, an operator, a
string, a boolean, a condition) and runs their fast tests against each change: a change no
test notices (a mutant that survives) is a rule no test holds.

mutmut 2 edits the file in place, so everything happens in copies, one per module
(``build/mutation/<module>/``, run side by side with ``--jobs``): the working tree is never
touched, and the tests of other people running at the same time never meet a mutant. The
score printed at the end is ``killed / total``; a mutant that hangs the tests (timeout)
counts as killed, as a test run would notice it too. A mutant that cannot change behaviour
is listed in :data:`EQUIVALENT` with the reason, and shown apart.

    python tests/mutation/run.py [--module amounts] [--jobs 2] [--fail-under 90]

Recorded (issue 23, mutmut 2.5.1, 547 mutants): 395 killed (72.2 %) with the tests as they
were; 537 (98.2 %) once tests/portable/test_amounts.py, test_validation_rules.py and the
routing tests named after split_pg's and the warnings' rules were added, 9 of the 10 left
equivalent (:data:`EQUIVALENT`). The one that survives, ``<=`` to ``<`` in the amount
rule's float tolerance, differs only for an amount exactly a millionth of a minor unit
from a whole one (``1e-8`` USD): today that amount is accepted and normalised to ``0.0``,
a bug of its own rather than a test to write.
"""

import argparse
import os
import shutil
import sqlite3
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
WORK = os.path.join(ROOT, "build", "mutation")
COPIED = ("iamport_py", "tests/__init__.py", "tests/portable", "tests/test_routing_properties.py")

PORTABLE = ("tests/portable",)
MODULES = {
    "amounts": ("iamport_py/amounts.py", PORTABLE),
    "routing": ("iamport_py/routing.py", PORTABLE + ("tests/test_routing_properties.py",)),
    "validation": ("iamport_py/validation.py", PORTABLE),
}
"""``{name: (module, the tests run against its mutants)}``: the portable tests (they also
run on MicroPython) and, for the routing rule, its properties (Hypothesis)."""

_NOT_READ = "an annotation: nothing evaluates it at run time"
_NO_TIME = (
    "a vbank_due without a time reads it as 0; 1 is as plausible, and no shape has a "
    "time with the date alone"
)
EQUIVALENT = {
    (
        "iamport_py/routing.py",
        "TYPE_CHECKING = False",
        "TYPE_CHECKING = None",
    ): "False and None are both false: the typing imports stay unrun",
    (
        "iamport_py/validation.py",
        "TYPE_CHECKING = False",
        "TYPE_CHECKING = None",
    ): "False and None are both false: the typing imports stay unrun",
    (
        "iamport_py/validation.py",
        '_DUE_SHAPES: "tuple[tuple[int, dict[int, str]], ...]" = (',
        '_DUE_SHAPES: "XXtuple[tuple[int, dict[int, str]], ...]XX" = (',
    ): _NOT_READ,
    (
        "iamport_py/validation.py",
        "hour = int(digits[8:10]) if len(digits) >= 12 else 0",
        "hour = int(digits[8:10]) if len(digits) >= 12 else 1",
    ): _NO_TIME,
    (
        "iamport_py/validation.py",
        "minute = int(digits[10:12]) if len(digits) >= 12 else 0",
        "minute = int(digits[10:12]) if len(digits) >= 12 else 1",
    ): _NO_TIME,
    (
        "iamport_py/validation.py",
        "second = int(digits[12:14]) if len(digits) >= 14 else 0",
        "second = int(digits[12:14]) if len(digits) >= 14 else 1",
    ): _NO_TIME,
    (
        "iamport_py/validation.py",
        "second = int(digits[12:14]) if len(digits) >= 14 else 0",
        "second = int(digits[12:15]) if len(digits) >= 14 else 0",
    ): "the digits of a vbank_due are at most 14: [12:15] and [12:14] are the same two",
    (
        "iamport_py/validation.py",
        '"billing_only": False,',
        '"XXbilling_onlyXX": False,',
    ): "the placeholder entry of a PG the catalog does not know: nothing reads its billing_only",
    (
        "iamport_py/validation.py",
        '"billing_only": False,',
        '"billing_only": True,',
    ): "the placeholder entry of a PG the catalog does not know: nothing reads its billing_only",
}
"""``{(module, original line, mutated line): why no test can tell them apart}``, lines
stripped, as ``mutmut show`` prints them."""

KILLED = ("ok_killed", "ok_suspicious", "bad_timeout")

# For the copies that run the Hypothesis properties: the same examples for every mutant (a
# score that does not move between runs), and no shrinking (a failure is all a mutant needs).
HYPOTHESIS_PROFILE = """
from hypothesis import Phase, settings

settings.register_profile("mutation", derandomize=True, database=None, deadline=None,
                          phases=(Phase.explicit, Phase.reuse, Phase.generate))
settings.load_profile("mutation")
"""


def copy_tree(work):
    shutil.rmtree(work, ignore_errors=True)
    for path in COPIED:
        source, target = os.path.join(ROOT, path), os.path.join(work, path)
        if os.path.isdir(source):
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            os.makedirs(os.path.dirname(target), exist_ok=True)
            shutil.copy2(source, target)


def runner(tests):
    options = ["-x", "-q", "-p", "no:cacheprovider", "-p", "no:iamport_sandbox", "-p", "no:xdist"]
    if not any("properties" in test for test in tests):
        options += ["-p", "no:hypothesispytest"]  # 0.6 s of every run, for nothing
    return " ".join([sys.executable, "-m", "pytest", *options, *tests])


def start(name):
    """mutmut on module ``name``, in a copy of its own (a running process)."""
    module, tests = MODULES[name]
    work = os.path.join(WORK, name)
    copy_tree(work)
    if any("properties" in test for test in tests):
        with open(os.path.join(work, "conftest.py"), "w", encoding="utf-8") as handle:
            handle.write(HYPOTHESIS_PROFILE)
    # No .pyc: a mutant of the same size written within the same second as the last one
    # would otherwise be imported from the last one's bytecode.
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    print("mutating {} against {}".format(module, " ".join(tests)), flush=True)
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "mutmut",
            "run",
            "--paths-to-mutate",
            module,
            "--tests-dir",
            "tests",
            "--runner",
            runner(tests),
            "--simple-output",
            "--no-progress",
        ],
        cwd=work,
        env=env,
        stdout=subprocess.DEVNULL,
    )


def results(name):
    """``[(id, module, status, work folder)]`` from mutmut's cache of module ``name``."""
    work = os.path.join(WORK, name)
    db = sqlite3.connect(os.path.join(work, ".mutmut-cache"))
    try:
        rows = db.execute(
            "SELECT Mutant.id, SourceFile.filename, Mutant.status FROM Mutant "
            "JOIN Line ON Mutant.line = Line.id JOIN SourceFile ON Line.sourcefile = SourceFile.id "
            "ORDER BY Mutant.id"
        ).fetchall()
    finally:
        db.close()
    return [row + (work,) for row in rows]


def change(mutant_id, work):
    """``(original line, mutated line)`` of a mutant, stripped."""
    shown = subprocess.run(
        [sys.executable, "-m", "mutmut", "show", str(mutant_id)],
        cwd=work,
        capture_output=True,
        text=True,
        check=False,
    ).stdout.splitlines()
    removed = [
        line[1:].strip() for line in shown if line.startswith("-") and not line.startswith("---")
    ]
    added = [
        line[1:].strip() for line in shown if line.startswith("+") and not line.startswith("+++")
    ]
    return " / ".join(removed), " / ".join(added)


def report(rows):
    """Print the score per module and in all; return the percentage killed."""
    survivors, equivalent = [], []
    for mutant_id, module, status, work in rows:
        if status not in KILLED:
            before, after = change(mutant_id, work)
            why = EQUIVALENT.get((module, before, after))
            (equivalent if why else survivors).append(
                (mutant_id, module, status, before, after, why)
            )
    print("\nmutation score (killed / mutants):")
    for module in sorted({row[1] for row in rows}):
        statuses = [row[2] for row in rows if row[1] == module]
        killed = sum(1 for status in statuses if status in KILLED)
        timeouts = statuses.count("bad_timeout")
        print(
            "  {:28} {:4} / {:4}  {:5.1f} %{}".format(
                module,
                killed,
                len(statuses),
                100.0 * killed / len(statuses),
                "  ({} by timeout)".format(timeouts) if timeouts else "",
            )
        )
    killed = sum(1 for row in rows if row[2] in KILLED)
    score = 100.0 * killed / len(rows) if rows else 0.0
    print("  {:28} {:4} / {:4}  {:5.1f} %".format("all", killed, len(rows), score))
    if equivalent:
        print(
            "  without the {} equivalent mutants: {} / {}  {:.1f} %".format(
                len(equivalent),
                killed,
                len(rows) - len(equivalent),
                100.0 * killed / (len(rows) - len(equivalent)),
            )
        )
        print("\nequivalent (listed in tests/mutation/run.py, with the reason):")
        for mutant_id, module, _, before, after, why in equivalent:
            print("  #{} {}: {} -> {}\n      {}".format(mutant_id, module, before, after, why))
    if survivors:
        print("\nsurvived (no test noticed; `cd build/mutation/<module> && mutmut show ID`):")
        for mutant_id, module, status, before, after, _ in survivors:
            print("  #{} {} [{}]: {} -> {}".format(mutant_id, module, status, before, after))
    return score


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--module",
        action="append",
        choices=sorted(MODULES),
        help="only this module (repeatable; default: all three)",
    )
    parser.add_argument("--jobs", type=int, default=2, help="modules mutated at once")
    parser.add_argument(
        "--fail-under", type=float, default=0.0, help="exit 1 when the score (in %%) is below this"
    )
    args = parser.parse_args()
    started = time.monotonic()
    names = args.module or sorted(MODULES)
    waiting, running = list(names), []
    while waiting or running:
        while waiting and len(running) < max(1, args.jobs):
            running.append(start(waiting.pop(0)))
        time.sleep(1)
        running = [process for process in running if process.poll() is None]
    score = report([row for name in names for row in results(name)])
    print("\n{:.0f} s".format(time.monotonic() - started))
    if score < args.fail_under:
        print("below {} %".format(args.fail_under))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
