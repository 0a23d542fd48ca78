"""The last step of the build: parsed pieces -> tune groups and splits -> one `.npz` per corpus + manifest.

Lesson: lessons/02_music_as_data.ipynb (the shipped format). Called by `build.py`; see `corpora.py` for the
file layout it writes and `splits.py` for how pieces are grouped and split.

The files are byte-for-byte reproducible: the same parsed pieces always give the same bytes (fixed piece
order, fixed zip timestamps), so the manifest's checksums say whether a file is the one the build made.
"""

from __future__ import annotations

import hashlib
import io
import json
import sys
import zipfile
from collections import Counter
from pathlib import Path

import numpy as np

from ..files import atomic_write_bytes, atomic_write_text, check_writable
from .corpora import MANIFEST, NOTE_COLUMNS, TICKS_PER_BEAT
from .splits import SPLITS, assign_splits, content_key, contour_key, rhythm_key
from .variants import copy_links, piece_lines

DTYPES = {"pitch": np.uint8, "start": np.int32, "end": np.int32, "velocity": np.uint8, "voice": np.uint8}
FORMAT_VERSION = 1


def note_columns(pieces: list[dict]) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """All pieces' notes as column arrays (time order within each piece) and the per-piece offsets."""
    blocks, offsets = [], [0]
    for piece in pieces:
        rows = np.asarray(piece["notes"], dtype=np.int64).reshape(-1, 5)
        rows = rows[np.lexsort((rows[:, 0], rows[:, 4], rows[:, 1]))]  # by start, then voice, then pitch
        blocks.append(rows)
        offsets.append(offsets[-1] + len(rows))
    table = np.concatenate(blocks) if blocks else np.zeros((0, 5), dtype=np.int64)
    columns = {name: table[:, i].astype(DTYPES[name]) for i, name in enumerate(NOTE_COLUMNS)}
    return columns, np.asarray(offsets, dtype=np.int64)


def npz_bytes(arrays: dict[str, np.ndarray]) -> bytes:
    """An `.npz` (zip of `.npy`) with fixed timestamps, so equal arrays always give equal bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, array in arrays.items():
            member = io.BytesIO()
            np.lib.format.write_array(member, np.ascontiguousarray(array), allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, member.getvalue(), compresslevel=9)
    return buffer.getvalue()


def piece_keys(pieces: list[dict]) -> list[list[str]]:
    """The fingerprints of every piece (see `splits.py`)."""
    keys = []
    for piece in pieces:
        rows = np.asarray(piece["notes"], dtype=np.int64).reshape(-1, 5)
        pitch, start, voice = rows[:, 0], rows[:, 1], rows[:, 4]
        found = [content_key(pitch, start, voice), rhythm_key(pitch, start, voice), contour_key(pitch, start, voice)]
        keys.append([key for key in found if key is not None])
    return keys


def lines_of(piece: dict):
    """The melodic lines of a parsed piece, for linking variants (see `variants.py`)."""
    rows = np.asarray(piece["notes"], dtype=np.int64).reshape(-1, 5)
    return piece_lines(rows[:, 0], rows[:, 1], rows[:, 4], piece["time_signatures"])


def public_record(piece: dict, corpus: str, style: str, group: str, split: str) -> dict:
    """What the shipped metadata keeps of a parsed piece (everything but its notes)."""
    record = {key: value for key, value in piece.items() if key != "notes"}
    return {"id": record.pop("id"), "corpus": corpus, "style": style, "split": split, "group": group, **record}


def write_datasets(sources, jobs, results, output: Path | None, overwrite: bool = False) -> dict:
    """Group, split and write every corpus of `sources` and the manifest; returns the manifest."""
    import music21

    from ..paths import PACKAGE_DIR

    output = Path(output) if output is not None else PACKAGE_DIR.parent / "datasets"  # the checkout's
    check_writable(output / MANIFEST, overwrite)
    parsed = [(job, result["piece"]) for job, result in zip(jobs, results) if "piece" in result]
    failures = [{"id": job.piece_id, "reason": result["error"]} for job, result in zip(jobs, results) if "error" in result]

    keys = piece_keys([piece for _, piece in parsed])
    links = copy_links([lines_of(piece) for _, piece in parsed], progress=True)
    groups, splits = assign_splits(keys, [job.corpus == "bach_chorales" for job, _ in parsed], links)

    corpora, frozen = {}, {}
    for source in sources:
        chosen = [i for i, (job, _) in enumerate(parsed) if job.corpus == source.name]
        pieces = [parsed[i][1] for i in chosen]
        records = [public_record(parsed[i][1], source.name, source.style, groups[i], splits[i]) for i in chosen]
        columns, offsets = note_columns(pieces)
        meta = json.dumps(records, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        data = npz_bytes({**columns, "offsets": offsets, "pieces": np.frombuffer(meta, dtype=np.uint8)})
        file_name = f"{source.name}.npz"
        atomic_write_bytes(output / file_name, data, overwrite=True, mode=0o644)
        frozen[source.name] = {split: [r["id"] for r in records if r["split"] == split] for split in SPLITS}
        corpora[source.name] = {
            "description": source.description,
            "style": source.style,
            "file": file_name,
            "sha256": hashlib.sha256(data).hexdigest(),
            "bytes": len(data),
            "pieces": len(records),
            "unique_pieces": len({keys[i][0] for i in chosen}),
            "tune_groups": len({groups[i] for i in chosen}),
            "notes": int(offsets[-1]),
            "failures": sum(job.corpus == source.name for job, r in zip(jobs, results) if "error" in r),
            "splits": {split: len(ids) for split, ids in frozen[source.name].items()},
            "meters": dict(Counter(r["meter"] for r in records).most_common(5)),
            "keys_written": sum(r["key_source"] == "written" for r in records),
            "tempo_written": sum(r["tempo"] is not None for r in records),
        }
        print(f"{source.name}: {len(records)} pieces, {offsets[-1]} notes, {len(data) / 1e6:.2f} MB", file=sys.stderr)

    manifest = {
        "format": FORMAT_VERSION,
        "ticks_per_beat": TICKS_PER_BEAT,
        "music21_version": music21.__version__,
        "build": "python -m deepcomposer_edu.data.build --overwrite",
        "totals": {
            "pieces": len(parsed),
            "unique_pieces": len({k[0] for k in keys}),
            "tune_groups": len(set(groups)),
            "notes": sum(c["notes"] for c in corpora.values()),
            "failures": len(failures),
            "bytes": sum(c["bytes"] for c in corpora.values()),
        },
        "corpora": corpora,
        "failures": failures,
        "splits": frozen,
    }
    atomic_write_text(output / MANIFEST, json.dumps(manifest, indent=1, ensure_ascii=False) + "\n", overwrite=True, mode=0o644)
    return manifest

