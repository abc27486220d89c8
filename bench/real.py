#!/usr/bin/env python3
"""Measure the mapsafe checks on real multithreaded C from Debian source packages.

Usage:
  bench/real.py [--module build/checker/frontend/mapsafe.so] [--real-cache DIR]
                [--real-files PATTERN ...] [--runs 5] [--jobs 2] [--json OUT]
                [--prepare-only] [--list] [--no-install] [--keep]

The real-code mode of the benchmark (bench/run.py measures a generated
corpus).  The inputs are pinned upstream sources from Debian 12 (bookworm)
source packages, listed in REAL_SOURCES below:

  1. `apt-get source --download-only PKG=VERSION` fetches the .dsc and the
     upstream .orig tarball into the cache (--real-cache, default
     $XDG_CACHE_HOME/mapsafe-bench or ~/.cache/mapsafe-bench).  A deb-src
     entry for bookworm is added under /etc/apt/sources.list.d/ when the
     machine has none.  The tarball's sha256 must match the .dsc's
     Checksums-Sha256 and the hash pinned below, or the run stops.
  2. The tarball is unpacked and the project's own build system gives the
     flags: GLib is configured with meson (only the generated headers the
     chosen files need are built), the make-based packages are asked for
     their compile command with `make -n -B FILE.o`.  A compile_commands.json
     with the chosen files is written to the cache.  Debian packages the
     builds need are installed with apt-get (after a simulated install that
     must remove nothing).
  3. Every file is run through clang-tidy-22 in two configurations that only
     differ in -checks:

       mapsafe   clang-tidy-22 --load=MODULE --quiet --config={} -p DB -checks='-*,mapsafe-*' FILE
       baseline  clang-tidy-22 --load=MODULE --quiet --config={} -p DB -checks='-*,readability-misplaced-array-index' FILE

     A file whose baseline run prints an `error:` does not parse with these
     flags (and mapsafe would say nothing about it), so it is dropped with a
     message.
  4. Headline: instruction counts (Ir) under `valgrind --tool=callgrind`,
     deterministic; ratio = mapsafe / baseline per file, --jobs runs at a
     time.  Beside it, CPU time (user+sys of the child, min of --runs runs,
     as in run.py), measured one run at a time before the callgrind runs.

The targets for real code are a median Ir ratio <= 1.03 and a worst-file Ir
ratio <= 1.05; they are printed as "met" or "MISSED" for information only.

Exit status: 0 when every run succeeded, whatever the ratios; 1 when a
download, a checksum, a build step or a clang-tidy run fails, or when no file
is left to measure; 2 on usage errors.
"""

import argparse
import concurrent.futures
import fnmatch
import glob
import hashlib
import json
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
import flags as benchflags  # noqa: E402
import run  # noqa: E402  (shared with the corpus benchmark)

log = run.log

TARGET_MEDIAN_IR = 1.03
TARGET_WORST_IR = 1.05

# The inputs: one row per Debian source package, pinned to its bookworm
# version and to the sha256 of its upstream tarball (the same hash as in the
# .dsc's Checksums-Sha256).  "default" rows are measured unless --real-files
# picks files; the others only when a pattern names their files.
#   build "meson": `meson setup` with meson_options, then ninja builds only
#                  the generated headers the chosen files depend on.
#   build "make" : make_setup targets are made first; the compile command of
#                  each file is what `make -n -B FILE.o` prints (from the
#                  file's own directory with make_in_file_dir), plus
#                  extra_flags.  "{SRC}" in make_vars is the unpacked tree
#                  of package SRC (listed in "needs").
REAL_SOURCES = [
    {
        "package": "glib2.0", "version": "2.74.6-2+deb12u9",
        "tarball": "glib2.0_2.74.6.orig.tar.xz",
        "sha256": "069cf7e51cd261eb163aaf06c8d1754c6835f31252180aff5814e5afc7757fbc",
        "default": True,
        "apt": ["meson", "ninja-build", "pkg-config", "python3", "libffi-dev", "libpcre2-dev", "zlib1g-dev"],
        "build": "meson",
        "meson_options": ["-Dselinux=disabled", "-Dxattr=false", "-Dlibmount=disabled", "-Dtests=false",
                          "-Dman=false", "-Dgtk_doc=false", "-Dinstalled_tests=false", "-Dnls=disabled"],
        "files": ["glib/gmain.c", "glib/ghash.c", "glib/gthread.c", "glib/gthreadpool.c", "glib/gtestutils.c",
                  "gobject/gtype.c", "gobject/gsignal.c",
                  "gio/gdbusconnection.c", "gio/gdbusprivate.c", "gio/gdbusobjectmanagerserver.c",
                  "gio/gtask.c", "gio/gsettings.c"],
    },
    {
        "package": "htslib", "version": "1.16+ds-3",
        "tarball": "htslib_1.16+ds.orig.tar.bz2",
        "sha256": "2d10941e47cf0c05d1496e73e2beaef39e7584eb326367476b12cad04e7794be",
        "default": True,
        # The +ds tarball has no bundled htscodecs: its headers come from
        # libhtscodecs-dev through a htscodecs/htscodecs symlink.
        "apt": ["make", "zlib1g-dev", "libbz2-dev", "liblzma-dev", "libhtscodecs-dev", "libdeflate-dev"],
        "build": "make",
        "make_setup": ["config.h", "version.h", "config_vars.h", "htslib_static.mk"],
        "symlinks": {"htscodecs/htscodecs": "/usr/include/htscodecs"},
        "extra_flags": ["-pthread", "-D_GNU_SOURCE"],
        # All but thread_pool.c use khash; header.c is the SAM header's khash tables.
        "files": ["hts.c", "sam.c", "vcf.c", "thread_pool.c", "cram/cram_io.c", "header.c", "bgzf.c",
                  "cram/cram_encode.c"],
    },
    {
        "package": "samtools", "version": "1.16.1-1",
        "tarball": "samtools_1.16.1.orig.tar.gz",
        "sha256": "70a7f358088929272d8c22d6063290ac8420f5351fba237a99fe17851a45d8be",
        "default": False,
        "apt": ["make", "libncurses-dev"],
        "needs": ["htslib"],
        "build": "make",
        "make_vars": {"HTSDIR": "{htslib}"},
        "make_setup": ["config.h", "version.h"],
        "extra_flags": ["-pthread", "-D_GNU_SOURCE"],
        "files": ["bam_sort.c", "sam_view.c"],
    },
    {
        "package": "mosquitto", "version": "2.0.11-1.2+deb12u2",
        "tarball": "mosquitto_2.0.11.orig.tar.gz",
        "sha256": "7b36a7198bce85cf31b132f5c6ee36dcf5dadf86fb768501eb1e11ce95d4f78a",
        "default": False,
        "apt": ["make", "libssl-dev"],
        "build": "make",
        "make_in_file_dir": True,
        "extra_flags": ["-pthread"],
        "files": ["lib/messages_mosq.c", "lib/mosquitto.c", "src/database.c", "src/subs.c"],
    },
]

