"""Every solution notebook on one core with its real defaults: wall time and peak memory against 3 min / 1.5 GB.

    python bench/notebook_budget.py --write    # the table in docs/benchmarks.md (see deepcomposer_edu/course/budget.py)
"""

from deepcomposer_edu.course.budget import main

if __name__ == "__main__":
    raise SystemExit(main())
