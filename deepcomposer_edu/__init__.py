"""deepcomposer-edu: learn generative AI through music, on a laptop CPU.

Start with lessons/00_welcome.ipynb, or from a shell: `deepcomposer --help`.
The package is organised in rooms (see docs/architecture.md): `music` (the Song and its conversions),
`data`, `audio`, `viz`, `widgets`, `models`, `train`, `metrics`, `mood`, `cost`, `registry`, `client`, `cli`.
"""

__version__ = "0.1.0"

from .errors import DeepComposerError, MidiFormatError  # noqa: E402
from .music import Note, Song, TempoChange, TimeSignature, Track  # noqa: E402
from .client import client  # noqa: E402  (the function; it stays light: torch loads on first use)

__all__ = [
    "__version__",
    "client",
    "DeepComposerError",
    "MidiFormatError",
    "Note",
    "Song",
    "TempoChange",
    "TimeSignature",
    "Track",
]