# Bump when a preparation step changes, so cached trees are prepared again.
RECIPE_VERSION = 1

ERROR_RE = re.compile(r": (?:fatal )?error: ")
WARN_RE = re.compile(r"warning: .*\[mapsafe-[^\]]*\]")
APT_SOURCES_DIR = "/etc/apt/sources.list.d"
APT_SRC_FILE = os.path.join(APT_SOURCES_DIR, "mapsafe-bench-src.sources")
DEBIAN_KEYRING = "/usr/share/keyrings/debian-archive-keyring.gpg"
SUITE = "bookworm"


class Fail(Exception):
    """A step that cannot go on; the message says why and what to do."""


def default_cache():
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "mapsafe-bench")


def file_key(src, rel):
    return "%s:%s" % (src["package"], rel)


def sh(cmd, cwd=None, env=None, what=None, quiet=False):
    """Run a preparation command; its output goes to stderr; raise Fail on error."""
    shown = " ".join(shlex.quote(c) for c in cmd)
    if env is not None and env.get("CC") and env.get("CC") != os.environ.get("CC"):
        shown = "CC=%s %s" % (shlex.quote(env["CC"]), shown)
    log("real.py: $ %s" % ("(cd %s && %s)" % (cwd, shown) if cwd else shown))
    res = subprocess.run(cmd, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if not quiet and res.stdout.strip():
        sys.stderr.write("".join("    " + l + "\n" for l in res.stdout.splitlines()[-15:]))
    if res.returncode != 0:
        raise Fail("%s failed (rc=%d): %s\n%s" % (what or cmd[0], res.returncode, " ".join(cmd), res.stdout[-4000:]))
    return res.stdout


# ---------------------------------------------------------------- apt

def read_apt_entries():
    """(types, uris, suites, components, path) for every enabled APT source entry."""
    entries = []
    paths = ["/etc/apt/sources.list"] + sorted(glob.glob(os.path.join(APT_SOURCES_DIR, "*.list"))) \
        + sorted(glob.glob(os.path.join(APT_SOURCES_DIR, "*.sources")))
    for path in paths:
        try:
            with open(path, errors="replace") as f:
                text = f.read()
        except OSError:
            continue
        if path.endswith(".sources"):
            for stanza in re.split(r"\n\s*\n", text):
                fields, key = {}, None
                for line in stanza.splitlines():
                    if line.startswith("#") or not line.strip():
                        continue
                    if line[0] in " \t" and key:
                        fields[key] += " " + line.strip()
                        continue
                    key, _, val = line.partition(":")
                    key = key.strip().lower()
                    fields[key] = val.strip()
                if fields.get("enabled", "yes").lower() == "no" or "types" not in fields:
                    continue
                entries.append((fields["types"].split(), fields.get("uris", "").split(),
                                fields.get("suites", "").split(), fields.get("components", "").split(), path))
        else:
            for line in text.splitlines():
                line = line.split("#", 1)[0].strip()
                m = re.match(r"^(deb|deb-src)\s+(?:\[[^\]]*\]\s+)?(\S+)\s+(\S+)\s*(.*)$", line)
                if m:
                    entries.append(([m.group(1)], [m.group(2)], [m.group(3)], m.group(4).split(), path))
    return entries


def apt_update():
    sh(["apt-get", "update"], what="apt-get update", quiet=True)


def ensure_deb_src(allow_changes):
    """A deb-src entry for bookworm main, added next to the machine's own deb entry if missing."""
    entries = read_apt_entries()
    for types, uris, suites, comps, path in entries:
        if "deb-src" in types and SUITE in suites and "main" in comps:
            return False
    uri = None
    for types, uris, suites, comps, path in entries:
        if "deb" in types and SUITE in suites and "main" in comps and uris:
            uri = uris[0]
            break
    if uri is None:
        raise Fail("no APT entry for Debian %s main found to take the mirror from; add a deb-src entry "
                   "(Types: deb-src, Suites: %s, Components: main) under %s" % (SUITE, SUITE, APT_SOURCES_DIR))
    if not allow_changes:
        raise Fail("no deb-src entry for %s; run without --no-install (as root) to add %s" % (SUITE, APT_SRC_FILE))
    log("real.py: no deb-src entry for %s main: writing %s (mirror %s) and running apt-get update"
        % (SUITE, APT_SRC_FILE, uri))
    with open(APT_SRC_FILE, "w") as f:
        f.write("# Added by mapsafe bench/real.py: upstream sources for the real-code benchmark.\n"
                "Types: deb-src\nURIs: %s\nSuites: %s\nComponents: main\nSigned-By: %s\n"
                % (uri, SUITE, DEBIAN_KEYRING))
    apt_update()
    return True


def dpkg_installed(pkg):
    res = subprocess.run(["dpkg-query", "-W", "-f=${db:Status-Abbrev}", pkg],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    return res.returncode == 0 and res.stdout.startswith("ii")


def ensure_packages(pkgs, allow_install):
    missing = [p for p in dict.fromkeys(pkgs) if not dpkg_installed(p)]
    if not missing:
        return
    if not allow_install or os.geteuid() != 0:
        raise Fail("missing Debian packages: %s (install them as root: apt-get install %s)"
                   % (" ".join(missing), " ".join(missing)))
    sim_cmd = ["apt-get", "-s", "install", "-y", "--no-install-recommends"] + missing
    for attempt in (0, 1):
        res = subprocess.run(sim_cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if res.returncode == 0:
            break
        if attempt == 0:
            log("real.py: simulated install failed; running apt-get update and trying again")
            apt_update()
    else:
        raise Fail("apt-get -s install %s failed:\n%s" % (" ".join(missing), res.stdout[-3000:]))
    removals = [l for l in res.stdout.splitlines() if l.startswith("Remv ")]
    if removals:
        raise Fail("installing %s would remove packages, not doing it:\n%s"
                   % (" ".join(missing), "\n".join(removals)))
    log("real.py: installing %s" % " ".join(missing))
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    sh(["apt-get", "install", "-y", "--no-install-recommends"] + missing, env=env, what="apt-get install",
       quiet=True)


# ---------------------------------------------------------------- download

def sha256_of(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def dsc_sha256(dsc_path):
    """{file name: (sha256, size)} from the .dsc's Checksums-Sha256 field."""
    out, inside = {}, False
    with open(dsc_path, errors="replace") as f:
        for line in f:
            if re.match(r"^Checksums-Sha256:", line):
                inside = True
                continue
            if inside:
                if not line.startswith(" "):
                    break
                parts = line.split()
                if len(parts) == 3:
                    out[parts[2]] = (parts[0].lower(), int(parts[1]))
    return out


def dsc_name(src):
    version = src["version"].split(":", 1)[-1]  # no epoch in file names
    return "%s_%s.dsc" % (src["package"], version)


def verify_tarball(src, dl):
    dsc = os.path.join(dl, dsc_name(src))
    tarball = os.path.join(dl, src["tarball"])
    sums = dsc_sha256(dsc)
    if src["tarball"] not in sums:
        raise Fail("%s lists no %s in Checksums-Sha256 (has: %s)" % (dsc, src["tarball"], ", ".join(sums)))
    want, size = sums[src["tarball"]]
    got = sha256_of(tarball)
    if got != want or os.path.getsize(tarball) != size:
        raise Fail("CHECKSUM MISMATCH: %s has sha256 %s (%d bytes) but %s says %s (%d bytes); "
                   "remove the file and run again" % (tarball, got, os.path.getsize(tarball), dsc, want, size))
    if want != src["sha256"]:
        raise Fail("%s gives sha256 %s for %s, but bench/real.py pins %s" % (dsc, want, src["tarball"], src["sha256"]))
    return got


def download(src, cache, allow_changes, state):
    dl = os.path.join(cache, "downloads")
    os.makedirs(dl, exist_ok=True)
    dsc = os.path.join(dl, dsc_name(src))
    tarball = os.path.join(dl, src["tarball"])
    if not (os.path.isfile(dsc) and os.path.isfile(tarball)):
        spec = "%s=%s" % (src["package"], src["version"])
        for attempt in (0, 1):
            if not state.get("deb_src_checked"):
                state["updated"] = ensure_deb_src(allow_changes) or state.get("updated", False)
                state["deb_src_checked"] = True
            cmd = ["apt-get", "source", "--download-only", spec]
            log("real.py: $ (cd %s && %s)" % (dl, " ".join(cmd)))
            res = subprocess.run(cmd, cwd=dl, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                 stderr=subprocess.STDOUT, text=True)
            if os.path.isfile(dsc) and os.path.isfile(tarball):
                if res.returncode != 0:  # e.g. the Debian patch tarball was not served: not needed
                    log("real.py: apt-get source rc=%d, but the .dsc and %s are there; going on:\n%s"
                        % (res.returncode, src["tarball"], res.stdout[-1500:]))
                break
            if attempt == 0 and not state.get("updated") and allow_changes and os.geteuid() == 0:
                log("real.py: apt-get source did not fetch %s; running apt-get update and trying again" % spec)
                apt_update()
                state["updated"] = True
                continue
            raise Fail("could not download %s (.dsc and %s) with apt-get source (rc=%d). If the version is no "
                       "longer in the archive, update its row in REAL_SOURCES.\n%s"
                       % (spec, src["tarball"], res.returncode, res.stdout[-3000:]))
    digest = verify_tarball(src, dl)
    log("real.py: %s %s: sha256 %s matches the .dsc" % (src["package"], src["tarball"], digest))
    return tarball, digest


def unpack(src, tarball, cache):
    """The unpacked upstream tree, cache/src/PKG_VERSION/<top dir>."""
    base = os.path.join(cache, "src", "%s_%s" % (src["package"], src["version"]))
    stamp = os.path.join(base, ".unpacked")
    if os.path.isfile(stamp):
        with open(stamp) as f:
            top = f.read().strip()
        if os.path.isdir(os.path.join(base, top)):
            return os.path.join(base, top)
    shutil.rmtree(base, ignore_errors=True)
    os.makedirs(base)
    log("real.py: unpacking %s" % os.path.basename(tarball))
    with tarfile.open(tarball) as tf:
        members = tf.getmembers()
        tops = {m.name.split("/", 1)[0] for m in members if m.name not in (".", "./")}
        if len(tops) != 1:
            raise Fail("%s does not unpack into one directory (%s)" % (tarball, ", ".join(sorted(tops))[:200]))
        if hasattr(tarfile, "data_filter"):
            tf.extractall(base, filter="data")
        else:
            tf.extractall(base)
    top = tops.pop()
    with open(stamp, "w") as f:
        f.write(top + "\n")
    return os.path.join(base, top)


# ---------------------------------------------------------------- flags

def compiler():
    return shutil.which("clang-22") or shutil.which("cc") or "cc"


def clean_args(args):
    """Flags for clang-tidy: colours off (the output is parsed), and -Werror[=X]
    relaxed to plain warnings: a warning that clang 22 added to a group
    (missing-format-attribute in -Wformat=2, say) is not a parse error."""
    out = []
    for a in args:
        if a in ("-Werror", "-fcolor-diagnostics") or a.startswith("-fdiagnostics-color"):
            continue
        if a.startswith("-Werror="):
            a = "-W" + a[len("-Werror="):]
        out.append(a)
    return out


def prepare_meson(src, tree):
    build = os.path.join(tree, "_build")
    shutil.rmtree(build, ignore_errors=True)  # only called when the cached preparation is missing or stale
    env = dict(os.environ, CC=compiler())
    sh(["meson", "setup", "_build"] + src["meson_options"], cwd=tree, env=env, what="meson setup", quiet=True)
    with open(os.path.join(build, "compile_commands.json")) as f:
        db = json.load(f)
    by_path = {}
    for e in db:
        by_path.setdefault(os.path.normpath(os.path.join(e["directory"], e["file"])), e)
    entries, headers = [], []
    for rel in src["files"]:
        path = os.path.join(tree, rel)
        e = by_path.get(os.path.normpath(path))
        if e is None:
            raise Fail("%s is not in %s/compile_commands.json" % (rel, build))
        args = e["arguments"] if "arguments" in e else shlex.split(e["command"])
        entries.append({"directory": e["directory"], "file": path, "arguments": clean_args(args),
                        "output": e.get("output", "")})
        # Generated headers are order-only inputs of the file's object.
        q = sh(["ninja", "-C", build, "-t", "query", e["output"]], what="ninja -t query", quiet=True)
        headers += [l.strip()[2:].strip() for l in q.splitlines() if l.strip().startswith("||")]
    headers = list(dict.fromkeys(headers))
    if headers:
        sh(["ninja", "-C", build] + headers, what="ninja (generated headers)")
    return entries


def make_compile_line(src, tree, rel, vars_):
    sub = os.path.dirname(rel) if src.get("make_in_file_dir") else ""
    name = os.path.basename(rel) if sub else rel
    target = os.path.splitext(name)[0] + ".o"
    directory = os.path.join(tree, sub) if sub else tree
    out = sh(["make", "-n", "-B", "-C", directory, "CC=" + compiler()] + vars_ + [target],
             what="make -n %s" % target, quiet=True)
    for line in out.splitlines():
        try:
            toks = shlex.split(line)
        except ValueError:
            continue
        if "-c" in toks and name in toks and toks[0] not in ("echo", "if", "test", "["):
            return {"directory": directory, "file": os.path.join(tree, rel),
                    "arguments": clean_args(toks + src.get("extra_flags", []))}
    raise Fail("make -n -B %s in %s printed no compile command:\n%s" % (target, directory, out[-2000:]))


def prepare_make(src, tree, trees):
    vars_ = ["%s=%s" % (k, v.format(**trees)) for k, v in sorted(src.get("make_vars", {}).items())]
    if src.get("make_setup"):
        sh(["make", "-C", tree] + vars_ + src["make_setup"], what="make %s" % " ".join(src["make_setup"]), quiet=True)
    for link, target in sorted(src.get("symlinks", {}).items()):
        path = os.path.join(tree, link)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        if os.path.lexists(path):
            os.unlink(path)
        os.symlink(target, path)
    return [make_compile_line(src, tree, rel, vars_) for rel in src["files"]]


def prepare(src, cache, trees, allow_changes, state):
    """Download, verify, unpack and configure one package; returns (tree, db dir, info)."""
    tarball, digest = download(src, cache, allow_changes, state)
    tree = unpack(src, tarball, cache)
    trees[src["package"]] = tree
    dbdir = os.path.join(cache, "db", "%s_%s" % (src["package"], src["version"]))
    signature = json.dumps({"recipe": RECIPE_VERSION, "source": src, "tree": tree, "cc": compiler(),
                            "needs": {n: trees.get(n) for n in src.get("needs", [])}}, sort_keys=True)
    stamp = os.path.join(dbdir, "prepared.json")
    db_path = os.path.join(dbdir, "compile_commands.json")
    if os.path.isfile(db_path) and os.path.isfile(stamp):
        with open(stamp) as f:
            if f.read() == signature:
                return tree, dbdir, digest
    t0 = time.perf_counter()
    if src["build"] == "meson":
        entries = prepare_meson(src, tree)
    else:
        entries = prepare_make(src, tree, trees)
    os.makedirs(dbdir, exist_ok=True)
    with open(db_path, "w") as f:
        json.dump(entries, f, indent=1)
    with open(stamp, "w") as f:
        f.write(signature)
    log("real.py: %s prepared in %.1fs: %s" % (src["package"], time.perf_counter() - t0, db_path))
    return tree, dbdir, digest


# ---------------------------------------------------------------- measuring

def tidy_cmd(tidy, module, checks, dbdir, path):
    return [tidy, "--load=" + module, "--quiet", "--config={}", "-p", dbdir, "-checks=-*," + checks, path]


def callgrind_ir(valgrind, cmd, outbase, timeout, keep):
    """Instructions executed by cmd under callgrind; (rc, Ir or None, clang-tidy output)."""
    cg, vlog, txt = outbase + ".callgrind", outbase + ".valgrind.log", outbase + ".txt"
    full = [valgrind, "--tool=callgrind", "--callgrind-out-file=" + cg, "--log-file=" + vlog] + cmd
    with open(txt, "wb") as out:
        try:
            rc = subprocess.run(full, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                                timeout=timeout).returncode
        except subprocess.TimeoutExpired:
            rc = -9
    ir = None
    if os.path.isfile(cg):
        with open(cg, errors="replace") as f:
            for line in f:
                if line.startswith(("summary:", "totals:")):
                    ir = int(line.split()[1])
                    break
        if not keep:
            os.unlink(cg)
    with open(txt, errors="replace") as f:
        text = f.read()
    if ir is None and os.path.isfile(vlog):
        with open(vlog, errors="replace") as f:
            text += "\n[valgrind log]\n" + f.read()[-2000:]
    return rc, ir, text


def load_module(path, tmp, tidy, checks):
    """A private copy of the module, so that a rebuild during the run cannot change it.
    mapsafe.so loads the checks (mapsafe-checks.so) from next to it: both are copied,
    and the checks are what is compared and hashed."""
    checks_so = os.path.join(os.path.dirname(path), "mapsafe-checks.so")
    watched = checks_so if os.path.exists(checks_so) else path
    for attempt in range(6):
        st0 = os.stat(watched)
        copy = os.path.join(tmp, "mapsafe.so")
        shutil.copy2(path, copy)
        if watched != path:
            shutil.copy2(checks_so, os.path.join(tmp, "mapsafe-checks.so"))
        st1 = os.stat(watched)
        if (st0.st_size, st0.st_mtime_ns) == (st1.st_size, st1.st_mtime_ns):
            rc, names, out = run.list_checks(tidy, copy, checks)
            if rc == 0 and names:
                return copy, names, sha256_of(os.path.join(tmp, os.path.basename(watched)))
        else:
            rc, out = -1, "the module changed while it was copied"
        log("real.py: the module does not load yet (%s); trying again in 10s" % out.strip()[-300:])
        time.sleep(10)
    raise Fail("%s --load=%s --list-checks failed:\n%s" % (tidy, path, out))


def summarise(rows, key):
    rs = [r for r in rows if r.get(key) is not None]
    if not rs:
        return None
    worst = max(rs, key=lambda r: r[key])
    return {"files": len(rs), "median": statistics.median(r[key] for r in rs), "worst": worst[key],
            "worst_file": worst["file"]}


def main():
    ap = argparse.ArgumentParser(description="mapsafe overhead on real multithreaded C from Debian source packages "
                                             "(instruction counts under callgrind, and CPU time).")
    ap.add_argument("--module", default=os.path.join(run.REPO, "build", "checker", "frontend", "mapsafe.so"),
                    help="path to mapsafe.so (default build/checker/frontend/mapsafe.so)")
    ap.add_argument("--real-cache", metavar="DIR", default=default_cache(),
                    help="downloads, unpacked trees and compile databases (default %(default)s)")
    ap.add_argument("--real-files", metavar="PATTERN", nargs="+",
                    help="measure only these files: shell patterns matched against PKG:PATH, PATH or the base "
                         "name, e.g. 'htslib:*' gmain.c '*' (default: the default packages' files)")
    ap.add_argument("--runs", type=int, default=5, help="timed CPU runs per file and configuration (default 5; "
                                                         "0 = instruction counts only)")
    ap.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1),
                    help="callgrind runs at a time (default %(default)s)")
    ap.add_argument("--json", metavar="OUT", help="write every figure as JSON")
    ap.add_argument("--checks", default="mapsafe-*", help="checks under test (default mapsafe-*)")
    ap.add_argument("--baseline-check", default=run.BASELINE_CHECK, help="baseline check (default %(default)s)")
    ap.add_argument("--clang-tidy", default="clang-tidy-22", help="clang-tidy binary (default clang-tidy-22)")
    ap.add_argument("--valgrind", default="valgrind", help="valgrind binary (default valgrind)")
    ap.add_argument("--timeout", type=float, default=300.0, help="seconds per timed clang-tidy run (default 300)")
    ap.add_argument("--callgrind-timeout", type=float, default=3600.0,
                    help="seconds per clang-tidy run under callgrind (default 3600)")
    ap.add_argument("--prepare-only", action="store_true", help="download and prepare the sources, measure nothing")
    ap.add_argument("--list", action="store_true", help="print the table of sources and files and exit")
    ap.add_argument("--no-install", action="store_true",
                    help="never change the system (no apt-get install, no new deb-src entry): fail instead")
    ap.add_argument("--keep", action="store_true", help="keep the callgrind files and clang-tidy outputs")
    args = ap.parse_args()

    all_files = [(src, rel) for src in REAL_SOURCES for rel in src["files"]]
    if args.list:
        for src in REAL_SOURCES:
            print("%-10s %-20s %-30s %s" % (src["package"], src["version"], src["tarball"],
                                           "default" if src["default"] else "optional"))
            for rel in src["files"]:
                print("    " + file_key(src, rel))
        return 0
    if args.real_files:
        chosen = []
        for pat in args.real_files:
            hits = [(s, r) for s, r in all_files
                    if any(fnmatch.fnmatchcase(n, pat) for n in (file_key(s, r), r, os.path.basename(r)))]
            if not hits:
                ap.error("--real-files %r matches none of: %s" % (pat, " ".join(file_key(s, r) for s, r in all_files)))
            chosen += hits
        chosen = [x for x in all_files if x in chosen]  # table order, no duplicates
    else:
        chosen = [(s, r) for s, r in all_files if s["default"]]
    if args.runs < 0 or args.jobs < 1:
        ap.error("--runs must be >= 0 and --jobs >= 1")

    t_start = time.perf_counter()
    cache = os.path.abspath(os.path.expanduser(args.real_cache))
    os.makedirs(cache, exist_ok=True)
    allow = not args.no_install
    try:
        # 1. Sources and flags.
        names = {s["package"] for s, _ in chosen}
        for s, _ in chosen:
            names.update(s.get("needs", []))
        sources = [s for s in REAL_SOURCES if s["package"] in names]  # table order: needs come first
        apt = ["valgrind"] if not args.prepare_only else []
        for s in sources:
            apt += s["apt"]
        ensure_packages(apt, allow)
        trees, dbdirs, digests, state = {}, {}, {}, {}
        for s in sources:
            tree, dbdir, digest = prepare(s, cache, trees, allow, state)
            dbdirs[s["package"]] = dbdir
            digests[s["package"]] = digest
        t_prepared = time.perf_counter()
        log("real.py: sources ready in %.1fs (cache %s)" % (t_prepared - t_start, cache))
        if args.prepare_only:
            return 0

        tidy = shutil.which(args.clang_tidy)
        valgrind = shutil.which(args.valgrind)
        if tidy is None or valgrind is None:
            log("real.py: %s not found" % (args.clang_tidy if tidy is None else args.valgrind))
            return 2
        if not os.path.isfile(args.module):
            log("real.py: module %s does not exist (build it first: cmake --build build)" % args.module)
            return 2
        tmp = tempfile.mkdtemp(prefix="mapsafe-real-")
        module, listed, module_sha = load_module(os.path.abspath(args.module), tmp, tidy, args.checks)
        missing = [c for c in run.EXPECTED_CHECKS if c not in listed] if args.checks == "mapsafe-*" else []
        if missing:
            raise Fail("the module does not list %s" % ", ".join(missing))
        rc, bnames, out = run.list_checks(tidy, module, args.baseline_check)
        if rc != 0 or args.baseline_check not in bnames:
            raise Fail("baseline check %s not available:\n%s" % (args.baseline_check, out))
        log("real.py: checks under test: %s (module sha256 %s)" % (", ".join(listed), module_sha[:16]))
    except Fail as e:
        log("real.py: FAIL: %s" % e)
        return 1

    configs = [("baseline", args.baseline_check), ("mapsafe", args.checks)]
    outdir = os.path.join(tmp, "out")
    os.makedirs(outdir)
    rows, dropped, failures = [], [], []

    # 2. Parse check (the untimed warm-up) and CPU time, one run at a time.
    for idx, (src, rel) in enumerate(chosen):
        key = file_key(src, rel)
        path = os.path.join(trees[src["package"]], rel)
        dbdir = dbdirs[src["package"]]
        with open(path, errors="replace") as f:
            text = f.read()
        lines = text.count("\n")
        maps = benchflags.libs_used(text)  # whose map calls the file makes: glib, khash, ...
        outs = {c: os.path.join(outdir, "%02d.%s.txt" % (idx, c)) for c, _ in configs}
        status = {}
        for c, checks in configs:
            rc, _, _, _ = run.run_timed(tidy_cmd(tidy, module, checks, dbdir, path), outs[c], args.timeout)
            with open(outs[c], errors="replace") as f:
                status[c] = (rc, f.read())
        brc, bout = status["baseline"]
        errors = [l for l in bout.splitlines() if ERROR_RE.search(l)]
        if errors:
            dropped.append({"file": key, "errors": errors[:20]})
            log("real.py: DROP %s: does not parse with its project flags (%d error line%s), e.g.\n    %s"
                % (key, len(errors), "" if len(errors) == 1 else "s", "\n    ".join(errors[:3])))
            continue
        bad = [(c, rc, o) for c, (rc, o) in status.items() if rc != 0 or run.CRASH_RE.search(o)]
        if bad:
            for c, rc, o in bad:
                failures.append({"file": key, "config": c, "rc": rc, "output": o[-3000:]})
                log("real.py: FAIL %s: %s clang-tidy rc=%d\n%s" % (key, c, rc, o[-3000:]))
            continue
        row = {"file": key, "package": src["package"], "version": src["version"], "path": path, "lines": lines,
               "maps": maps, "mapsafe_warnings": len(WARN_RE.findall(status["mapsafe"][1])),
               "cpu_samples": {c: [] for c, _ in configs}}
        for r in range(args.runs):
            for c, checks in (configs if (r + idx) % 2 == 0 else configs[::-1]):
                rc, ut, st, _ = run.run_timed(tidy_cmd(tidy, module, checks, dbdir, path), outs[c], args.timeout)
                if rc != 0:
                    failures.append({"file": key, "config": c, "rc": rc, "output": "timed run"})
                    log("real.py: FAIL %s: %s clang-tidy rc=%d on a timed run" % (key, c, rc))
                    break
                row["cpu_samples"][c].append(ut + st)
            else:
                continue
            break
        if args.runs and len(row["cpu_samples"]["mapsafe"]) == args.runs \
                and len(row["cpu_samples"]["baseline"]) == args.runs:
            b, m = min(row["cpu_samples"]["baseline"]), min(row["cpu_samples"]["mapsafe"])
            row.update(baseline_cpu_s=b, mapsafe_cpu_s=m, cpu_ratio=m / b if b > 0 else None)
            log("real.py: [%d/%d] %-40s cpu %.3fs %.3fs x%.3f" % (idx + 1, len(chosen), key, b, m, m / b if b else 0))
        elif args.runs:
            continue
        rows.append(row)
    t_cpu = time.perf_counter()

    # 3. Instruction counts, --jobs callgrind runs at a time, the longest files first.
    jobs = [(row, c, checks) for row in sorted(rows, key=lambda r: -(r.get("baseline_cpu_s") or r["lines"]))
            for c, checks in configs]
    log("real.py: %d callgrind runs, %d at a time" % (len(jobs), args.jobs))

    def one(job):
        row, c, checks = job
        base = os.path.join(outdir, "cg.%s.%s" % (re.sub(r"[^\w.-]", "_", row["file"]), c))
        t0 = time.perf_counter()
        rc, ir, text = callgrind_ir(valgrind, tidy_cmd(tidy, module, checks, dbdirs[row["package"]], row["path"]),
                                    base, args.callgrind_timeout, args.keep)
        return job, rc, ir, text, time.perf_counter() - t0

    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        for (row, c, _), rc, ir, text, secs in pool.map(one, jobs):
            if rc != 0 or ir is None or run.CRASH_RE.search(text):
                failures.append({"file": row["file"], "config": c, "rc": rc, "output": text[-3000:]})
                log("real.py: FAIL %s: %s under callgrind rc=%d\n%s" % (row["file"], c, rc, text[-3000:]))
                continue
            row["%s_ir" % c] = ir
            row["%s_callgrind_s" % c] = secs
            if c == "mapsafe":
                n = len(WARN_RE.findall(text))
                if n != row["mapsafe_warnings"]:
                    log("real.py: note: %s gave %d mapsafe warnings under callgrind, %d without"
                        % (row["file"], n, row["mapsafe_warnings"]))
            log("real.py: callgrind %-40s %-8s %14s Ir (%.0fs)" % (row["file"], c, format(ir, ","), secs))
    for row in rows:
        b, m = row.get("baseline_ir"), row.get("mapsafe_ir")
        row["ir_ratio"] = m / b if b and m else None
    measured = [r for r in rows if r["ir_ratio"] is not None]
    t_end = time.perf_counter()

    # 4. Report.
    print()
    print("mapsafe overhead on real code: instructions executed (valgrind --tool=callgrind) and %s"
          % ("CPU time (user+sys), min of %d run(s)" % args.runs if args.runs else "no CPU time (--runs 0)"))
    print("  mapsafe  : -checks='-*,%s'" % args.checks)
    print("  baseline : -checks='-*,%s'" % args.baseline_check)
    print("  command  : %s --load=%s --quiet --config={} -p %s/db/PKG_VERSION -checks=... FILE"
          % (args.clang_tidy, args.module, cache))
    print("  sources  : %s" % ", ".join("%s %s" % (s["package"], s["version"]) for s in sources
                                         if any(r["package"] == s["package"] for r in rows)))
    print()
    w = max([len(r["file"]) for r in measured] + [4])
    print("%-*s %6s %15s %15s %8s %9s %9s %5s  %s" % (w, "file", "lines", "baseline Ir", "mapsafe Ir", "Ir ratio",
                                                      "base CPU", "CPU ratio", "warn", "maps"))
    for r in measured:
        cpu_b = "%8.3fs" % r["baseline_cpu_s"] if r.get("baseline_cpu_s") is not None else "%9s" % "-"
        cpu_r = "%9.3f" % r["cpu_ratio"] if r.get("cpu_ratio") is not None else "%9s" % "-"
        print("%-*s %6d %15s %15s %8.4f %s %s %5d  %s" % (w, r["file"], r["lines"], format(r["baseline_ir"], ","),
                                                          format(r["mapsafe_ir"], ","), r["ir_ratio"], cpu_b, cpu_r,
                                                          r["mapsafe_warnings"], ",".join(r["maps"]) or "-"))
    print()
    s_ir, s_cpu = summarise(measured, "ir_ratio"), summarise(measured, "cpu_ratio")
    summary = {"ir": s_ir, "cpu": s_cpu}
    if s_ir:
        tb = sum(r["baseline_ir"] for r in measured)
        tm = sum(r["mapsafe_ir"] for r in measured)
        s_ir["total_ratio"] = tm / tb
        ok_m, ok_w = s_ir["median"] <= TARGET_MEDIAN_IR, s_ir["worst"] <= TARGET_WORST_IR
        print("Ir ratio : median %.4f (target <= %.2f: %s)  worst %.4f in %s (target <= %.2f: %s)  total %.4f"
              % (s_ir["median"], TARGET_MEDIAN_IR, "met" if ok_m else "MISSED", s_ir["worst"], s_ir["worst_file"],
                 TARGET_WORST_IR, "met" if ok_w else "MISSED", s_ir["total_ratio"]))
        for s in sources:
            sub = summarise([r for r in measured if r["package"] == s["package"]], "ir_ratio")
            if sub:
                summary.setdefault("ir_by_package", {})[s["package"]] = sub
                print("  %-9s %2d files: median %.4f  worst %.4f (%s)"
                      % (s["package"], sub["files"], sub["median"], sub["worst"], sub["worst_file"]))
        # By map library: a file that calls two libraries' maps counts for both.
        for lib in [name for name, _ in benchflags.LIB_CALLS]:
            sub = summarise([r for r in measured if lib in r["maps"]], "ir_ratio")
            if sub:
                summary.setdefault("ir_by_map_library", {})[lib] = sub
                print("  maps %-6s %2d files: median %.4f  worst %.4f (%s)"
                      % (lib, sub["files"], sub["median"], sub["worst"], sub["worst_file"]))
    if s_cpu:
        print("CPU ratio: median %.3f  worst %.3f in %s  (min of %d runs; a few %% of noise per file, "
              "the Ir ratios are the headline)" % (s_cpu["median"], s_cpu["worst"], s_cpu["worst_file"], args.runs))
    print("the targets are informational; the benchmark never fails on them")
    if dropped:
        print("dropped %d file(s) that do not parse with their project flags: %s"
              % (len(dropped), ", ".join(d["file"] for d in dropped)))
    if failures:
        print("FAILED on %d run(s): %s" % (len(failures), ", ".join("%s (%s rc=%s)" % (f["file"], f["config"], f["rc"])
                                                                   for f in failures)))
    print("elapsed %.0fs: sources %.0fs, parse check and CPU time %.0fs, callgrind %.0fs"
          % (t_end - t_start, t_prepared - t_start, t_cpu - t_prepared, t_end - t_cpu))

    if args.json:
        doc = {
            "mode": "real", "clang_tidy": tidy, "valgrind": valgrind, "module": os.path.abspath(args.module),
            "module_sha256": module_sha, "checks": args.checks, "checks_listed": listed,
            "baseline_check": args.baseline_check, "cpu_runs": args.runs, "cpu_stat": "min",
            "callgrind_jobs": args.jobs, "cache": cache,
            "sources": [{"package": s["package"], "version": s["version"], "tarball": s["tarball"],
                         "sha256": digests[s["package"]], "tree": trees[s["package"]],
                         "compile_commands": os.path.join(dbdirs[s["package"]], "compile_commands.json")}
                        for s in sources],
            "host": {"machine": platform.machine(), "cpus": os.cpu_count(), "python": platform.python_version()},
            "targets": {"ir_median": TARGET_MEDIAN_IR, "ir_worst": TARGET_WORST_IR},
            "summary": summary, "files": rows, "dropped": dropped, "failures": failures,
            "elapsed_s": {"total": t_end - t_start, "sources": t_prepared - t_start, "cpu": t_cpu - t_prepared,
                          "callgrind": t_end - t_cpu},
        }
        with open(args.json, "w") as f:
            json.dump(doc, f, indent=2)
        log("real.py: wrote %s" % args.json)

    if args.keep:
        log("real.py: kept %s" % tmp)
    else:
        shutil.rmtree(tmp, ignore_errors=True)
    if not measured and not failures:
        log("real.py: FAIL: no file left to measure")
        return 1
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
