# lit configuration for mapsafe's tests (test/).  Run through the build:
#   cmake --build build --target check      (or: lit -sv build/test)
import os
import shlex
import subprocess

import lit.formats

config.name = "mapsafe"
config.test_format = lit.formats.ShTest(execute_external=True)
config.suffixes = [".c", ".test"]
config.excludes = ["Inputs"]
config.test_source_root = os.path.join(config.mapsafe_source_dir, "test")
config.test_exec_root = os.path.join(config.mapsafe_build_dir, "test")

# LLVM 22's FileCheck, not, count first; then the built tools.
llvm_bin = "/usr/lib/llvm-22/bin"
paths = [llvm_bin, os.path.join(config.mapsafe_source_dir, "test", "harness"),
         os.path.dirname(config.mapsafe_facts), os.environ.get("PATH", "")]
config.environment["PATH"] = os.pathsep.join(paths)
config.environment["MAPSAFE_MODULE"] = config.mapsafe_module
for var in ("HOME", "TMPDIR", "ASAN_OPTIONS", "UBSAN_OPTIONS", "LD_PRELOAD", "MAPSAFE_DUMP_DIR"):
    if var in os.environ:
        config.environment[var] = os.environ[var]


def pkg_cflags(pkg):
    out = subprocess.run(["pkg-config", "--cflags", pkg], capture_output=True, text=True)
    if out.returncode != 0:
        lit_config.fatal("pkg-config cannot find %s: run scripts/install-deps.sh" % pkg)
    return out.stdout.strip()


config.substitutions.append(("%glib_cflags", pkg_cflags("glib-2.0")))
config.substitutions.append(("%fuse_cflags", pkg_cflags("fuse3")))
config.substitutions.append(("%gio_cflags", pkg_cflags("gio-2.0")))
config.substitutions.append(("%apr_cflags", pkg_cflags("apr-1")))
# khash.h: installed with libhts-dev, or unpacked into .deps/include by
# scripts/install-deps.sh (a system header either way).
_deps = os.path.join(os.path.dirname(os.path.abspath(__file__)), ".deps", "include")
config.substitutions.append(
    ("%khash_cflags", "-isystem " + shlex.quote(_deps) if os.path.isdir(_deps) else ""))
# omp.h: installed with libomp-22-dev, or unpacked into .deps/include where
# an older libomp-dev is installed (the two conflict).
_omp_deps = os.path.isfile(os.path.join(_deps, "omp.h"))
config.substitutions.append(
    ("%omp_cflags", "-fopenmp" + (" -isystem " + shlex.quote(_deps) if _omp_deps else "")))
config.substitutions.append(("%mapsafe_module", config.mapsafe_module))
config.substitutions.append(("%mapsafe_clangd", config.mapsafe_clangd))
config.substitutions.append(("%mapsafe_facts", config.mapsafe_facts))
config.substitutions.append(("%mapsafe_sarif", config.mapsafe_sarif))
config.substitutions.append(("%mapsafe_docs_url", config.mapsafe_docs_url))
config.substitutions.append(("%mapsafe_engine_tests", config.mapsafe_engine_tests))
config.substitutions.append(("%mapsafe_check", "mapsafe-check"))
config.substitutions.append(
    ("%clang_tidy", "clang-tidy-22 --load=%s" % shlex.quote(config.mapsafe_module)))

if os.path.exists("/usr/bin/clang-tidy-14"):
    config.available_features.add("clang-tidy-14")

if os.path.exists(config.mapsafe_clangd):
    config.available_features.add("clangd")
# The stock clangd 22 (Debian's clangd-22), to compare with.
if os.path.exists("/usr/lib/llvm-22/bin/clangd"):
    config.available_features.add("stock-clangd")

if config.mapsafe_sanitize in ("ON", "1", "TRUE", "YES"):
    # The module is built with ASan/UBSan; the host clang-tidy is not.
    config.available_features.add("sanitized")
    asan_rt = subprocess.run(["gcc", "-print-file-name=libasan.so"], capture_output=True,
                             text=True).stdout.strip()
    ubsan_rt = subprocess.run(["gcc", "-print-file-name=libubsan.so"], capture_output=True,
                              text=True).stdout.strip()
    config.environment["LD_PRELOAD"] = asan_rt + " " + ubsan_rt
    config.environment["ASAN_OPTIONS"] = "detect_leaks=0:abort_on_error=1"
    config.environment["UBSAN_OPTIONS"] = "print_stacktrace=1:halt_on_error=1"
