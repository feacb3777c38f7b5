"""Linux bundles: a smaller ICU data library for Qt, holding what a Chinese and English program uses.

On Linux PySide6's QtCore links ICU, and its data library (libicudata, 31 MB, the largest file of
the bundle) carries every language's locale data, collations, transliterations and legacy
encodings. Qt uses ICU for collation (QCollator, the file dialog's name order), encodings
(QStringConverter), case mapping and time-zone names; the program speaks Chinese and English. So
the data keeps the root locale and zh/en (yue: zh_Hant_HK's data refers to it) in the categories
Qt reads, every other non-locale item (normalisation, property tables, time-zone rules), and the
Chinese legacy encodings (GB18030, GBK, Big5); the data of services Qt never calls is dropped
(``_UNUSED_FOLDERS``). 31 MB -> ~6 MB; QCollator, QTimeZone names, QStringConverter and QLocale
case mapping give the same results as with the full data for zh and en (checked with LD_PRELOAD).

Used by cpdesk.spec; needs objcopy and a C compiler (binutils, gcc) and ICU's icupkg and genccode
(Debian: icu-devtools). Without them the full library stays, with a warning. Windows' PySide6
carries no ICU data library, so there is nothing to do there.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

LANGUAGES = ("zh", "en", "yue")
_LOCALE_ITEM = re.compile(r"^[a-z]{2,3}(_[A-Za-z0-9]*)*\.res$")  # af.res, zh_Hant_HK.res, de_.res
_CHINESE_ENCODING = re.compile(r"^(gb18030|ibm-1373|ibm-1375|ibm-1383|ibm-1386|ibm-5478|ibm-950|windows-936"
                               r"|windows-950|icu-internal)")
# Data behind ICU services Qt never calls (Qt 6's QtCore uses case mapping, collation, converters and
# calendars/time-zone names; it finds text boundaries with its own tables): transliteration, break
# iteration (its CJK word dictionary alone is 2 MB), currency, unit and spelled-out number
# formatting, language display names, character names, and the spoof checker.
_UNUSED_FOLDERS = ("translit", "brkitr", "curr", "unit", "rbnf", "lang")
_UNUSED_ITEMS = ("unames.icu", "confusables.cfu")
_TOOLS = ("objcopy", "icupkg", "genccode")


def kept(item: str) -> bool:
    """Whether the ICU data item ``item`` (``zh.res``, ``coll/de.res``, ``gb18030.cnv``) stays."""
    folder, _, name = item.rpartition("/")
    if folder in _UNUSED_FOLDERS or name in _UNUSED_ITEMS:
        return False
    if name.endswith(".cnv"):
        return bool(_CHINESE_ENCODING.match(name))
    if _LOCALE_ITEM.match(name) and name not in ("root.res", "pool.res"):
        return name.removesuffix(".res").split("_")[0] in LANGUAGES
    return True


def trim_binaries(binaries: list, workdir: Path) -> list:
    """``binaries`` (PyInstaller's (dest, source, kind) entries) with libicudata's source swapped
    for the trimmed one made in ``workdir``; unchanged where there is none or it cannot be made."""
    result = []
    for dest, source, kind in binaries:
        if re.fullmatch(r"libicudata\.so\.\d+", Path(dest).name):
            source = str(_trimmed(Path(source), workdir) or source)
        result.append((dest, source, kind))
    return result


def _trimmed(library: Path, workdir: Path) -> Path | None:
    cc = shutil.which("cc") or shutil.which("gcc")
    missing = [tool for tool in _TOOLS if not shutil.which(tool)] + ([] if cc else ["cc"])
    if missing:
        print(f"icu_trim: {', '.join(missing)} not found: keeping the full {library.name} "
              "(apt-get install icu-devtools binutils gcc)", file=sys.stderr)
        return None
    version = library.name.rsplit(".", 1)[1]
    name = f"icudt{version}{'l' if sys.byteorder == 'little' else 'b'}"
    full, small = workdir / "icu-full", workdir / "icu-small"
    for folder in (full, small):
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
    # The library's read-only data is the .dat package itself (one symbol, icudtNN_dat).
    run = lambda *args: subprocess.run(args, check=True, capture_output=True, text=True)  # noqa: E731
    run("objcopy", "-O", "binary", "--only-section=.rodata", str(library), str(full / f"{name}.dat"))
    items = run("icupkg", "-l", str(full / f"{name}.dat")).stdout.split()
    (full / "drop.txt").write_text("".join(f"{item}\n" for item in items if not kept(item)))
    run("icupkg", "-r", str(full / "drop.txt"), str(full / f"{name}.dat"), str(small / f"{name}.dat"))
    run("genccode", "-q", "-a", "gcc", "-e", f"icudt{version}", "-d", str(small), str(small / f"{name}.dat"))
    out = small / library.name
    run(cc, "-shared", "-nostdlib", f"-Wl,-soname,{library.name}", "-o", str(out), str(small / f"{name}_dat.S"))
    print(f"icu_trim: {library.name} {library.stat().st_size / 1e6:.0f} MB -> {out.stat().st_size / 1e6:.0f} MB")
    return out
