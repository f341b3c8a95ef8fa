"""Where details of an unexpected failure are written: one log file per user."""
import os
from pathlib import Path


def log_dir() -> Path:
    base = os.environ.get("JIXIAO_LOG_DIR") or os.environ.get("LOCALAPPDATA")
    folder = Path(base) / "jixiao" / "logs" if base else Path.home() / ".jixiao" / "logs"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def log_path() -> Path:
    return log_dir() / "jixiao.log"
