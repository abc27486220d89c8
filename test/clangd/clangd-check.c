// mapsafe-clangd (clangd with the mapsafe checks built in) reports the race
// in its --check mode when .clangd enables mapsafe-*, and reports nothing for
// the fixed twin (-DFIXED in its compile_flags.txt).
//
// REQUIRES: clangd
// RUN: rm -rf %t && mkdir -p %t/racy %t/fixed
// RUN: cp %s %t/racy/cache.c && cp %s %t/fixed/cache.c
// RUN: printf '%%s\n' %glib_cflags -pthread > %t/racy/compile_flags.txt
// RUN: printf '%%s\n' %glib_cflags -pthread -DFIXED > %t/fixed/compile_flags.txt
// RUN: printf 'Diagnostics:\n  ClangTidy:\n    Add: [mapsafe-*]\n    FastCheckFilter: Loose\n' > %t/racy/.clangd
// RUN: cp %t/racy/.clangd %t/fixed/.clangd
//
// RUN: cd %t/racy && %mapsafe_clangd --check=cache.c --check-warnings \
// RUN:   --resource-dir=/usr/lib/llvm-22/lib/clang/22 > out.txt 2>&1
// RUN: FileCheck %s --input-file=%t/racy/out.txt --check-prefix=RACY --implicit-check-not='[mapsafe-' \
// RUN:   --implicit-check-not='{{^E\[}}' \
// RUN:   $(mapsafe-lines %s)
// RUN: cd %t/fixed && %mapsafe_clangd --check=cache.c --check-warnings \
// RUN:   --resource-dir=/usr/lib/llvm-22/lib/clang/22 > out.txt 2>&1
// RUN: FileCheck %s --input-file=%t/fixed/out.txt --check-prefix=QUIET --implicit-check-not='[mapsafe-' \
// RUN:   --implicit-check-not='{{^E\[}}'

// Both runs read their .clangd and compile_flags.txt, parse the file with
// GLib cleanly (no other diagnostic, E[...] line, than the mapsafe ones) and
// exit with status 0.  The mapsafe diagnostics are clang-tidy's (check name,
// line, message), in either order.
// RACY: Loading config file at {{.*}}racy/.clangd
// RACY: Loaded compilation database from {{.*}}racy/compile_flags.txt
// RACY: Building AST...
// RACY-DAG: E[{{[0-9:.]+}}] [mapsafe-unsynchronized-write] Line [[L_insert]]: unsynchronized write to map 'cache' (g_hash_table_insert) can race with a write in another instance of thread 'filler'; no lock is held
// RACY-DAG: E[{{[0-9:.]+}}] [mapsafe-unsynchronized-read] Line [[L_lookup]]: unsynchronized read of map 'cache' (g_hash_table_lookup) can race with a write in thread 'filler'; no lock is held
// RACY: All checks completed, 0 errors
// QUIET: Loading config file at {{.*}}fixed/.clangd
// QUIET: Loaded compilation database from {{.*}}fixed/compile_flags.txt
// QUIET: Building AST...
// QUIET: All checks completed, 0 errors

#include <glib.h>
#include <pthread.h>

static GHashTable *cache;
static GMutex cache_lock;

static void *filler(void *arg) {
#ifdef FIXED
  g_mutex_lock(&cache_lock);
#endif
  g_hash_table_insert(cache, g_strdup(arg), GINT_TO_POINTER(1)); // L:insert
#ifdef FIXED
  g_mutex_unlock(&cache_lock);
#endif
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
  pthread_t f[2], r;
  cache = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  for (int i = 0; i < 2; i++)
    pthread_create(&f[i], NULL, filler, "k");
  pthread_create(&r, NULL, reader, "k");
  for (int i = 0; i < 2; i++)
    pthread_join(f[i], NULL);
  pthread_join(r, NULL);
  return 0;
}
