// The stock clangd 22, given mapsafe's .clangd, is silent: it does not know
// the mapsafe-* checks, publishes nothing for the racy file, and logs
// nothing about them, even with --log=verbose (README, "Which binary runs").
// mapsafe-clangd, given the same directory, warns.
//
// REQUIRES: clangd, stock-clangd
// RUN: rm -rf %t && mkdir -p %t && cp %s %t/cache.c
// RUN: printf '%%s\n' %glib_cflags -pthread > %t/compile_flags.txt
// RUN: printf 'Diagnostics:\n  ClangTidy:\n    Add: [mapsafe-*]\n    FastCheckFilter: Loose\n' > %t/.clangd
// RUN: cd %t && lsp-diags --log=stock.log cache.c -- /usr/lib/llvm-22/bin/clangd --log=verbose \
// RUN:   --resource-dir=/usr/lib/llvm-22/lib/clang/22 > stock.txt
// RUN: FileCheck %s --check-prefix=STOCK --input-file=%t/stock.txt --match-full-lines
// The log without the messages it echoes (the file's text among them):
// RUN: grep -v '^V\[[^]]*\] \(<<<\|>>>\)' %t/stock.log > %t/stock-log.txt
// RUN: FileCheck %s --check-prefix=STOCK-LOG --input-file=%t/stock-log.txt \
// RUN:   --implicit-check-not='{{[Uu]nknown|mapsafe-\*|mapsafe-unsynchronized}}'
// RUN: cd %t && lsp-diags cache.c -- %mapsafe_clangd --resource-dir=/usr/lib/llvm-22/lib/clang/22 > ours.txt
// RUN: FileCheck %s --check-prefix=OURS --input-file=%t/ours.txt
//
// STOCK: cache.c: 0 diagnostics
// STOCK-LOG: {{^}}I[{{.*}}] {{.*}}clangd version 22.
// STOCK-LOG: Loading config file at {{.*}}.clangd
// STOCK-LOG: textDocument/publishDiagnostics
// OURS: cache.c:{{[0-9]+}}:3: warning: Unsynchronized write to map 'cache' {{.*}}[mapsafe-unsynchronized-write]
// OURS: cache.c: 1 diagnostics

#include <glib.h>
#include <pthread.h>

static GHashTable *cache;

static void *filler(void *arg) {
  g_hash_table_insert(cache, g_strdup(arg), GINT_TO_POINTER(1));
  return NULL;
}

int main(void) {
  pthread_t f[2];
  cache = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  for (int i = 0; i < 2; i++)
    pthread_create(&f[i], NULL, filler, "k");
  for (int i = 0; i < 2; i++)
    pthread_join(f[i], NULL);
  return 0;
}
