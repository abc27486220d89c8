// A thread pool's function runs only on work pushed to the pool: writes
// between g_thread_pool_new and the first g_thread_pool_push are
// single-threaded (fixed twin, silent).  The buggy twin writes after the
// first push, while the pool's threads may run.
// RUN: %mapsafe_check %s -- %glib_cflags -pthread
// RUN: %mapsafe_check %s --prefix=FIXED -- %glib_cflags -pthread -DFIXED

#include <glib.h>

static GHashTable *jobs;
static GMutex jobs_lock;

static void run_job(gpointer data, gpointer user_data) {
  g_mutex_lock(&jobs_lock); // L:lock
  g_hash_table_remove(jobs, data); // L:remove
  g_mutex_unlock(&jobs_lock);
}

int main(void) {
  static char names[3][4] = {"a", "b", "c"};
  jobs = g_hash_table_new(g_str_hash, g_str_equal); // L:new
  GThreadPool *pool = g_thread_pool_new(run_job, NULL, 4, FALSE, NULL); // L:spawn
  if (!pool)
    return 1;
  g_hash_table_insert(jobs, names[0], names[0]);
  g_hash_table_insert(jobs, names[1], names[1]);
  g_thread_pool_push(pool, names[0], NULL);
#ifndef FIXED
  g_hash_table_insert(jobs, names[2], names[2]); // L:late
  // CHECK: pool-first-push.c:[[L_late]]:3: warning: unsynchronized write to map 'jobs' (g_hash_table_insert) can race with a write in thread 'run_job'; no lock is held [mapsafe-unsynchronized-write]
  // CHECK-NEXT: pool-first-push.c:[[L_remove]]:3: note: conflicting write (g_hash_table_remove) in thread 'run_job'
  // CHECK-NEXT: pool-first-push.c:[[L_lock]]:3: note: 'jobs_lock', acquired here, protects the conflicting access but is not held at the reported one
  // CHECK-NEXT: pool-first-push.c:[[L_spawn]]:23: note: thread 'run_job' is started here by the main thread, with many instances running at once
  // CHECK-NEXT: pool-first-push.c:[[L_new]]:10: note: 'jobs' is created here: a GHashTable with string keys
#endif
  g_thread_pool_push(pool, names[1], NULL);
  g_thread_pool_free(pool, FALSE, TRUE);
  g_hash_table_destroy(jobs);
  return 0;
}
