"""Keep lessons/ in step with solutions/: every lesson notebook is generated from its solved twin.

    python -m deepcomposer_edu.course.sync           # write lessons/NN_name.ipynb from solutions/NN_name.ipynb
    python -m deepcomposer_edu.course.sync --check   # exit 1, naming each lesson that is stale, missing or orphaned
    python -m deepcomposer_edu.course.sync 03        # only the lessons whose names start with 03

In a solution's code cell, the learner's part sits between two marker lines, at any indentation:

        ### BEGIN SOLUTION: count the notes of every track
        return len(song.notes)
        ### END SOLUTION

The lesson gets, at the same indentation, `# TODO: count the notes of every track` and
`raise NotImplementedError(...)`. The lesson's outputs are cleared. Cells that would raise because of a stub
are tagged `raises-exception` (so `pytest --nbval-lax` expects the error): a cell whose stub is at the top
level (not inside a function), and every cell the solution tags `uses-exercise` (a cell that calls the
learner's function outside a check). docs/teaching.md explains the convention to lesson authors.
"""

from __future__ import annotations

import argparse
import copy
import re
import sys
from pathlib import Path

import nbformat

from ..errors import DeepComposerError
from ..files import atomic_write_text
from ..paths import PACKAGE_DIR

BEGIN = re.compile(r"^(?P<indent>[ \t]*)### BEGIN SOLUTION\b[ \t:-]*(?P<hint>.*?)\s*$")
END = re.compile(r"^[ \t]*### END SOLUTION\s*$")
STUB_MESSAGE = "your code here: see the TODO above"
USES_EXERCISE, RAISES = "uses-exercise", "raises-exception"
# Cell metadata worth keeping in a lesson; the rest (execution timings, scroll state) changes on every run.
KEPT_CELL_METADATA = ("tags", "jupyter", "editable", "deletable", "slideshow")


class CourseSyncError(DeepComposerError):
    """A solution notebook that cannot become a lesson (unmatched markers, no solutions folder)."""


def stub_out(source: str, where: str = "cell") -> tuple[str, bool]:
    """Replace each solution block in `source` by a TODO and a stub; also say whether a stub sits at top level."""
    lines, out = source.splitlines(), []
    block_indent: str | None = None
    top_level = False
    for number, line in enumerate(lines, start=1):
        begin, end = BEGIN.match(line), END.match(line)
        if begin:
            if block_indent is not None:
                raise CourseSyncError(f"{where}, line {number}: ### BEGIN SOLUTION inside another solution block")
            block_indent = begin["indent"]
            top_level = top_level or block_indent == ""
            todo = f"# TODO: {begin['hint']}" if begin["hint"] else "# TODO: your code here"
            out += [block_indent + todo, f"{block_indent}raise NotImplementedError({STUB_MESSAGE!r})"]
        elif end:
            if block_indent is None:
                raise CourseSyncError(f"{where}, line {number}: ### END SOLUTION without ### BEGIN SOLUTION")
            block_indent = None
        elif block_indent is None:
            out.append(line)
    if block_indent is not None:
        raise CourseSyncError(f"{where}: ### BEGIN SOLUTION without ### END SOLUTION")
    return "\n".join(out), top_level


def lesson_from_solution(solution: nbformat.NotebookNode, name: str = "solution") -> nbformat.NotebookNode:
    """The learner's notebook: solution blocks stubbed out, outputs cleared, raising cells tagged."""
    lesson = nbformat.v4.new_notebook()
    lesson.nbformat, lesson.nbformat_minor = 4, 5
    lesson.metadata = {
        "kernelspec": copy.deepcopy(solution.metadata.get("kernelspec", {})),
        "language_info": {"name": "python"},
        "deepcomposer": {"generated_from": f"solutions/{name}", "edit": "edit the solution, then run sync"},
    }
    for index, cell in enumerate(solution.cells):
        metadata = {key: copy.deepcopy(cell.metadata[key]) for key in KEPT_CELL_METADATA if key in cell.metadata}
        cell_id = cell.get("id") or f"cell-{index}"
        if cell.cell_type != "code":
            lesson.cells.append(nbformat.from_dict(
                {"cell_type": cell.cell_type, "id": cell_id, "metadata": metadata, "source": cell.source}
            ))
            continue
        source, raises = stub_out(cell.source, where=f"solutions/{name} cell {index}")
        tags = [tag for tag in metadata.get("tags", []) if tag != USES_EXERCISE]
        if (raises or USES_EXERCISE in metadata.get("tags", [])) and RAISES not in tags:
            tags.append(RAISES)
        metadata.pop("tags", None)
        if tags:
            metadata["tags"] = tags
        lesson.cells.append(nbformat.v4.new_code_cell(source, id=cell_id, metadata=metadata))
    return lesson


