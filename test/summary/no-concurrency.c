// A file with maps but no visible concurrency: the summary says plainly that
// nothing can race as far as mapsafe can see, and what to configure.
//
// Static functions called from main only: blind.
// RUN: %mapsafe_check %s --config='{CheckOptions: {mapsafe.Summary: true}}' -- %glib_cflags
//
// The same functions with external linkage (-DAPI): still no thread, but
// mapsafe-inconsistent-locking takes them to be callable on any thread.
// RUN: %mapsafe_check %s --prefix=API --config='{CheckOptions: {mapsafe.Summary: true}}' -- %glib_cflags -DAPI
//
// Declared with ConcurrentFunctions, cache_put and cache_get are thread
// roots, and their races are found.
// RUN: %mapsafe_check %s --prefix=DECLARED --config="{CheckOptions: {mapsafe.Summary: true, mapsafe.ConcurrentFunctions: 'cache_put;cache_get'}}" -- %glib_cflags -DAPI
//
// The same from a .clang-tidy, with the summary asked for on the command
// line: InheritParentConfig keeps the file's options (a --config without it
// replaces .clang-tidy).
// RUN: rm -rf %t.dir && mkdir -p %t.dir && cp %s %t.dir/no-concurrency.c
// RUN: printf "Checks: '-*,mapsafe-*'\nCheckOptions:\n  mapsafe.ConcurrentFunctions: 'cache_put;cache_get'\n" > %t.dir/.clang-tidy
// RUN: clang-tidy-22 --load=%mapsafe_module --config='{InheritParentConfig: true, CheckOptions: {mapsafe.Summary: true}}' \
// RUN:   %t.dir/no-concurrency.c -- %glib_cflags -DAPI 2>&1 | FileCheck %s --check-prefix=INHERIT
//
// A remark-only run is a clean run: no warning counted, exit status 0 under
// --warnings-as-errors.
// RUN: clang-tidy-22 --load=%mapsafe_module -checks='-*,mapsafe-*' --warnings-as-errors='*' \
// RUN:   --config='{CheckOptions: {mapsafe.Summary: true}}' %s -- %glib_cflags > %t.out 2>&1
// RUN: FileCheck %s --input-file=%t.out --check-prefix=CLEAN --implicit-check-not=warning

// CHECK: no-concurrency.c:1:1: remark: mapsafe summary: 1 map and 3 map operations, but no thread starts and no concurrent entry points are visible in this file: nothing can race here as far as mapsafe can see [mapsafe-incomplete-analysis]
// CHECK-NEXT: no-concurrency.c:1:1: note: 1 GHashTable map: 'cache'
// CHECK-NEXT: no-concurrency.c:1:1: note: to check these maps against threads started elsewhere (by a framework, in another file), name the functions those threads run in mapsafe.ConcurrentFunctions, or analyse the files together (mapsafe.FactsDir and mapsafe-facts); a thread API mapsafe does not model can be described in a rule file (mapsafe.RulesFiles, docs/rules.md)

// API: no-concurrency.c:1:1: remark: mapsafe summary: 1 map and 3 map operations, but no thread starts and no functions declared concurrent are visible in this file: no race between threads can be shown here; only mapsafe-inconsistent-locking checks the 3 functions with external linkage, which may be called on any thread [mapsafe-incomplete-analysis]
// API-NEXT: no-concurrency.c:1:1: note: 3 functions with external linkage, taken to be callable on any thread by mapsafe-inconsistent-locking (ConcurrentExternalFunctions): 'cache_init', 'cache_put', 'cache_get'
// API-NEXT: no-concurrency.c:1:1: note: 1 GHashTable map: 'cache'
// API-NEXT: no-concurrency.c:1:1: note: to check these maps {{.*}}

// DECLARED: no-concurrency.c:1:1: remark: mapsafe summary: 2 thread roots, 1 map, 3 map operations (1 read, 1 write, 1 creation), 0 locks, 0 guards, 2 findings [mapsafe-incomplete-analysis]
// DECLARED-NEXT: no-concurrency.c:1:1: note: 2 functions declared to run on many threads at once (ConcurrentFunctions, or a rule's callback table): 'cache_put', 'cache_get'
// DECLARED-NEXT: no-concurrency.c:1:1: note: 1 function with external linkage, taken to be callable on any thread by mapsafe-inconsistent-locking (ConcurrentExternalFunctions): 'cache_init'
// DECLARED-NEXT: no-concurrency.c:1:1: note: 1 GHashTable map: 'cache'
// DECLARED-NEXT: no-concurrency.c:1:1: note: findings: 1 unsynchronized-write, 1 unsynchronized-read, 0 inconsistent-locking (before NOLINT comments)
// DECLARED-NEXT: no-concurrency.c:[[L_insert]]:3: warning: unsynchronized write to map 'cache' (g_hash_table_insert) {{.*}} [mapsafe-unsynchronized-write]
// DECLARED-COUNT-3: no-concurrency.c:[[#]]:[[#]]: note: {{.*}}
// DECLARED-NEXT: no-concurrency.c:[[L_lookup]]:[[#]]: warning: unsynchronized read of map 'cache' (g_hash_table_lookup) {{.*}} [mapsafe-unsynchronized-read]
// DECLARED-COUNT-4: no-concurrency.c:[[#]]:[[#]]: note: {{.*}}

// INHERIT: no-concurrency.c:1:1: remark: mapsafe summary: 2 thread roots, 1 map, 3 map operations (1 read, 1 write, 1 creation), 0 locks, 0 guards, 2 findings [mapsafe-incomplete-analysis]

// CLEAN: no-concurrency.c:1:1: remark: mapsafe summary: 1 map and 3 map operations, but no thread starts {{.*}}

#include <glib.h>

#ifdef API
#define LINKAGE
#else
#define LINKAGE static
#endif

static GHashTable *cache;

LINKAGE void cache_init(void) { cache = g_hash_table_new(g_str_hash, g_str_equal); }

LINKAGE void cache_put(const char *k) {
  g_hash_table_insert(cache, g_strdup(k), NULL); // L:insert
}

LINKAGE gpointer cache_get(const char *k) { return g_hash_table_lookup(cache, k); } // L:lookup

#ifndef API
int main(void) {
  cache_init();
  cache_put("a");
  return cache_get("a") != NULL;
}
#endif
