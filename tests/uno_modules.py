"""Open an .xlam in headless LibreOffice and print its Basic modules as JSON.

Run with Debian's /usr/bin/python3 (python3-uno):  lo_modules.py FILE PROFILE_DIR
"""
import json
import subprocess
import sys
import time
import uuid

import uno
from com.sun.star.beans import PropertyValue


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def connect(pipe):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    for _ in range(240):
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except Exception:
            time.sleep(0.25)
    raise SystemExit("LibreOffice did not start")


def main(path, profile):
    pipe = f"jixiao-{uuid.uuid4().hex}"
    office = subprocess.Popen(["soffice", "--headless", "--invisible", "--norestore", "--nologo",
                               f"-env:UserInstallation={uno.systemPathToFileUrl(profile)}",
                               f"--accept=pipe,name={pipe};urp;"])
    try:
        ctx = connect(pipe)
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(path), "_blank", 0, (
            prop("Hidden", True), prop("FilterName", "Calc MS Excel 2007 VBA XML")))
        if doc is None:
            raise SystemExit("LibreOffice could not open " + path)
        libraries, modules = doc.BasicLibraries, {}
        for name in libraries.ElementNames:
            libraries.loadLibrary(name)
            library = libraries.getByName(name)
            modules.update({m: library.getByName(m) for m in library.ElementNames})
        print(json.dumps({"sheets": list(doc.Sheets.ElementNames), "modules": modules}))
        doc.close(True)
        try:
            desktop.terminate()
        except Exception:
            pass     # the bridge drops as the office exits
    finally:
        try:
            office.wait(timeout=30)
        except subprocess.TimeoutExpired:
            office.kill()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
