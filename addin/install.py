"""Install 绩效助手.xlam for this Windows user.

    jixiao addin install

Builds the add-in, copies it into the user's XLSTART folder (Excel opens
every file there at start-up, as `xlwings addin install` does for its own
add-in), and writes the settings the add-in's xlwings module reads,
%USERPROFILE%\\.jixiao\\jixiao.conf, from the template addin/xlwings.conf:
this Python as the interpreter and this checkout on PYTHONPATH.
"""
from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path
from string import Template

from .build import ADDIN_NAME, ROOT, build_addin

CONF_TEMPLATE = Path(__file__).with_name("xlwings.conf")
NO_EXCEL = ("这台电脑上没有 Windows 版 Excel，无法安装插件“绩效助手”。"
            "插件只能在 Windows 版 Excel 中使用；可以用 `jixiao addin build --out dist` "
            "生成 绩效助手.xlam，再复制到 Windows 电脑上安装。")


def xlstart_dir() -> Path:
    return Path(os.environ["APPDATA"]) / "Microsoft" / "Excel" / "XLSTART"


def settings_path() -> Path:
    """Where the add-in's xlwings module (PROJECT_NAME "jixiao") looks for its settings."""
    return Path(os.environ.get("USERPROFILE") or Path.home()) / ".jixiao" / "jixiao.conf"


def interpreter() -> Path:
    """pythonw.exe beside this Python when there is one: no console window flashes."""
    exe = Path(sys.executable)
    windowless = exe.with_name("pythonw.exe")
    return windowless if windowless.is_file() else exe


def settings_text(python: Path, pythonpath: Path) -> str:
    template = Template(CONF_TEMPLATE.read_text(encoding="utf-8"))
    return template.substitute(interpreter=python, pythonpath=pythonpath)


def install(xlstart: Path, settings: Path, encoding: str = "mbcs") -> Path:
    """Copy a fresh build into xlstart and write settings; return the add-in's path.

    VBA reads the settings file in the system's ANSI code page (GBK on a
    Chinese Windows), hence "mbcs" there.
    """
    target = xlstart / ADDIN_NAME
    xlstart.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copyfile(build_addin(tmp), target)
    settings.parent.mkdir(parents=True, exist_ok=True)
    settings.write_text(settings_text(interpreter(), ROOT), encoding=encoding)
    return target


def main(argv: list[str] | None = None) -> int:
    if not sys.platform.startswith("win"):
        print(NO_EXCEL)
        return 1
    try:
        target = install(xlstart_dir(), settings_path())
    except PermissionError as exc:
        print(f"无法写入 {exc.filename}：请先关闭 Excel 再安装。")
        return 1
    print(f"已安装插件：{target}\n插件设置：{settings_path()}\n"
          "请重新启动 Excel，功能区会出现“绩效”选项卡。")
    return 0


if __name__ == "__main__":
    sys.exit(main())
