"""MIDI-port capture (deepcomposer_edu/widgets/ports.py) with a scripted keyboard and a fake clock.

No MIDI hardware (or ALSA) exists on a CI machine, so a stand-in port plays mido messages at set times, and
the module's clock is replaced by one that moves only when the capture loop sleeps. Timings are worked by
hand: at 120 BPM a beat is 0.5 s, a 4/4 bar 2 s; with one bar of count-in the first beat is at 2 s.
"""

import json
import subprocess
import sys

import mido
import pytest

from deepcomposer_edu.cli import main
from deepcomposer_edu.errors import DeepComposerError
from deepcomposer_edu.music.midi import read_midi
from deepcomposer_edu.widgets import ports
from deepcomposer_edu.widgets.ports import MidiPortError, find_port, list_ports, record_from_port


class FakeClock:
    """Stands in for the `time` module inside ports.py: sleeping moves time on."""

    def __init__(self):
        self.now = 1000.0

    def perf_counter(self):
        return self.now

    def sleep(self, seconds):
        self.now += seconds


class ScriptedPort:
    """A MIDI input port whose messages arrive at set seconds after it is opened."""

    def __init__(self, clock, script):
        self.clock, self.opened_at, self.closed = clock, clock.now, False
        self.script = sorted(script, key=lambda item: item[0])

    def iter_pending(self):
        while self.script and self.opened_at + self.script[0][0] <= self.clock.now:
            yield self.script.pop(0)[1]

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.closed = True


def on(pitch, velocity=100):
    return mido.Message("note_on", note=pitch, velocity=velocity)


def off(pitch):
    return mido.Message("note_off", note=pitch, velocity=0)


@pytest.fixture
def clock(monkeypatch):
    fake = FakeClock()
    monkeypatch.setattr(ports, "time", fake)
    return fake


def triples(song):
    return [(n.pitch, n.start, n.end, n.velocity) for n in song.notes]


def test_a_take_after_a_count_in_becomes_a_quantised_song(clock):
    port = ScriptedPort(clock, [
        (1.0, on(48)), (1.5, off(48)),  # during the count-in: not recorded
        (2.01, on(60, 90)), (2.49, off(60)),  # beat 0..1 (played 0.02..0.98)
        (3.0, on(64, 70)), (3.0, on(67, 70)), (4.02, off(64)), (4.0, mido.Message("note_on", note=67, velocity=0)),
        (5.9, on(72)),  # still held when the two bars end at 6 s: beat 7.75..8
        (5.0, mido.Message("control_change", control=64, value=127)),  # sustain pedal: ignored
    ])
    song = record_from_port(port, bars=2, tempo=120, count_in=1)
    assert triples(song) == [(60, 0.0, 1.0, 90), (64, 2.0, 4.0, 70), (67, 2.0, 4.0, 70), (72, 7.75, 8.0, 100)]
    assert song.tempo == 120 and song.time_signature.bar_length == 4.0
    assert clock.now - port.opened_at == pytest.approx(6.0, abs=0.01)  # count-in 2 s + two bars 4 s


def test_meter_grid_and_no_count_in(clock):
    port = ScriptedPort(clock, [(0.3, on(62)), (0.7, off(62))])  # 0.6..1.4 beats at 120 BPM
    song = record_from_port(port, bars=1, tempo=120, time_signature=(3, 4), count_in=0, grid=2)
    assert triples(song) == [(62, 0.5, 1.5, 100)]
    assert song.time_signature.numerator == 3
    assert clock.now - port.opened_at == pytest.approx(1.5, abs=0.01)  # one 3/4 bar at 120 BPM


def test_a_named_port_is_found_opened_and_closed(clock, monkeypatch):
    opened = []

    def open_input(name):
        opened.append(ScriptedPort(clock, [(2.0, on(65)), (2.5, off(65))]))
        opened[-1].name = name
        return opened[-1]

    monkeypatch.setattr(mido, "get_input_names", lambda: ["Midi Through Port-0", "Keystation 49 MIDI 1"])
    monkeypatch.setattr(mido, "open_input", open_input)
    song = record_from_port("keystation", bars=1, tempo=120)
    assert triples(song) == [(65, 0.0, 1.0, 100)]
    assert opened[0].name == "Keystation 49 MIDI 1" and opened[0].closed


def test_ports_are_listed_and_matched_by_name(monkeypatch):
    monkeypatch.setattr(mido, "get_input_names", lambda: ["Midi Through Port-0", "Keystation 49 MIDI 1", "Keystation 88"])
    assert list_ports() == ["Midi Through Port-0", "Keystation 49 MIDI 1", "Keystation 88"]
    assert find_port(None) == "Midi Through Port-0"
    assert find_port("49") == "Keystation 49 MIDI 1"
    assert find_port("Keystation 88") == "Keystation 88"
    with pytest.raises(MidiPortError, match="several MIDI input ports named like 'keystation'"):
        find_port("keystation")
    with pytest.raises(MidiPortError, match="no MIDI input port named like 'Roland'.*Keystation 88"):
        find_port("Roland")


