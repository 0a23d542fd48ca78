"""The audit log (deepcomposer_edu/audit.py): one JSON line per event, never interleaved, filtered on read."""

import hashlib
import json
import multiprocessing
import stat

import pytest

from service_helpers import home  # noqa: F401  (a fixture)

from deepcomposer_edu.audit import AuditLogError, audit_path, log_event, read_events, sha256_of
from deepcomposer_edu.errors import InvalidArgumentError


pytestmark = pytest.mark.usefixtures("home")  # every test gets a fresh DEEPCOMPOSER_HOME


def test_an_event_records_who_what_and_the_hashes_of_inputs_and_outputs(tmp_path):
    output = tmp_path / "song.mid"
    output.write_bytes(b"abc")
    event = log_event("generate", command=["deepcomposer", "generate-music", "-o", "my song.mid"],
                      model="markov-folk", parameters={"length": 30}, seed=7, inputs=[b""], outputs=[output])
    lines = audit_path().read_text().splitlines()
    assert len(lines) == 1 and json.loads(lines[0]) == event
    assert event["command"] == "deepcomposer generate-music -o 'my song.mid'"
    assert event["action"] == "generate" and event["model"] == "markov-folk" and event["seed"] == 7
    assert event["time"].endswith("Z") and event["user"]
    # the standard SHA-256 test vectors: "abc" and the empty string
    assert event["outputs"] == [{"path": str(output),
                                 "sha256": "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"}]
    assert event["inputs"] == [{"sha256": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"}]


def test_the_log_is_readable_by_its_owner_only():
    log_event("create", command="x", model="m")
    assert stat.S_IMODE(audit_path().stat().st_mode) == 0o600


def test_a_folder_hash_covers_names_and_contents(tmp_path):
    folder = tmp_path / "data"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.mid").write_bytes(b"one")
    (folder / "sub" / "b.mid").write_bytes(b"two")
    first = sha256_of(folder)
    assert first["files"] == 2
    (folder / "sub" / "b.mid").write_bytes(b"TWO")
    changed = sha256_of(folder)
    (folder / "sub" / "b.mid").write_bytes(b"two")
    (folder / "sub" / "b.mid").rename(folder / "sub" / "c.mid")
    renamed = sha256_of(folder)
    assert len({first["sha256"], changed["sha256"], renamed["sha256"]}) == 3


def test_unknown_actions_are_refused():
    with pytest.raises(InvalidArgumentError, match="unknown audit action 'train'"):
        log_event("train", command="x")


def write_log(home, events):
    home.mkdir(parents=True, exist_ok=True)
    (home / "audit.jsonl").write_text("".join(json.dumps(event) + "\n" for event in events))


def test_reading_filters_by_action_model_date_and_limit(home):
    events = [
        {"time": "2025-06-30T23:59:59.000Z", "action": "create", "model": "a", "seed": 0},
        {"time": "2025-07-01T00:00:00.000Z", "action": "generate", "model": "a", "seed": 1},
        {"time": "2025-07-02T10:00:00.000Z", "action": "generate", "model": "b", "seed": 2},
        {"time": "2025-07-03T10:00:00.000Z", "action": "generate", "model": "a", "seed": 3},
    ]
    write_log(home, events)
    seeds = lambda found: [event["seed"] for event in found]  # noqa: E731
    assert seeds(read_events()) == [0, 1, 2, 3]
    assert seeds(read_events(action="generate", model="a")) == [1, 3]
    assert seeds(read_events(since="2025-07-01")) == [1, 2, 3]
    assert seeds(read_events(since="2025-07-02T10:00:00Z")) == [2, 3]
    assert seeds(read_events(limit=2)) == [2, 3]
    assert seeds(read_events(limit=0)) == []
    with pytest.raises(InvalidArgumentError, match="--since 'yesterday'"):
        read_events(since="yesterday")


def test_a_damaged_line_is_reported_with_its_number(home):
    write_log(home, [{"time": "2025-07-01T00:00:00Z", "action": "create"}])
    with open(home / "audit.jsonl", "a") as log:
        log.write('{"time": "2025-07-01T00:0\n')
    with pytest.raises(AuditLogError, match="line 2"):
        read_events()


def log_many(writer):
    for number in range(40):
        # 20 kB per line: far more than one pipe or stdio buffer, so interleaving would show if it could happen
        log_event("generate", command="x", model=f"writer-{writer}", parameters={"pad": str(writer) * 20_000},
                  seed=number)


def test_eight_processes_logging_at_once_never_interleave_lines(home):
    fork = multiprocessing.get_context("fork")
    writers = [fork.Process(target=log_many, args=(w,)) for w in range(8)]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join()
        assert writer.exitcode == 0
    lines = audit_path().read_text().splitlines()
    assert len(lines) == 8 * 40
    events = [json.loads(line) for line in lines]  # each line is one whole event
    for writer in range(8):
        mine = [e["seed"] for e in events if e["model"] == f"writer-{writer}"]
        assert mine == list(range(40))
        assert all(e["parameters"]["pad"] == str(writer) * 20_000 for e in events if e["model"] == f"writer-{writer}")


def test_a_song_is_hashed_as_the_midi_it_would_be_written_as(tmp_path):
    from deepcomposer_edu.music import Note, Song, Track
    from deepcomposer_edu.music.midi import write_midi

    song = Song(tracks=[Track([Note(60, 0, 1), Note(64, 1, 2)])])
    path = write_midi(song, tmp_path / "s.mid")
    assert sha256_of(song)["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
