"""Benchmark: the adaptive engine's next bar, and the served API's round trip over loopback.

Targets (issue 12): next-bar generation p95 <= 50 ms; the loopback round trip is reported.
Run: python bench/mood.py [--runs N]
Prints median and p95 over many runs of:
- next bar: `AdaptiveEngine.next_bar()` with the mood changing every bar (the worst case: every bar is a
  switch with a tempo glide and fading layers), and at a steady intense mood (five layers);
- round trip: a keep-alive HTTP client on 127.0.0.1 doing POST /event then GET /bars?count=1 (the MIDI
  bytes of one bar), against `deepcomposer serve`'s server running in this process;
and each median as a ratio of a yardstick measured in the same process (writing one bar's MIDI bytes with
`midi_bytes`), so figures from different machines can be compared.
"""

from __future__ import annotations

import argparse
import http.client
import json
import statistics
import time

from deepcomposer_edu.game import AdaptiveEngine
from deepcomposer_edu.game.server import MusicServer
from deepcomposer_edu.music import midi_bytes

TARGET_P95_MS = 50.0
MOODS = (0.05, 0.95, 0.3, 0.7, 0.5, 0.9, 0.1)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def timed(work, runs: int) -> list[float]:
    """Milliseconds of each of `runs` calls of `work(i)`."""
    times = []
    for i in range(runs):
        began = time.perf_counter()
        work(i)
        times.append((time.perf_counter() - began) * 1000)
    return times


def next_bar_switching(runs: int) -> list[float]:
    engine = AdaptiveEngine(seed=0)

    def work(i):
        engine.set_mood(MOODS[i % len(MOODS)])
        engine.next_bar()

    return timed(work, runs)


def next_bar_steady(runs: int) -> list[float]:
    engine = AdaptiveEngine(seed=0, mood=0.95)
    return timed(lambda i: engine.next_bar(), runs)


def round_trips(runs: int) -> list[float]:
    server = MusicServer(AdaptiveEngine(seed=0), port=0)
    server.start_in_thread()
    connection = http.client.HTTPConnection(*server.server_address[:2], timeout=10)
    events = ("combat_start", "combat_end", "hit", "rest")

    def work(i):
        body = json.dumps({"event": events[i % len(events)]})
        connection.request("POST", "/event", body=body, headers={"Content-Type": "application/json"})
        connection.getresponse().read()
        connection.request("GET", "/bars?count=1")
        assert connection.getresponse().read().startswith(b"MThd")

    try:
        work(0)  # warm up the connection
        return timed(work, runs)
    finally:
        connection.close()
        server.stop()


def yardstick(runs: int) -> list[float]:
    bar = AdaptiveEngine(seed=0, mood=0.95).next_bars(1)
    return timed(lambda i: midi_bytes(bar), runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1000, help="runs of each measurement (default 1000)")
    runs = parser.parse_args().runs
    base = statistics.median(yardstick(runs))
    print(f"yardstick (midi_bytes of one 5-layer bar): median {base:.3f} ms")
    rows = [("next bar, mood switching every bar", next_bar_switching(runs)),
            ("next bar, steady intense mood", next_bar_steady(runs)),
            ("loopback round trip: POST /event + GET /bars?count=1", round_trips(runs))]
    for name, times in rows:
        median, p95 = statistics.median(times), percentile(times, 0.95)
        print(f"{name:55s} median {median:7.3f} ms  p95 {p95:7.3f} ms  max {max(times):7.3f} ms  "
              f"x yardstick {median / base:5.1f}")
    worst = max(percentile(times, 0.95) for name, times in rows[:2])
    verdict = "within" if worst <= TARGET_P95_MS else "OVER"
    print(f"next-bar p95 {worst:.3f} ms: {verdict} the {TARGET_P95_MS:g} ms target ({runs} runs each)")


if __name__ == "__main__":
    main()
