"""Validation speed: forms/s on one core, against a plain walk over the same data.

    python bench/validate.py [N] [INDICATORS]     (default 10,000 forms of 30 indicators)
Target: ≥ 5,000 forms/s.
"""
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.synthetic import forms  # noqa: E402
from generator.rules import check_form  # noqa: E402
from generator.yamlio import to_data  # noqa: E402


def timed(func, items) -> float:
    start = time.perf_counter()
    for item in items:
        func(item)
    return time.perf_counter() - start


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    per_form = int(sys.argv[2]) if len(sys.argv) > 2 else 30
    data = forms(count, per_form)
    baseline = timed(to_data, data)
    elapsed = timed(check_form, data)
    findings = sum(len(check_form(f)) for f in data[:100])
    print(f"validate: {count} 份表单 × {per_form} 个指标，{elapsed:.2f} s，{count / elapsed:,.0f} 份/秒"
          f"（目标 ≥ 5,000）；基线 to_data {count / baseline:,.0f} 份/秒，耗时比 {elapsed / baseline:.2f}×；"
          f"前 100 份共 {findings} 条发现")


if __name__ == "__main__":
    main()