def lesson_text(solution_path: Path) -> str:
    """The lesson generated from `solution_path`, as the exact text nbformat writes (stable, sorted keys)."""
    solution = nbformat.read(solution_path, as_version=4)
    return nbformat.writes(lesson_from_solution(solution, solution_path.name)) + "\n"


def course_root(root: str | Path | None = None) -> Path:
    """The folder holding solutions/ and lessons/: `root`, else the checkout this package was installed from."""
    folder = Path(root) if root is not None else PACKAGE_DIR.parent
    if not (folder / "solutions").is_dir():
        raise CourseSyncError(f"{folder}: no solutions/ folder here (pass --root to the course checkout)")
    return folder


def sync(root: str | Path | None = None, only: list[str] | tuple[str, ...] = ()) -> list[Path]:
    """Write every lesson whose text differs from what its solution generates; return the lessons written.

    `only`: name prefixes ("03", "03_gans") to limit the sync to some lessons.
    """
    root = course_root(root)
    written = []
    for solution_path in sorted((root / "solutions").glob("*.ipynb")):
        if only and not any(solution_path.name.startswith(prefix) for prefix in only):
            continue
        lesson_path = root / "lessons" / solution_path.name
        text = lesson_text(solution_path)
        if not lesson_path.exists() or lesson_path.read_text(encoding="utf-8") != text:
            atomic_write_text(lesson_path, text, overwrite=True, mode=0o644)
            written.append(lesson_path)
    return written


def stale_lessons(root: str | Path | None = None) -> list[str]:
    """One line per lesson that is out of step with solutions/ (empty when all is in step)."""
    root = course_root(root)
    problems = []
    solutions = sorted((root / "solutions").glob("*.ipynb"))
    for solution_path in solutions:
        lesson_path = root / "lessons" / solution_path.name
        if not lesson_path.exists():
            problems.append(f"lessons/{solution_path.name}: missing (generate it from solutions/{solution_path.name})")
        elif lesson_path.read_text(encoding="utf-8") != lesson_text(solution_path):
            problems.append(f"lessons/{solution_path.name}: stale (differs from what solutions/{solution_path.name} generates)")
    solution_names = {path.name for path in solutions}
    for lesson_path in sorted((root / "lessons").glob("*.ipynb")):
        if lesson_path.name not in solution_names:
            problems.append(f"lessons/{lesson_path.name}: has no solution (lessons are generated from solutions/)")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deepcomposer_edu.course.sync", description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if any lesson is out of step")
    parser.add_argument("lessons", nargs="*", help="only these lessons (name prefixes such as 03); default: all")
    parser.add_argument("--root", help="the folder holding solutions/ and lessons/ (default: this checkout)")
    args = parser.parse_args(argv)
    try:
        if args.check:
            problems = [
                problem for problem in stale_lessons(args.root)
                if not args.lessons or any(problem.startswith(f"lessons/{prefix}") for prefix in args.lessons)
            ]
            for problem in problems:
                print(problem, file=sys.stderr)
            if problems:
                print("run: python -m deepcomposer_edu.course.sync", file=sys.stderr)
            return 1 if problems else 0
        for lesson_path in sync(args.root, args.lessons):
            print(f"wrote {lesson_path}")
    except DeepComposerError as error:
        print(f"sync: error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
