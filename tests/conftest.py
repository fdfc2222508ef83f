import sys
from pathlib import Path

# The repo root holds the `crawler`, `spiders` and `pipelines` packages.
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
