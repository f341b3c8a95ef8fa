import sys

from . import build_all

for path in build_all(sys.argv[1] if len(sys.argv) > 1 else None):
    print(path)