def test_no_ports_fails_clearly_and_names_the_fallbacks(monkeypatch):
    monkeypatch.setattr(mido, "get_input_names", lambda: [])
    with pytest.raises(MidiPortError) as caught:
        record_from_port(bars=1)
    assert "no MIDI input ports found" in str(caught.value) and "KeyboardRecorder" in str(caught.value)
    assert isinstance(caught.value, DeepComposerError)


def test_without_python_rtmidi_the_error_says_how_to_install_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "rtmidi", None)  # as if python-rtmidi were not installed
    monkeypatch.delitem(sys.modules, "mido.backends.rtmidi", raising=False)
    monkeypatch.setattr(mido, "backend", None)
    mido.set_backend("mido.backends.rtmidi")
    try:
        with pytest.raises(MidiPortError, match=r'needs python-rtmidi.*pip install "deepcomposer-edu\[ports\]"'):
            list_ports()
    finally:
        monkeypatch.undo()
        mido.set_backend()


def test_a_broken_midi_system_is_reported_in_one_line(monkeypatch):
    def broken():
        raise RuntimeError("MidiInAlsa::initialize: error creating ALSA sequencer client object.")

    monkeypatch.setattr(mido, "get_input_names", broken)
    with pytest.raises(MidiPortError, match="cannot list MIDI ports: RuntimeError: MidiInAlsa"):
        list_ports()


@pytest.mark.parametrize("settings", [{"bars": 0}, {"count_in": 9}, {"tempo": 5}])
def test_bad_settings_are_refused_before_listening(settings):
    with pytest.raises(DeepComposerError, match="bars must be 1..64"):
        record_from_port(ScriptedPort(FakeClock(), []), **settings)


# --- the `deepcomposer record` command -------------------------------------------------------------------


def test_cli_records_from_a_port_into_a_midi_file(clock, monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(mido, "get_input_names", lambda: ["Fake Keys"])
    monkeypatch.setattr(mido, "open_input", lambda name: ScriptedPort(clock, [(0.02, on(67)), (0.98, off(67))]))
    code = main(["record", "-o", str(tmp_path / "take.mid"), "--bars", "1", "--tempo", "60", "--count-in", "0", "--json"])
    assert code == 0
    assert json.loads(capsys.readouterr().out)["notes"] == 1
    assert [(n.pitch, n.start, n.end) for n in read_midi(tmp_path / "take.mid").notes] == [(67, 0.0, 1.0)]


def test_cli_writes_typed_notes_and_lists_ports(monkeypatch, tmp_path, capsys):
    path = tmp_path / "typed.mid"
    assert main(["record", "-o", str(path), "--notes", "E4 G4 C5/2", "--tempo", "90", "--time-signature", "2/4"]) == 0
    song = read_midi(path)
    assert [(n.pitch, n.start, n.end) for n in song.notes] == [(64, 0, 1), (67, 1, 2), (72, 2, 4)]
    assert song.time_signature.numerator == 2 and song.tempo == pytest.approx(90)
    monkeypatch.setattr(mido, "get_input_names", lambda: ["A", "B"])
    capsys.readouterr()
    assert main(["record", "--list-ports", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"ports": ["A", "B"]}


@pytest.mark.parametrize(
    "arguments, words",
    [
        (["--notes", "C4 D4 H4"], "token 3 'H4'"),
        (["--notes", "C4", "--time-signature", "4-4"], "time signature '4-4'"),
        (["--notes", "r/2"], "no notes were played"),
        (["--notes", "C4", "--output", None], "already exists"),
    ],
)
def test_cli_bad_input_is_one_line_and_exit_code_2(tmp_path, capsys, arguments, words):
    existing = tmp_path / "mine.mid"
    existing.write_bytes(b"the learner's own file")
    arguments = [str(existing) if argument is None else argument for argument in arguments]
    assert main(["record", "-o", str(tmp_path / "new.mid"), *arguments]) == 2
    stderr = capsys.readouterr().err
    assert words in stderr and len(stderr.strip().splitlines()) == 1
    assert existing.read_bytes() == b"the learner's own file"
    assert not (tmp_path / "new.mid").exists()


def test_cli_exit_code_from_a_real_process(tmp_path):
    result = subprocess.run([sys.executable, "-m", "deepcomposer_edu", "record", "-o", str(tmp_path / "x.mid"),
                             "--notes", "C4 X9"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert result.stderr.strip() == "deepcomposer: error: token 2 'X9': 'X9' is not a pitch: write a letter A-G, optional # or b, and an octave number (C4, F#3, Bb4)"
