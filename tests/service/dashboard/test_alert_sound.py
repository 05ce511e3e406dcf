"""The bundled alert sound is exactly what scripts/make_alert_sound.py writes."""

from __future__ import annotations

import runpy
import wave
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
BUNDLED = ROOT / "src/pamtps/web/static/audio/alert.wav"


def test_the_bundled_alert_sound_matches_its_script():
    """A changed script without the file written again (or a file from elsewhere) fails."""
    script = runpy.run_path(str(ROOT / "scripts/make_alert_sound.py"))
    assert BUNDLED.read_bytes() == script["alert_wav"]()


def test_the_alert_sound_is_half_a_second_of_mono_audio():
    """Short enough not to annoy, long enough to hear: between 0.3 and 1 second."""
    with wave.open(str(BUNDLED)) as sound:
        seconds = sound.getnframes() / sound.getframerate()
        assert sound.getnchannels() == 1
    assert 0.3 < seconds < 1.0
