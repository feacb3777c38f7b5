"""The bundle's trimming (build_spec/): what it leaves out must stay unused by the program, and the
ICU data it keeps must hold what Qt reads. (Building and smoke-testing a bundle: `make bundle`.)"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

from tests.test_architecture import imported_modules

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "build_spec" / "cpdesk.spec"


def spec_list(name: str) -> list[str]:
    """The literal list assigned to ``name`` at the spec's top level."""
    for node in ast.parse(SPEC.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and [getattr(t, "id", None) for t in node.targets] == [name]:
            return ast.literal_eval(node.value)
    raise AssertionError(f"{name} not found in {SPEC}")


def our_imports() -> dict[str, set[str]]:
    """Every module each file of ours imports (tests/test_architecture.py ``imported_modules``)."""
    return {path: names for package in ("app", "db", "ui")
            for path, names in imported_modules(package, members=True).items()}


def test_no_module_of_ours_imports_what_the_bundle_leaves_out():
    excluded = spec_list("EXCLUDED_QT") + spec_list("EXCLUDED_PYTHON")
    offenders = {
        path: sorted(n for n in names if any(n == e or n.startswith(f"{e}.") for e in excluded))
        for path, names in our_imports().items()
    }
    assert {p: n for p, n in offenders.items() if n} == {}


def test_nothing_of_ours_needs_hashlibs_openssl():
    """The bundle leaves out _hashlib (and its libcrypto): hashlib's digests fall back to built-in
    ones, but PBKDF2 and scrypt exist only through OpenSSL."""
    assert "_hashlib" in spec_list("EXCLUDED_PYTHON")
    offenders = [str(path.relative_to(ROOT)) for package in ("app", "db", "ui")
                 for path in (ROOT / package).rglob("*.py")
                 if any(f in path.read_text(encoding="utf-8") for f in ("pbkdf2_hmac", "hashlib.scrypt"))]
    assert offenders == []


def test_id_numbers_hashed_by_hashlib_before_still_match():
    """hash_id moved from hashlib's PBKDF2 to cryptography's (for the bundle): stored hashes made
    earlier (this one by hashlib.pbkdf2_hmac) must still recognise the person."""
    from app.enterprises.hire_checks import hash_id, matches

    stored = ("000102030405060708090a0b0c0d0e0f$"
              "35afe3b1d8908e901f8345674c79e1e38ef7814b4dc2d13827b908dce992f5ed")
    assert hash_id("11010519491231002X", bytes(range(16))) == stored
    assert matches("11010519491231002X", stored)
    assert not matches("110105194912310037", stored)


@pytest.fixture(scope="module")
def icu_kept():
    sys.path.insert(0, str(ROOT / "build_spec"))
    try:
        from icu_trim import kept
    finally:
        sys.path.remove(str(ROOT / "build_spec"))
    return kept


@pytest.mark.parametrize("item", [
    "root.res", "zh.res", "zh_Hans_CN.res", "en_GB.res", "coll/zh.res", "coll/root.res", "coll/ucadata.icu",
    "zone/zh.res", "zone/en.res", "region/zh.res", "zoneinfo64.res", "metaZones.res", "nfkc.nrm",
    "uprops.icu", "ucase.icu", "gb18030.cnv", "windows-936-2000.cnv", "ibm-1373_P100-2002.cnv", "cnvalias.icu",
])
def test_icu_data_keeps_what_qt_reads_for_chinese_and_english(icu_kept, item):
    assert icu_kept(item)


@pytest.mark.parametrize("item", [
    "de.res", "ja.res", "coll/de.res", "zone/fr.res", "brkitr/cjdict.dict", "brkitr/zh.res", "curr/zh.res",
    "unit/en.res", "rbnf/zh.res", "lang/zh.res", "translit/root.res", "unames.icu", "ibm-943_P15A-2003.cnv",
])
def test_icu_data_drops_other_languages_and_services_qt_never_calls(icu_kept, item):
    assert not icu_kept(item)
