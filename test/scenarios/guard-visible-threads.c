// Threads the file starts (tier A): one function holding the lock is
// enough.  Two workers write the table, one under the lock, one without
// (T14).  With every check on, the race check tells it (one diagnostic per
// access); with mapsafe-inconsistent-locking alone, that check does.  Fixed
// twin: both lock.
// RUN: %mapsafe_check %s -- %glib_cflags -pthread
// RUN: %mapsafe_check %s --prefix=ALONE --checks='-*,mapsafe-inconsistent-locking' -- %glib_cflags -pthread
// RUN: %mapsafe_check %s --prefix=FIXED -- %glib_cflags -pthread -DFIXED
// RUN: %mapsafe_check %s --prefix=FIXED --checks='-*,mapsafe-inconsistent-locking' -- %glib_cflags -pthread -DFIXED
// FIXED-NOT: warning:

#include <glib.h>
#include <pthread.h>

static GHashTable *jobs;
static GMutex jobs_lock;

static void *producer(void *arg) {
  g_mutex_lock(&jobs_lock); // L:lock
  g_hash_table_add(jobs, arg); // L:add
  g_mutex_unlock(&jobs_lock);
  return NULL;
}

static void *reaper(void *arg) {
#ifdef FIXED
  g_mutex_lock(&jobs_lock);
#endif
  g_hash_table_remove_all(jobs); // L:reap
#ifdef FIXED
  g_mutex_unlock(&jobs_lock);
#endif
  return NULL;
}

int main(void) {
  static int job = 1;
  pthread_t p, r;
  jobs = g_hash_table_new(g_direct_hash, g_direct_equal); // L:new
  pthread_create(&p, NULL, producer, &job); // L:spawn_p
  pthread_create(&r, NULL, reaper, NULL); // L:spawn_r
  pthread_join(p, NULL);
  pthread_join(r, NULL);
  g_hash_table_destroy(jobs);
  return 0;
}

// CHECK: guard-visible-threads.c:[[L_reap]]:3: warning: unsynchronized write to map 'jobs' (g_hash_table_remove_all) can race with a write in thread 'producer'; no lock is held [mapsafe-unsynchronized-write]
// CHECK-NEXT: guard-visible-threads.c:[[L_add]]:3: note: conflicting write (g_hash_table_add) in thread 'producer'
// CHECK-NEXT: guard-visible-threads.c:[[L_lock]]:3: note: 'jobs_lock', acquired here, protects the conflicting access but is not held at the reported one
// CHECK-NEXT: guard-visible-threads.c:[[L_spawn_p]]:3: note: thread 'producer' is started here by the main thread
// CHECK-NEXT: guard-visible-threads.c:[[L_spawn_r]]:3: note: thread 'reaper' is started here by the main thread
// CHECK-NEXT: guard-visible-threads.c:[[L_new]]:10: note: 'jobs' is created here: a GHashTable with pointer keys
// ALONE: guard-visible-threads.c:[[L_reap]]:3: warning: 'jobs' is accessed with 'jobs_lock' held in 1 of 2 functions; this write (g_hash_table_remove_all) does not hold it [mapsafe-inconsistent-locking]
// ALONE-NEXT: guard-visible-threads.c:[[L_add]]:3: note: 'jobs_lock' is held here
// ALONE-NEXT: guard-visible-threads.c:[[L_add]]:3: note: conflicting write (g_hash_table_add) in thread 'producer'
// ALONE-NEXT: guard-visible-threads.c:[[L_spawn_p]]:3: note: thread 'producer' is started here by the main thread
// ALONE-NEXT: guard-visible-threads.c:[[L_spawn_r]]:3: note: thread 'reaper' is started here by the main thread
