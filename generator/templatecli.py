"""`jixiao render | read | template show | template build`: forms between YAML and Excel."""
from __future__ import annotations

from pathlib import Path

from .errors import InputError


def _not_the_input(src, out) -> None:
    if Path(out).resolve() == Path(src).resolve():
        raise InputError("输出文件不能是输入文件本身，请换一个文件名（原文件不会被改动）", str(src))


def _render(args) -> int:
    from .template import render_book, templates
    from .yamlio import load_book
    _not_the_input(args.data, args.out)
    book = load_book(args.data)
    if not book.forms:
        raise InputError("没有表单可生成", args.data)
    known = templates()
    for i, form in enumerate(book.forms):
        if form.form not in known:
            raise InputError(f"forms[{i}].form：表样“{form.form}”不存在（现有：{'、'.join(sorted(known))}）",
                             args.data)
    render_book(book, args.out)
    print(f"已生成 {args.out}（{len(book.forms)} 份表单）")
    return 0


def _read(args) -> int:
    from .report import print_findings
    from .template import read_workbook
    from .yamlio import save_book
    _not_the_input(args.file, args.out)
    result = read_workbook(args.file)
    save_book(result.book, args.out)
    print(f"已读出 {len(result.book.forms)} 份表单：{args.out}")
    if result.findings:
        print_findings(result.findings)
    return 0


def _show(args) -> int:
    from .template import describe_template
    print(describe_template(args.file))
    return 0


def _build(args) -> int:
    from .forms import build_all
    for path in build_all(args.out):
        print(f"已生成 {path}")
    return 0


def register(sub) -> None:
    p = sub.add_parser("render", help="由表单数据（.yaml）按表样生成 Excel 表单")
    p.add_argument("data", metavar="DATA.yaml")
    p.add_argument("-o", "--out", required=True, metavar="OUT.xlsx")
    p.set_defaults(func=_render)

    p = sub.add_parser("read", help="把填好的 Excel 表单读成表单数据（.yaml）")
    p.add_argument("file", metavar="FILE.xlsx")
    p.add_argument("-o", "--out", required=True, metavar="DATA.yaml")
    p.set_defaults(func=_read)

    p = sub.add_parser("template", help="表样：查看模板的字段、循环与核对公式；重新生成官方表样")
    commands = p.add_subparsers(dest="template_command", metavar="子命令", title="子命令", required=True)
    show = commands.add_parser("show", help="以文本列出模板的字段、循环与核对公式（便于审阅和比对）")
    show.add_argument("file", metavar="FILE.xlsx")
    show.set_defaults(func=_show)
    build = commands.add_parser("build", help="重新生成 templates/ 中的官方表样")
    build.add_argument("--out", type=Path, help="输出目录（默认 templates/）")
    build.set_defaults(func=_build)
