"""Game music: the adaptive engine, the loopback server for game engines, and a small pygame demo.

Lesson: lessons/08_mood_and_adaptive_music.ipynb.

- `engine.py`: `AdaptiveEngine`, a stream of bars whose mood follows game events or a live metric
- `server.py`: `deepcomposer serve`, a small HTTP API on 127.0.0.1 (send events and mood, get bars as MIDI)
- `demo.py` and `python -m deepcomposer_edu.game`: a pygame game whose music follows the player
"""

from .engine import TRIGGERS, AdaptiveEngine

__all__ = ["AdaptiveEngine", "TRIGGERS"]
