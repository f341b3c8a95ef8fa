"""The `jixiao` command line.

Exit codes: 0 no 错误; 1 错误 found; 2 an input can't be read or used.
Nothing the user sees is a traceback: errors are one Chinese sentence naming
the file (and sheet, cell); unexpected failures go to a log file.
"""
from __future__ import annotations

import importlib
import sys
import traceback
from pathlib import Path

from . import __version__
from .cliparse import Parser
from .errors import InputError, JixiaoError, reason
from .logs import log_path

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT = 0, 1, 2
# Rule families whose 错误 make a self-evaluation's score unreliable.
SCORE_RULES = ("money.", "selfeval.")
# Feature modules that add their own subcommands through `register(subparsers)`.
COMMAND_MODULES: list[str] = ["templatecli", "generate", "newyear", "rollup", "addincli"]


def _validate(args) -> int:
    from .report import print_findings
    from .rules import Finding, check_forms
    from .sources import load_any
    if args.annotate and (len(args.files) != 1 or Path(args.files[0]).suffix.lower() != ".xlsx"):
        raise JixiaoError("--annotate 只能用于单个 .xlsx 文件")
    findings, profile, unreadable = [], _profile(args), False
    for file in args.files:
        try:
            loaded = load_any(file)
        except InputError as exc:          # the other files are still checked
            findings.append(Finding("read.file", "错误", str(exc), file=str(file)))
            print(f"错误：{exc}", file=sys.stderr)
            unreadable = True
            continue
        if not loaded.book.forms:           # a workbook, but no form in it: nothing to check
            print(f"错误：文件 {file} 中没有找到可识别的表单", file=sys.stderr)
            unreadable = True
        findings += loaded.findings + check_forms(loaded.book.forms, str(file), profile)
    if args.annotate:
        from .template import annotate_copy
        annotate_copy(args.files[0], findings, args.annotate)
        print(f"已写出标注副本：{args.annotate}", file=sys.stderr)
    print_findings(findings, as_json=args.json)
    if unreadable:
        return EXIT_INPUT
    return EXIT_FINDINGS if any(f.severity == "错误" for f in findings) else EXIT_OK


def _score(args) -> int:
    from .report import print_scores
    from .rules import check_form
    from .scoring import score_form
    from .sources import load_any
    scores, errors = [], 0
    for file in args.files:
        for form in load_any(file).book.forms:
            if form.execution is None:
                raise JixiaoError(f"文件 {file}，工作表 {form.sheet}：“{form.project.name}”不是绩效自评表，无法评分")
            scores.append((str(file), score_form(form, _profile(args))))
            errors += sum(f.severity == "错误" and f.rule.startswith(SCORE_RULES)
                          for f in check_form(form, str(file), _profile(args)))
    print_scores(scores, as_json=args.json)
    if errors:
        print(f"注意：表中有 {errors} 个“错误”级问题（如金额不是数字、执行数为负、得分超过分值），"
              f"评分可能不可靠，请用 jixiao validate 查看。", file=sys.stderr)
        return EXIT_FINDINGS
    return EXIT_OK


def _profile(args):
    if not getattr(args, "profile", None):
        return None
    from .profile import load_profile
    return load_profile(str(Path(args.profile).resolve()))


def build_parser() -> Parser:
    parser = Parser(prog="jixiao", description="绩效：项目支出绩效表单的校验、评分、模板、生成与汇总")
    parser.add_argument("--version", action="version", version=f"jixiao {__version__}",
                        help="显示版本并退出")
    sub = parser.add_subparsers(dest="command", metavar="命令", title="命令", parser_class=Parser)

    p = sub.add_parser("validate", help="校验表单（.xlsx 或 .yaml），列出错误与提示")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.add_argument("--profile", help="规则配置文件（默认按地区选用 templates/profiles/）")
    p.add_argument("--annotate", metavar="OUT.xlsx", help="写出一份标注问题单元格的副本（不修改原文件）")
    p.set_defaults(func=_validate)

    p = sub.add_parser("score", help="计算绩效自评表的执行率得分、总分与等级")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.add_argument("--profile", help="规则配置文件")
    p.set_defaults(func=_score)
    for name in COMMAND_MODULES:
        importlib.import_module(f"generator.{name}").register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_INPUT
    try:
        return args.func(args)
    except JixiaoError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return EXIT_INPUT
    except OSError as exc:
        print(f"错误：无法读写 {exc.filename or ''}：{reason(exc)}", file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        print("已中断。", file=sys.stderr)
        return 130
    except Exception:  # noqa: BLE001 - the user gets a sentence, the log gets the trace
        path = log_path()
        with path.open("a", encoding="utf-8") as log:
            log.write(traceback.format_exc())
        print(f"内部错误：处理未能完成，详细信息已记录在 {path}", file=sys.stderr)
        return EXIT_INPUT


if __name__ == "__main__":
    sys.exit(main())
