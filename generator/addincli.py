"""`jixiao addin build|install`: the Excel add-in, built from macros/ (see addin/)."""
from __future__ import annotations


def _build(args) -> int:
    from addin.build import build_addin, generated_modules
    if args.udfs:
        for path, text in generated_modules().items():
            path.write_bytes(text.encode("ascii"))
            print(f"已生成 {path}")
        return 0
    print(f"已生成 {build_addin(args.out)}")
    return 0


def _install(args) -> int:
    from addin.install import main
    return main([])


def register(sub) -> None:
    addin = sub.add_parser("addin", help="Excel 插件“绩效助手”：生成 .xlam、安装到 Excel")
    commands = addin.add_subparsers(dest="addin_command", metavar="子命令", title="子命令",
                                    required=True)
    build = commands.add_parser("build", help="由 macros/ 生成 绩效助手.xlam")
    build.add_argument("--out", default="dist", help="输出目录（默认 dist）")
    build.add_argument("--udfs", action="store_true", help="按 addin/udfs.py 重新生成函数的 VBA 模块（macros/xlwings_udfs.bas、JixiaoFunctions.bas）")
    build.set_defaults(func=_build)
    install = commands.add_parser("install", help="把插件复制到 Excel 启动目录（XLSTART），仅限 Windows")
    install.set_defaults(func=_install)
