"""Optional speech with espeak-ng (`en`, `yue`, `cmn`); silent when it is not installed."""

from __future__ import annotations

import shutil
import subprocess

VOICES = {"en": "en", "zh-HK": "yue", "zh-CN": "cmn"}


class Speaker:
    def __init__(self, enabled: bool = True, executable: str = "espeak-ng") -> None:
        self.path = shutil.which(executable) if enabled else None

    @property
    def available(self) -> bool:
        return self.path is not None

    def command(self, text: str, lang: str) -> list[str]:
        return [str(self.path), "-v", VOICES.get(lang, "en"), text]

    def say(self, text: str, lang: str) -> None:
        """Fire and forget: speech must never hold up the conversation."""
        if self.path and text.strip():
            subprocess.Popen(self.command(text, lang), stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
