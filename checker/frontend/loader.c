/*===--- loader.c - mapsafe.so: the checks, for clang-tidy 22 only --------===*
**
** `clang-tidy --load=mapsafe.so` loads this small library first.  It needs
** nothing from clang, so it loads into any clang-tidy, and it loads the
** checks (mapsafe-checks.so, next to it) only into a clang-tidy of LLVM 22,
** the one they are built for.  Into any other it says so, rather than let
** the dynamic loader fail with a mangled symbol name.  LLVM's C API
** `LLVMGetVersion` (LLVM 16 and later) tells the version of the host.
**
**===----------------------------------------------------------------------===*/
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

#ifndef MAPSAFE_LLVM_MAJOR
#error "MAPSAFE_LLVM_MAJOR: the LLVM version the checks are built for"
#endif

typedef void get_version_fn(unsigned *major, unsigned *minor, unsigned *patch);

__attribute__((constructor)) static void mapsafe_load_checks(void) {
  get_version_fn *get_version = (get_version_fn *)dlsym(RTLD_DEFAULT, "LLVMGetVersion");
  unsigned major = 0, minor = 0, patch = 0;
  if (get_version)
    get_version(&major, &minor, &patch);
  if (major != MAPSAFE_LLVM_MAJOR) {
    if (major)
      fprintf(stderr, "mapsafe: this module needs clang-tidy %d; this is clang-tidy %u (LLVM "
                      "%u.%u.%u): run clang-tidy-%d instead; no mapsafe check is loaded\n",
              MAPSAFE_LLVM_MAJOR, major, major, minor, patch, MAPSAFE_LLVM_MAJOR);
    else
      fprintf(stderr, "mapsafe: this module needs clang-tidy %d; this is an older clang-tidy: "
                      "run clang-tidy-%d instead; no mapsafe check is loaded\n",
              MAPSAFE_LLVM_MAJOR, MAPSAFE_LLVM_MAJOR);
    return;
  }
  /* The checks: next to this file. */
  Dl_info self;
  char path[4096];
  if (!dladdr((void *)&mapsafe_load_checks, &self) || !self.dli_fname) {
    fprintf(stderr, "mapsafe: cannot tell where mapsafe.so is; no mapsafe check is loaded\n");
    return;
  }
  const char *slash = strrchr(self.dli_fname, '/');
  size_t dir = slash ? (size_t)(slash - self.dli_fname) + 1 : 0;
  if (dir + sizeof "mapsafe-checks.so" > sizeof path) {
    fprintf(stderr, "mapsafe: the path of mapsafe.so is too long; no mapsafe check is loaded\n");
    return;
  }
  memcpy(path, self.dli_fname, dir);
  memcpy(path + dir, "mapsafe-checks.so", sizeof "mapsafe-checks.so");
  if (!dlopen(path, RTLD_NOW | RTLD_GLOBAL))
    fprintf(stderr, "mapsafe: cannot load the checks: %s\n", dlerror());
}
