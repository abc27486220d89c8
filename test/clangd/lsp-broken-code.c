// Half-typed code in the editor (mapsafe-clangd over LSP): a race between
// intact functions is still published while another function has errors
// (other/), with a warning at the top that says where mapsafe paused; a race
// whose own function has an error (racy/) is not published, and the warning
// says mapsafe paused there.  Both are opened in one session, with the
// compiler's errors as clangd publishes them.
//
// REQUIRES: clangd
// RUN: rm -rf %t && mkdir -p %t/other %t/racy
// RUN: cp %s %t/other/cache.c && cp %s %t/racy/cache.c
// RUN: printf '%%s\n' %glib_cflags -pthread -DERR_IN_OTHER > %t/other/compile_flags.txt
// RUN: printf '%%s\n' %glib_cflags -pthread -DERR_IN_RACY > %t/racy/compile_flags.txt
// RUN: printf 'Diagnostics:\n  ClangTidy:\n    Add: [mapsafe-*]\n    FastCheckFilter: Loose\n' > %t/other/.clangd
// RUN: cp %t/other/.clangd %t/racy/.clangd
// RUN: cd %t && lsp-diags other/cache.c racy/cache.c -- \
// RUN:   %mapsafe_clangd --resource-dir=/usr/lib/llvm-22/lib/clang/22 > out.txt
// RUN: FileCheck %s --input-file=%t/out.txt --match-full-lines $(mapsafe-lines %s)

#include <glib.h>
#include <pthread.h>

static GHashTable *cache;

static void remember(const char *k) { // L:remember
#ifdef ERR_IN_RACY
  g_hash_table_insert(cache, g_strdup(k), GINT_TO_POINTER(1); // L:unterminated
#else
  g_hash_table_insert(cache, g_strdup(k), GINT_TO_POINTER(1)); // L:insert
#endif
}

static void *worker(void *arg) {
  remember(arg); // L:call
  return NULL;
}

#ifdef ERR_IN_OTHER
static int unrelated(void) { // L:unrelated
  return missing_name; // L:missing
}
#endif

int main(void) {
  pthread_t th[4];
  cache = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL); // L:create
  for (int i = 0; i < 4; i++)
    pthread_create(&th[i], NULL, worker, "key"); // L:spawn
  for (int i = 0; i < 4; i++)
    pthread_join(th[i], NULL);
  return 0;
}

// lsp-diags lists each file's diagnostics by position.
//      CHECK:other/cache.c:1:1: warning: Mapsafe paused in 'unrelated' (line [[L_unrelated]]) and the functions that call it: the file has errors there; findings that involve them are reported again once they compile [mapsafe-incomplete-analysis] href={{.*}}/checks/incomplete-analysis.md
// CHECK-NEXT:other/cache.c:[[L_insert]]:3: warning: Unsynchronized write to map 'cache' (g_hash_table_insert) can race with a write in another instance of thread 'worker'; no lock is held [mapsafe-unsynchronized-write] href={{.*}}/checks/unsynchronized-write.md
// CHECK-NEXT:  related other/cache.c:[[L_insert]]:3: The same write (g_hash_table_insert) runs concurrently in another instance of thread 'worker'
// CHECK-NEXT:  related other/cache.c:[[L_spawn]]:5: Thread 'worker' is started here by the main thread, with many instances running at once
// CHECK-NEXT:  related other/cache.c:[[L_call]]:3: 'remember' is called from 'worker' here
// CHECK-NEXT:  related other/cache.c:[[L_create]]:11: 'cache' is created here: a GHashTable from string keys to int values
// CHECK-NEXT:other/cache.c:[[L_missing]]:10: error: Use of undeclared identifier 'missing_name' [undeclared_var_use]{{.*}}
// CHECK-NEXT:other/cache.c: 3 diagnostics
//      CHECK:racy/cache.c:1:1: warning: Mapsafe paused in 'remember' (line [[L_remember]]) and the functions that call it: the file has errors there; findings that involve them are reported again once they compile [mapsafe-incomplete-analysis] href={{.*}}/checks/incomplete-analysis.md
// CHECK-NEXT:racy/cache.c:[[L_unterminated]]:61: error: Expected ')' [expected]{{.*}}
//      CHECK:racy/cache.c: 2 diagnostics
