// mapsafe-clangd links its diagnostics to mapsafe's own docs: the
// codeDescription href of a mapsafe-* diagnostic is MAPSAFE_DOCS_URL
// (a CMake cache variable) + /checks/<check>.md, a page docs/ has, and not
// clang-tidy's site, which has none for mapsafe.  Other checks keep
// clangd's link.  The same with --pretty, where clangd's messages span
// lines.
//
// REQUIRES: clangd
// RUN: rm -rf %t && mkdir -p %t
// RUN: cp %s %t/cache.c
// RUN: printf '%%s\n' %glib_cflags -pthread > %t/compile_flags.txt
// RUN: printf 'Diagnostics:\n  ClangTidy:\n    Add: [mapsafe-*, readability-braces-around-statements]\n    FastCheckFilter: Loose\n' > %t/.clangd
// RUN: cd %t && lsp-diags cache.c -- %mapsafe_clangd --resource-dir=/usr/lib/llvm-22/lib/clang/22 > out.txt
// RUN: FileCheck %s --input-file=%t/out.txt -DDOCS=%mapsafe_docs_url $(mapsafe-lines %s)
// RUN: cd %t && lsp-diags cache.c -- %mapsafe_clangd --pretty --resource-dir=/usr/lib/llvm-22/lib/clang/22 > pretty.txt
// RUN: FileCheck %s --input-file=%t/pretty.txt -DDOCS=%mapsafe_docs_url $(mapsafe-lines %s)
//
// Every page linked is one that docs/ has (and CMake installs there).
// RUN: grep -o 'href=%mapsafe_docs_url/[^ ]*' %t/out.txt | sed 's|^href=%mapsafe_docs_url/||' > %t/pages.txt
// RUN: count 2 < %t/pages.txt
// RUN: cd %S/../../docs && xargs ls < %t/pages.txt

// CHECK: cache.c:[[L_insert]]:3: warning: Unsynchronized write to map 'cache' {{.*}} [mapsafe-unsynchronized-write] href=[[DOCS]]/checks/unsynchronized-write.md{{$}}
// CHECK: cache.c:[[L_lookup]]:10: warning: Unsynchronized read of map 'cache' {{.*}} [mapsafe-unsynchronized-read] href=[[DOCS]]/checks/unsynchronized-read.md{{$}}
// CHECK: cache.c:[[L_if]]:{{[0-9]+}}: warning: Statement should be inside braces {{.*}}[readability-braces-around-statements] href=https://clang.llvm.org/extra/clang-tidy/checks/readability/braces-around-statements.html{{$}}
// CHECK: cache.c: 3 diagnostics

#include <glib.h>
#include <pthread.h>

static GHashTable *cache;

static void *filler(void *arg) {
  g_hash_table_insert(cache, g_strdup(arg), GINT_TO_POINTER(1)); // L:insert
  return NULL;
}

static void *reader(void *arg) {
  return g_hash_table_lookup(cache, arg); // L:lookup
}

int main(void) {
  pthread_t f[2], r;
  cache = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  for (int i = 0; i < 2; i++) {
    pthread_create(&f[i], NULL, filler, "k");
  }
  pthread_create(&r, NULL, reader, "k");
  for (int i = 0; i < 2; i++) {
    pthread_join(f[i], NULL);
  }
  pthread_join(r, NULL);
  if (!cache) return 1; // L:if
  return 0;
}
