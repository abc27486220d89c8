// mapsafe-clangd tells the summary (mapsafe.Summary in .clangd's
// CheckOptions) as a warning at line 1: clangd takes a remark for a note of
// the diagnostic before it, and drops it in a file with no other
// diagnostic, which is where the summary matters.  Off by default.
//
// REQUIRES: clangd
// RUN: rm -rf %t && mkdir -p %t/on %t/off
// RUN: cp %s %t/on/cache.c && cp %s %t/off/cache.c
// RUN: printf '%%s\n' %glib_cflags > %t/on/compile_flags.txt
// RUN: cp %t/on/compile_flags.txt %t/off/compile_flags.txt
// RUN: printf 'Diagnostics:\n  ClangTidy:\n    Add: [mapsafe-*]\n    FastCheckFilter: Loose\n    CheckOptions:\n      mapsafe.Summary: true\n' > %t/on/.clangd
// RUN: printf 'Diagnostics:\n  ClangTidy:\n    Add: [mapsafe-*]\n    FastCheckFilter: Loose\n' > %t/off/.clangd
//
// RUN: cd %t/on && %mapsafe_clangd --check=cache.c --check-warnings \
// RUN:   --resource-dir=/usr/lib/llvm-22/lib/clang/22 > out.txt 2>&1
// RUN: FileCheck %s --input-file=%t/on/out.txt --check-prefix=ON --implicit-check-not='{{^E\[}}'
// RUN: cd %t/off && %mapsafe_clangd --check=cache.c --check-warnings \
// RUN:   --resource-dir=/usr/lib/llvm-22/lib/clang/22 > out.txt 2>&1
// RUN: FileCheck %s --input-file=%t/off/out.txt --check-prefix=OFF --implicit-check-not='{{^E\[}}'

// ON: Loading config file at {{.*}}on/.clangd
// ON: Building AST...
// ON: E[{{[0-9:.]+}}] [mapsafe-incomplete-analysis] Line 1: mapsafe summary: 1 map and 2 map operations, but no thread starts and no concurrent entry points are visible in this file: nothing can race here as far as mapsafe can see
// ON: All checks completed, 0 errors
// OFF: Loading config file at {{.*}}off/.clangd
// OFF: Building AST...
// OFF: All checks completed, 0 errors

#include <glib.h>

static GHashTable *cache;

static void put(const char *k) { g_hash_table_insert(cache, g_strdup(k), NULL); }

int main(void) {
  cache = g_hash_table_new(g_str_hash, g_str_equal);
  put("a");
  return 0;
}
