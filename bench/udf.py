"""JX_CHECK speed: one call on a whole indicator table, against parsing each 指标值 alone.

    python bench/udf.py [ROWS]      (default 10,000 rows)
Target: under 100 ms for 10,000 rows.
"""
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from addin.udfs import JX_CHECK  # noqa: E402
from bench.synthetic import indicators  # noqa: E402
from generator.model import Form  # noqa: E402
from generator.rules import check_form  # noqa: E402
from generator.targets import parse_target  # noqa: E402

TARGET_MS = 100


def best_of(func, arg, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func(arg)
        times.append(time.perf_counter() - start)
    return min(times)


def parse_each(rows) -> None:
    for row in rows:
        parse_target(row[3])


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    rows = [[i.level1, i.level2, i.name, i.target] for i in indicators(random.Random(2023), count)]
    JX_CHECK(rows[:10])           # rules and taxonomy loaded before timing
    baseline = best_of(parse_each, rows)
    elapsed = best_of(JX_CHECK, rows)
    engine = best_of(check_form, Form(indicators=indicators(random.Random(2023), count)))
    flagged = sum(1 for (text,) in JX_CHECK(rows) if text)
    verdict = "达标" if elapsed * 1000 < TARGET_MS else "未达标"
    print(f"JX_CHECK {count:,} 行：{elapsed * 1000:.1f} ms（目标 < {TARGET_MS} ms，{verdict}）；"
          f"逐行 parse_target：{baseline * 1000:.1f} ms；比值 {elapsed / baseline:.2f}；"
          f"其中引擎 check_form：{engine * 1000:.1f} ms；有问题的行 {flagged:,}")


if __name__ == "__main__":
    main()
