"""Where the bundled data lives: templates/ beside the package, or $JIXIAO_TEMPLATES."""
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def templates_dir() -> Path:
    return Path(os.environ.get("JIXIAO_TEMPLATES") or ROOT / "templates")
