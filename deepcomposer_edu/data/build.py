"""Build the shipped corpora under `datasets/` from music21's bundled public-domain corpus.

Lesson: lessons/02_music_as_data.ipynb (where the corpus comes from). Learners never need to run this:
its output is committed. Maintainers run it after changing `sources.py` or `extract.py`:

    python -m deepcomposer_edu.data.build --overwrite          # both cores, resumes from its cache

Steps: (1) list the jobs: one per ABC tune (ABC files hold hundreds) and one per MusicXML/Humdrum file;
(2) parse each job with music21 in a pool of processes, caching every result (or failure) as a small JSON
file keyed by the job's text and the code version, so an interrupted build resumes where it stopped;
(3) assemble: melody fingerprints, split groups, column arrays, the manifest. The output is byte-for-byte
the same on every run (fixed order, fixed zip timestamps), so its checksums can be tested.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import signal
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path

from ..files import atomic_write_text
from .sources import SOURCES, CorpusSource, corpus_root, source_files

EXTRACT_VERSION = 2  # bump when extract.py changes what it produces: the cache is keyed by it
JOB_TIME_LIMIT_S = 300


@dataclass(frozen=True)
class Job:
    """One unit of parsing: a whole file, or one tune (`ordinal`, counted from 1) of an ABC file."""

    corpus: str
    path: str
    program: int
    ordinal: int | None = None
    text: str | None = None
    four_voices: bool = False

    @property
    def piece_id(self) -> str:
        return self.path if self.ordinal is None else f"{self.path}#{self.ordinal}"


def read_text(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def abc_tunes(text: str) -> list[str]:
    """Split an ABC file into tunes; each keeps the file header (the lines before the first `X:`)."""
    header: list[str] = []
    tunes: list[list[str]] = []
    for line in text.splitlines():
        if line.startswith("X:"):
            tunes.append([line])
        elif tunes:
            tunes[-1].append(line)
        else:
            header.append(line)
    return ["\n".join(header + tune) + "\n" for tune in tunes]


def jobs_for(source: CorpusSource, root: Path) -> list[Job]:
    jobs: list[Job] = []
    for name in source_files(source, root):
        if name.endswith(".abc"):
            for ordinal, tune in enumerate(abc_tunes(read_text(root / name)), start=1):
                jobs.append(Job(source.name, name, source.program, ordinal, tune, source.four_voices))
        else:
            jobs.append(Job(source.name, name, source.program, four_voices=source.four_voices))
    return jobs


def job_key(job: Job, root: Path) -> str:
    """Cache key: changes when the tune's text, the file, music21 or our extraction code changes."""
    import music21

    digest = hashlib.sha256(f"{EXTRACT_VERSION}|{music21.__version__}|{job.piece_id}|".encode())
    digest.update(job.text.encode() if job.text is not None else (root / job.path).read_bytes())
    return digest.hexdigest()[:32]


def _alarm(signum, frame):  # pragma: no cover - only for a parse that hangs
    raise TimeoutError(f"music21 took over {JOB_TIME_LIMIT_S} s")


def parse_job(job: Job, root: Path) -> dict:
    """Parse one job with music21: {"piece": record} or {"error": "reason"}."""
    from music21 import converter

    from .extract import abc_fields, piece_from_score

    warnings.simplefilter("ignore")
    signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(JOB_TIME_LIMIT_S)
    try:
        if job.text is not None:
            score = converter.parseData(job.text, format="abc")
            extra = abc_fields(job.text)
        else:
            score = converter.parse(root / job.path, forceSource=True)
            extra = {}
        if not hasattr(score, "parts"):  # an Opus (several scores) where one was expected
            raise ValueError(f"expected one score, music21 returned a {type(score).__name__}")
        return {"piece": piece_from_score(score, job.piece_id, job.program, extra, job.four_voices)}
    except Exception as error:  # noqa: BLE001 - any music21 failure is recorded and the build goes on
        return {"error": f"{type(error).__name__}: {error}"[:300]}
    finally:
        signal.alarm(0)


def cached_parse(args: tuple[Job, Path, Path]) -> dict:
    """`parse_job`, answered from (and saved to) the cache folder."""
    job, root, cache = args
    path = cache / f"{job_key(job, root)}.json"
    if path.exists():
        return json.loads(path.read_text())
    result = parse_job(job, root)
    atomic_write_text(path, json.dumps(result, separators=(",", ":")), overwrite=True)
    return result


def extract_all(jobs: list[Job], root: Path, cache: Path, processes: int) -> list[dict]:
    """Parse every job (in `processes` worker processes), in job order, with a progress bar."""
    from multiprocessing import get_context

    from tqdm import tqdm

    cache.mkdir(parents=True, exist_ok=True)
    work = [(job, root, cache) for job in jobs]
    with tqdm(total=len(jobs), desc="parsing with music21", unit="piece", file=sys.stderr) as bar:
        if processes <= 1:
            results = []
            for item in work:
                results.append(cached_parse(item))
                bar.update()
            return results
        with get_context("spawn").Pool(processes) as pool:
            results = []
            for result in pool.imap(cached_parse, work, chunksize=4):
                results.append(result)
                bar.update()
            return results


def default_cache() -> Path:
    base = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
    return base / "deepcomposer-edu" / "corpus-build"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deepcomposer_edu.data.build", description=__doc__.split("\n")[0])
    parser.add_argument("--jobs", type=int, default=2, help="worker processes (default 2)")
    parser.add_argument("--cache", type=Path, default=default_cache(), help="folder of cached parse results")
    parser.add_argument("--output", type=Path, default=None, help="output folder (default: the repository's datasets/)")
    parser.add_argument("--only", action="append", help="build only this corpus (repeatable; for trying changes)")
    parser.add_argument("--extract-only", action="store_true", help="parse and cache, write nothing else")
    parser.add_argument("--overwrite", action="store_true", help="replace existing shipped files")
    args = parser.parse_args(argv)

    root = corpus_root()
    sources = [source for source in SOURCES if not args.only or source.name in args.only]
    jobs = [job for source in sources for job in jobs_for(source, root)]
    print(f"{len(jobs)} jobs from {len(sources)} corpora", file=sys.stderr)
    results = extract_all(jobs, root, args.cache, args.jobs)
    if args.extract_only:
        failures = sum("error" in result for result in results)
        print(f"parsed {len(results) - failures} pieces, {failures} failures", file=sys.stderr)
        return 0
    from .assemble import write_datasets

    write_datasets(sources, jobs, results, args.output, overwrite=args.overwrite)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
