// GLib's own threads and locks: g_thread_new/g_thread_join, GThreadPool
// (many instances of its function), GMutex, G_LOCK, GRWLock.  The buggy
// twin forgets the lock in the pool function; the fixed twin holds G_LOCK.
// RUN: %mapsafe_check %s -- %glib_cflags -pthread
// RUN: %mapsafe_check %s --prefix=FIXED -- %glib_cflags -pthread -DFIXED

#include <glib.h>

static GHashTable *peers;
static GMutex peers_mutex;
G_LOCK_DEFINE_STATIC(jobs);
static GHashTable *jobs;
static GRWLock index_lock;
static GHashTable *index_table;

static gpointer announcer(gpointer data) {
  g_mutex_lock(&peers_mutex);
  g_hash_table_insert(peers, data, data);
  g_mutex_unlock(&peers_mutex);
  g_rw_lock_reader_lock(&index_lock);
  gpointer hit = g_hash_table_lookup(index_table, data);
  g_rw_lock_reader_unlock(&index_lock);
  return hit;
}

static void run_job(gpointer job, gpointer user_data) {
  GHashTable *table = user_data;
#ifdef FIXED
  G_LOCK(jobs);
#endif
  g_hash_table_replace(table, job, GINT_TO_POINTER(1)); // L:replace
  // CHECK: glib-threads-locks.c:[[L_replace]]:3: warning: unsynchronized write to map 'jobs' (g_hash_table_replace) can race with a write in another instance of thread 'run_job'; no lock is held [mapsafe-unsynchronized-write]
  // CHECK-NEXT: glib-threads-locks.c:[[L_replace]]:3: note: the same write (g_hash_table_replace) runs concurrently in another instance of thread 'run_job'
  // CHECK-NEXT: glib-threads-locks.c:[[L_pool]]:23: note: thread 'run_job' is started here by the main thread, with many instances running at once
  // CHECK-NEXT: glib-threads-locks.c:[[L_new_jobs]]:10: note: 'jobs' is created here: a GHashTable from pointer keys to int values
#ifdef FIXED
  G_UNLOCK(jobs);
#endif
}

int main(void) {
  peers = g_hash_table_new(g_direct_hash, g_direct_equal);
  jobs = g_hash_table_new(g_direct_hash, g_direct_equal); // L:new_jobs
  index_table = g_hash_table_new(g_str_hash, g_str_equal);
  GThread *t = g_thread_new("announcer", announcer, "peer-1");
  GThreadPool *pool = g_thread_pool_new(run_job, jobs, 4, FALSE, NULL); // L:pool
  for (int i = 1; i < 100; i++)
    g_thread_pool_push(pool, GINT_TO_POINTER(i), NULL);
  g_rw_lock_writer_lock(&index_lock);
  g_hash_table_insert(index_table, "peer-1", "10.0.0.1");
  g_rw_lock_writer_unlock(&index_lock);
  g_mutex_lock(&peers_mutex);
  g_hash_table_remove(peers, "peer-0");
  g_mutex_unlock(&peers_mutex);
  g_thread_pool_free(pool, FALSE, TRUE);
  g_thread_join(t);
  g_hash_table_destroy(jobs);
  return 0;
}
