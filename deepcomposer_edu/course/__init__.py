"""The course frame: tools that keep the lesson notebooks runnable (not used by the lessons themselves).

- `sync.py`: generates lessons/ from solutions/ and checks that they are in step (CI fails on a stale lesson).
- `budget.py`: runs every solution notebook on one core and records its time and peak memory.
docs/teaching.md explains the conventions; lessons/README.md is the course map.
"""
