// A spawn in code that never runs starts no thread.  A pool's workers insert
// into a global table without a lock; when main really creates the pool the
// inserts race with each other (buggy twin).  In the fixed twin the pool is
// created after an unconditional return: no worker ever runs, and the table
// is only touched by main.
// RUN: %mapsafe_check %s -- %glib_cflags -pthread
// RUN: %mapsafe_check %s --prefix=FIXED -- %glib_cflags -pthread -DFIXED

#include <glib.h>

static GHashTable *seen;

static void work(gpointer item, gpointer user_data) {
  (void)user_data;
  g_hash_table_add(seen, item); // L:add
}

int main(void) {
  seen = g_hash_table_new(g_direct_hash, g_direct_equal); // L:new
  g_hash_table_add(seen, &seen);
#ifdef FIXED
  return 0;
#endif
  GThreadPool *pool = g_thread_pool_new(work, NULL, 4, FALSE, NULL); // L:pool
  for (int i = 1; i <= 8; i++)
    g_thread_pool_push(pool, GINT_TO_POINTER(i), NULL);
  g_thread_pool_free(pool, FALSE, TRUE);
  return 0;
}

// CHECK:      spawn-unreachable.c:[[L_add]]:3: warning: unsynchronized write to map 'seen' (g_hash_table_add) can race with a write in another instance of thread 'work'; no lock is held [mapsafe-unsynchronized-write]
// CHECK-NEXT: spawn-unreachable.c:[[L_add]]:3: note: the same write (g_hash_table_add) runs concurrently in another instance of thread 'work'
// CHECK-NEXT: spawn-unreachable.c:[[L_pool]]:23: note: thread 'work' is started here by the main thread, with many instances running at once
// CHECK-NEXT: spawn-unreachable.c:[[L_new]]:10: note: 'seen' is created here: a GHashTable with pointer keys
