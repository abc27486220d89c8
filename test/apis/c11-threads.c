// C11 <threads.h>: thrd_create in a loop, mtx_lock; the buggy twin
// forgets the mutex, the fixed twin holds it.
// RUN: %mapsafe_check %s -- %glib_cflags -pthread
// RUN: %mapsafe_check %s --prefix=FIXED -- %glib_cflags -pthread -DFIXED

#include <glib.h>
#include <threads.h>

static GHashTable *counts;
static mtx_t counts_mtx;

static int counter(void *arg) {
#ifdef FIXED
  mtx_lock(&counts_mtx);
#endif
  gpointer old = g_hash_table_lookup(counts, arg); // L:lookup
  // CHECK: c11-threads.c:[[L_lookup]]:18: warning: unsynchronized read of map 'counts' (g_hash_table_lookup) can race with a write in another instance of thread 'counter'; no lock is held [mapsafe-unsynchronized-read]
  // CHECK-NEXT: c11-threads.c:[[L_replace]]:3: note: conflicting write (g_hash_table_replace) in thread 'counter', another instance
  // CHECK-NEXT: c11-threads.c:[[L_spawn]]:5: note: thread 'counter' is started here by the main thread, with many instances running at once
  // CHECK-NEXT: c11-threads.c:[[L_new_counts]]:12: note: 'counts' is created here: a GHashTable from string keys to int values
  g_hash_table_replace(counts, arg, GINT_TO_POINTER(GPOINTER_TO_INT(old) + 1)); // L:replace
  // CHECK: c11-threads.c:[[L_replace]]:3: warning: unsynchronized write to map 'counts' (g_hash_table_replace) can race with a write in another instance of thread 'counter'; no lock is held [mapsafe-unsynchronized-write]
  // CHECK-NEXT: c11-threads.c:[[L_replace]]:3: note: the same write (g_hash_table_replace) runs concurrently in another instance of thread 'counter'
  // CHECK-NEXT: c11-threads.c:[[L_spawn]]:5: note: thread 'counter' is started here by the main thread, with many instances running at once
  // CHECK-NEXT: c11-threads.c:[[L_new_counts]]:12: note: 'counts' is created here: a GHashTable from string keys to int values
#ifdef FIXED
  mtx_unlock(&counts_mtx);
#endif
  return 0;
}

int main(void) {
  thrd_t t[4];
  mtx_init(&counts_mtx, mtx_plain);
  counts = g_hash_table_new(g_str_hash, g_str_equal); // L:new_counts
  for (int i = 0; i < 4; i++)
    thrd_create(&t[i], counter, "hits"); // L:spawn
  for (int i = 0; i < 4; i++)
    thrd_join(t[i], NULL);
  g_hash_table_destroy(counts);
  return 0;
}
