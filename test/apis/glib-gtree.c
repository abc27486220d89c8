// GTree is a map too: a sorted index filled by many threads.  The buggy
// twin inserts without the lock; the fixed twin holds the GRWLock's
// writer side, readers its reader side.
// RUN: %mapsafe_check %s -- %glib_cflags -pthread
// RUN: %mapsafe_check %s --prefix=FIXED -- %glib_cflags -pthread -DFIXED

#include <glib.h>

static GTree *by_deadline;
static GRWLock deadlines_lock;

static gint cmp_int(gconstpointer a, gconstpointer b) {
  return GPOINTER_TO_INT(a) - GPOINTER_TO_INT(b);
}

static gpointer scheduler(gpointer job) {
#ifdef FIXED
  g_rw_lock_writer_lock(&deadlines_lock);
#endif
  g_tree_insert(by_deadline, GINT_TO_POINTER(g_random_int_range(0, 100)), job); // L:insert
  // CHECK: glib-gtree.c:[[L_insert]]:3: warning: unsynchronized write to map 'by_deadline' (g_tree_insert) can race with a write in another instance of thread 'scheduler'; no lock is held [mapsafe-unsynchronized-write]
  // CHECK-NEXT: glib-gtree.c:[[L_insert]]:3: note: the same write (g_tree_insert) runs concurrently in another instance of thread 'scheduler'
  // CHECK-NEXT: glib-gtree.c:[[L_spawn]]:12: note: thread 'scheduler' is started here by the main thread, with many instances running at once
  // CHECK-NEXT: glib-gtree.c:[[L_new_by_deadline]]:17: note: 'by_deadline' is created here: a GTree with gint32 keys
#ifdef FIXED
  g_rw_lock_writer_unlock(&deadlines_lock);
#endif
  g_rw_lock_reader_lock(&deadlines_lock);
  gint n = g_tree_nnodes(by_deadline);
  g_rw_lock_reader_unlock(&deadlines_lock);
  return GINT_TO_POINTER(n);
}

int main(void) {
  GThread *t[4];
  by_deadline = g_tree_new(cmp_int); // L:new_by_deadline
  for (int i = 0; i < 4; i++)
    t[i] = g_thread_new("scheduler", scheduler, GINT_TO_POINTER(i)); // L:spawn
  for (int i = 0; i < 4; i++)
    g_thread_join(t[i]);
  g_tree_destroy(by_deadline);
  return 0;
}
