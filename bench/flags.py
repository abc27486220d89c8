"""Compiler flags for a benchmark input, decided from what the file includes.

Shared by gen_corpus.py (--verify), run.py and real.py.  Every input gets

    $(pkg-config --cflags glib-2.0) -pthread

and, depending on its #include lines and pragmas:

    -fopenmp                      #pragma omp ..., #include <omp.h>
    $(pkg-config --cflags apr-1)  #include <apr_*.h> / <apr.h>
    $(pkg-config --cflags fuse3)  #include <fuse.h>, <fuse_lowlevel.h>, <fuse_opt.h>, ...
    $(pkg-config --cflags gio-2.0)  #include <gio/...>

uthash (<uthash.h>), khash (<htslib/khash.h>) and stb_ds (<stb/stb_ds.h>)
sit in /usr/include and need no flag.  The same lines tell which map
library a file uses (libs_used), for the per-library summaries.
Python 3 standard library only.
"""

import os
import re
import shlex
import subprocess

OMP_RE = re.compile(r"^\s*#\s*(pragma\s+omp\b|include\s*<omp\.h>)", re.M)

# (pkg-config package, #include pattern) for the headers that need include paths.
PKG_RULES = [
    ("apr-1", re.compile(r"^\s*#\s*include\s*<apr(?:_\w+)?\.h>", re.M)),
    ("fuse3", re.compile(r"^\s*#\s*include\s*<(?:fuse|fuse_\w+|cuse_lowlevel)\.h>", re.M)),
    ("gio-2.0", re.compile(r"^\s*#\s*include\s*<gio/", re.M)),
]

# Which map library a file includes: the generated corpus is grouped by this.
LIB_INCLUDES = [
    ("uthash", re.compile(r"^\s*#\s*include\s*[<\"](?:[\w/]*/)?uthash\.h[>\"]", re.M)),
    ("khash", re.compile(r"^\s*#\s*include\s*[<\"](?:[\w/]*/)?khash\.h[>\"]", re.M)),
    ("stb_ds", re.compile(r"^\s*#\s*include\s*[<\"](?:[\w/]*/)?stb_ds\.h[>\"]", re.M)),
    ("apr", re.compile(r"^\s*#\s*include\s*<apr_hash\.h>", re.M)),
]

# Which map APIs a file calls (real code includes a library's header through
# its own headers, so the calls are what tells): used by real.py's report.
LIB_CALLS = [
    ("glib", re.compile(r"\bg_hash_table_\w+\s*\(")),
    ("uthash", re.compile(r"\bHASH_(?:ADD|FIND|DEL|DELETE|ITER|REPLACE|COUNT)\w*\s*\(")),
    ("khash", re.compile(r"\bkh_(?:init|get|put|del|destroy|foreach|foreach_value)\s*\(")),
    ("stb_ds", re.compile(r"\b(?:stbds_)?(?:hm|sh)(?:put|get|geti|getp|del|len|free)\w*\s*\(")),
    ("apr", re.compile(r"\bapr_hash_\w+\s*\(")),
]

_pkg_cache = {}


def pkg_cflags(pkg):
    """`pkg-config --cflags PKG` as a list, or None when pkg-config does not know PKG."""
    if pkg not in _pkg_cache:
        try:
            out = subprocess.run(["pkg-config", "--cflags", pkg], stdout=subprocess.PIPE,
                                 stderr=subprocess.DEVNULL, text=True)
            _pkg_cache[pkg] = shlex.split(out.stdout) if out.returncode == 0 else None
        except OSError:
            _pkg_cache[pkg] = None
    return _pkg_cache[pkg]


def base_flags():
    """The flags every input gets; None when pkg-config has no glib-2.0."""
    glib = pkg_cflags("glib-2.0")
    return None if glib is None else glib + ["-pthread"]


# khash.h unpacked by scripts/install-deps.sh when libhts-dev is not installed,
# omp.h when an older libomp-dev is.
DEPS_INCLUDE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                            ".deps", "include")
KHASH_INCLUDE_RE = re.compile(r"^\s*#\s*include\s*<htslib/khash\.h>", re.M)


def extra_flags(text):
    """(flags beyond base_flags() for a file with this text, packages pkg-config did not know)."""
    flags, missing = [], []
    omp = OMP_RE.search(text)
    if omp:
        flags.append("-fopenmp")
    if (KHASH_INCLUDE_RE.search(text) and os.path.isdir(DEPS_INCLUDE)) or \
            (omp and os.path.isfile(os.path.join(DEPS_INCLUDE, "omp.h"))):
        flags.append("-isystem" + DEPS_INCLUDE)
    for pkg, rx in PKG_RULES:
        if rx.search(text):
            got = pkg_cflags(pkg)
            if got is None:
                missing.append(pkg)
            else:
                flags += got
    return flags, missing


def dedup(flags):
    """Drop repeated flags (pkg-config outputs overlap), keeping the first of each."""
    out, seen = [], set()
    for f in flags:
        if f not in seen:
            seen.add(f)
            out.append(f)
    return out


def corpus_lib(text):
    """The map library a generated file is written for: uthash, khash, stb_ds, apr or glib."""
    for name, rx in LIB_INCLUDES:
        if rx.search(text):
            return name
    return "glib"


def libs_used(text):
    """The map libraries whose calls appear in text, in LIB_CALLS order."""
    return [name for name, rx in LIB_CALLS if rx.search(text)]
