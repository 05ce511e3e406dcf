"""Write the incident alert sound, ``src/pamtps/web/static/audio/alert.wav``.

Two short rising tones (880 Hz, then 1320 Hz), 8 kHz 8-bit mono, with a soft start and end so
the speaker does not click: about half a second, under 5 KB, loud enough on a laptop in a busy
command post. Generated rather than downloaded, so its origin is plain; run again after a change
(tests/service/dashboard/test_alert_sound.py checks the bundled file matches this script).
"""

from __future__ import annotations

import io
import math
import wave
from pathlib import Path

RATE = 8000
TONES = ((880.0, 0.18), (0.0, 0.06), (1320.0, 0.24))  # (hertz, seconds); 0 Hz is a pause
FADE_S = 0.015
TARGET = Path(__file__).resolve().parents[1] / "src/pamtps/web/static/audio/alert.wav"


def samples() -> bytes:
    """The unsigned 8-bit samples of the tones, each faded in and out."""
    out = bytearray()
    for hertz, seconds in TONES:
        count = int(RATE * seconds)
        fade = int(RATE * FADE_S)
        for n in range(count):
            envelope = min(1.0, n / fade, (count - 1 - n) / fade) if hertz else 0.0
            value = 0.6 * envelope * math.sin(2 * math.pi * hertz * n / RATE)
            out.append(128 + round(127 * value))
    return bytes(out)


def alert_wav() -> bytes:
    """The whole WAV file."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as sound:
        sound.setnchannels(1)
        sound.setsampwidth(1)
        sound.setframerate(RATE)
        sound.writeframes(samples())
    return buffer.getvalue()


if __name__ == "__main__":
    TARGET.write_bytes(alert_wav())
    print(f"{TARGET} ({TARGET.stat().st_size} bytes)")
