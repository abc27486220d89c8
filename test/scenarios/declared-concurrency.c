// Threads mapsafe cannot see, declared in .clang-tidy: the functions of
// mapsafe.ConcurrentFunctions run on many threads at once, beside one
// another.  A pattern names an HTTP server's request handlers and a
// library's API; RECORD.FIELD names whatever function an operations table
// stores in that field.  No lock anywhere: every access to the shared table
// is reported.  Fixed twin: the handlers lock.  Without the option the file
// starts no thread and is silent.
// RUN: %mapsafe_check %s --config="{CheckOptions: {mapsafe.ConcurrentFunctions: 'handle_*;cache_*;struct vfs_operations.read'}}" -- %glib_cflags
// RUN: %mapsafe_check %s --prefix=FIXED --config="{CheckOptions: {mapsafe.ConcurrentFunctions: 'handle_*;cache_*;struct vfs_operations.read'}}" -- %glib_cflags -DFIXED
// RUN: %mapsafe_check %s --prefix=FIXED -- %glib_cflags
// A malformed pattern is an error that names the option.
// RUN: not clang-tidy-22 --load=%mapsafe_module -checks='-*,mapsafe-*' --config="{CheckOptions: {mapsafe.ConcurrentFunctions: 'handle_[x'}}" %s -- %glib_cflags 2>&1 | FileCheck %s --check-prefix=BAD
// BAD: {{.*}}error: mapsafe: option ConcurrentFunctions: 'handle_[x' is not a valid pattern: {{.*}}
// FIXED-NOT: warning:

#include <glib.h>

static GHashTable *hits;
#ifdef FIXED
static GMutex hits_lock;
#define LOCK() g_mutex_lock(&hits_lock)
#define UNLOCK() g_mutex_unlock(&hits_lock)
#else
#define LOCK() ((void)0)
#define UNLOCK() ((void)0)
#endif

// An HTTP server's request handler, run by its worker threads.
int handle_get(const char *path) { // L:get_fn
  LOCK();
  int n = GPOINTER_TO_INT(g_hash_table_lookup(hits, path)); // L:lookup
  g_hash_table_replace(hits, (gpointer)path, GINT_TO_POINTER(n + 1)); // L:replace
  UNLOCK();
  return n;
}

// A library's API, called by threads the library never sees.
void cache_forget(const char *path) { // L:forget_fn
  LOCK();
  g_hash_table_remove(hits, path); // L:remove
  UNLOCK();
}

// An operations table: the framework calls .read on its threads.
struct vfs_operations {
  int (*read)(const char *path);
  int (*flush)(void);
};

static int vfs_read(const char *path) { // L:read_fn
  LOCK();
  int known = g_hash_table_contains(hits, path); // L:contains
  UNLOCK();
  return known;
}

static int vfs_flush(void) { return 0; }

const struct vfs_operations operations = {
    .read = vfs_read,
    .flush = vfs_flush,
};

// CHECK: declared-concurrency.c:[[L_lookup]]:27: warning: unsynchronized read of map 'hits' (g_hash_table_lookup) can race with a write in another instance of thread 'handle_get'; no lock is held [mapsafe-unsynchronized-read]
// CHECK-NEXT: declared-concurrency.c:[[L_replace]]:3: note: conflicting write (g_hash_table_replace) in thread 'handle_get', another instance
// CHECK-NEXT: declared-concurrency.c:[[L_get_fn]]:5: note: 'handle_get' is declared to run on many threads at once (ConcurrentFunctions, or a rule's callback table)
// CHECK-NEXT: declared-concurrency.c:[[L_replace]]:3: warning: unsynchronized write to map 'hits' (g_hash_table_replace) can race with a write in another instance of thread 'handle_get'; no lock is held [mapsafe-unsynchronized-write]
// CHECK-NEXT: declared-concurrency.c:[[L_replace]]:3: note: the same write (g_hash_table_replace) runs concurrently in another instance of thread 'handle_get'
// CHECK-NEXT: declared-concurrency.c:[[L_get_fn]]:5: note: 'handle_get' is declared to run on many threads at once (ConcurrentFunctions, or a rule's callback table)
// CHECK-NEXT: declared-concurrency.c:[[L_remove]]:3: warning: unsynchronized write to map 'hits' (g_hash_table_remove) can race with a write in thread 'handle_get'; no lock is held [mapsafe-unsynchronized-write]
// CHECK-NEXT: declared-concurrency.c:[[L_replace]]:3: note: conflicting write (g_hash_table_replace) in thread 'handle_get'
// CHECK-NEXT: declared-concurrency.c:[[L_get_fn]]:5: note: 'handle_get' is declared to run on many threads at once (ConcurrentFunctions, or a rule's callback table)
// CHECK-NEXT: declared-concurrency.c:[[L_forget_fn]]:6: note: 'cache_forget' is declared to run on many threads at once (ConcurrentFunctions, or a rule's callback table)
// CHECK-NEXT: declared-concurrency.c:[[L_contains]]:15: warning: unsynchronized read of map 'hits' (g_hash_table_contains) can race with a write in thread 'handle_get'; no lock is held [mapsafe-unsynchronized-read]
// CHECK-NEXT: declared-concurrency.c:[[L_replace]]:3: note: conflicting write (g_hash_table_replace) in thread 'handle_get'
// CHECK-NEXT: declared-concurrency.c:[[L_get_fn]]:5: note: 'handle_get' is declared to run on many threads at once (ConcurrentFunctions, or a rule's callback table)
// CHECK-NEXT: declared-concurrency.c:[[L_read_fn]]:12: note: 'vfs_read' is declared to run on many threads at once (ConcurrentFunctions, or a rule's callback table)
