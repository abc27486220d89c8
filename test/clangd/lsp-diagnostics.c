// What an editor gets: mapsafe-clangd over LSP (test/harness/lsp-diags)
// publishes the mapsafe warning of the racy file with its check name and the
// notes as related information at their own lines, and nothing for the fixed
// twin (-DFIXED in its compile_flags.txt); both are opened in one session.
// -Wall: the GLib headers and the file parse cleanly, so any other
// diagnostic fails the test.
//
// REQUIRES: clangd
// RUN: rm -rf %t && mkdir -p %t/racy %t/fixed
// RUN: cp %s %t/racy/cache.c && cp %s %t/fixed/cache.c
// RUN: printf '%%s\n' %glib_cflags -pthread -Wall > %t/racy/compile_flags.txt
// RUN: printf '%%s\n' %glib_cflags -pthread -Wall -DFIXED > %t/fixed/compile_flags.txt
// RUN: printf 'Diagnostics:\n  ClangTidy:\n    Add: [mapsafe-*]\n    FastCheckFilter: Loose\n' > %t/racy/.clangd
// RUN: cp %t/racy/.clangd %t/fixed/.clangd
// RUN: cd %t && lsp-diags --log=log.txt racy/cache.c fixed/cache.c -- \
// RUN:   %mapsafe_clangd --resource-dir=/usr/lib/llvm-22/lib/clang/22 > out.txt
// RUN: FileCheck %s --input-file=%t/log.txt --check-prefix=LOG --match-full-lines
// RUN: FileCheck %s --input-file=%t/out.txt --match-full-lines --strict-whitespace \
// RUN:   --implicit-check-not=cache.c $(mapsafe-lines %s)

// clangd capitalizes the messages; the href is the subject of docs-links.c.
//      CHECK:racy/cache.c:[[L_lookup]]:16: warning: Unsynchronized read of map 'cache' (g_hash_table_lookup) can race with a write in thread 'filler'; no lock is held [mapsafe-unsynchronized-read] href={{.+}}
// CHECK-NEXT:  related racy/cache.c:[[L_insert]]:3: Conflicting write (g_hash_table_insert) in thread 'filler'
// CHECK-NEXT:  related racy/cache.c:[[L_lock]]:3: 'cache_lock', acquired here, protects the conflicting access but is not held at the reported one
// CHECK-NEXT:  related racy/cache.c:[[L_spawn_filler]]:3: Thread 'filler' is started here by the main thread
// CHECK-NEXT:  related racy/cache.c:[[L_spawn_reader]]:3: Thread 'reader' is started here by the main thread
// CHECK-NEXT:  related racy/cache.c:[[L_create]]:11: 'cache' is created here: a GHashTable from string keys to int values
// CHECK-NEXT:racy/cache.c: 1 diagnostics
// CHECK-NEXT:fixed/cache.c: 0 diagnostics

// The log (what an editor shows as the server's output) says which clangd
// this is, first.
//      LOG:mapsafe-clangd {{[0-9]+\.[0-9]+\.[0-9]+}}: clangd with the mapsafe checks built in
// LOG-NEXT:I[{{.*}}] {{.*}}clangd version 22.{{.*}}

#include <glib.h>
#include <pthread.h>

static GHashTable *cache;
static GMutex cache_lock;

static void *filler(void *arg) {
  g_mutex_lock(&cache_lock); // L:lock
  g_hash_table_insert(cache, g_strdup(arg), GINT_TO_POINTER(1)); // L:insert
  g_mutex_unlock(&cache_lock);
  return NULL;
}

static void *reader(void *arg) {
#ifdef FIXED
  g_mutex_lock(&cache_lock);
#endif
  gpointer v = g_hash_table_lookup(cache, arg); // L:lookup
#ifdef FIXED
  g_mutex_unlock(&cache_lock);
#endif
  return v;
}

int main(void) {
  pthread_t f, r;
  cache = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL); // L:create
  pthread_create(&f, NULL, filler, "k"); // L:spawn_filler
  pthread_create(&r, NULL, reader, "k"); // L:spawn_reader
  pthread_join(f, NULL);
  pthread_join(r, NULL);
  return 0;
}
