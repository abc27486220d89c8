// glibc's clock-selecting timed locks (GNU): pthread_mutex_clocklock,
// pthread_rwlock_clockrdlock (shared) and pthread_rwlock_clockwrlock hold
// the lock only where they returned 0.  The buggy twin writes when the
// mutex timed out, and writes under the read side; the fixed twin writes
// only in the success branch of the mutex and of the write side.
// RUN: %mapsafe_check %s -- %glib_cflags -pthread
// RUN: %mapsafe_check %s --prefix=FIXED -- %glib_cflags -pthread -DFIXED

#define _GNU_SOURCE
#include <glib.h>
#include <pthread.h>
#include <time.h>

static GHashTable *leases;
static pthread_mutex_t leases_lock = PTHREAD_MUTEX_INITIALIZER;
static GHashTable *owners;
static pthread_rwlock_t owners_lock = PTHREAD_RWLOCK_INITIALIZER;

static void *renewer(void *name) {
  struct timespec deadline;
  clock_gettime(CLOCK_MONOTONIC, &deadline);
  deadline.tv_sec += 1;
#ifdef FIXED
  if (pthread_mutex_clocklock(&leases_lock, CLOCK_MONOTONIC, &deadline) == 0) {
    g_hash_table_replace(leases, name, GINT_TO_POINTER(30));
    pthread_mutex_unlock(&leases_lock);
  }
#else
  if (pthread_mutex_clocklock(&leases_lock, CLOCK_MONOTONIC, &deadline) != 0) {
    g_hash_table_replace(leases, name, GINT_TO_POINTER(30)); // L:timed_out
    // CHECK: pthread-clocklock.c:[[L_timed_out]]:5: warning: unsynchronized write to map 'leases' (g_hash_table_replace) can race with a write in another instance of thread 'renewer'; no lock is held [mapsafe-unsynchronized-write]
    // CHECK-NEXT: pthread-clocklock.c:[[L_timed_out]]:5: note: the same write (g_hash_table_replace) runs concurrently in another instance of thread 'renewer'
    // CHECK-NEXT: pthread-clocklock.c:[[L_spawn]]:5: note: thread 'renewer' is started here by the main thread, with many instances running at once
    // CHECK-NEXT: pthread-clocklock.c:[[L_new_leases]]:12: note: 'leases' is created here: a GHashTable from string keys to int values
    return NULL;
  }
  pthread_mutex_unlock(&leases_lock);
#endif
  if (pthread_rwlock_clockrdlock(&owners_lock, CLOCK_MONOTONIC, &deadline) == 0) { // L:rdlock
    gpointer owner = g_hash_table_lookup(owners, name);
#ifndef FIXED
    if (!owner)
      g_hash_table_insert(owners, name, name); // L:insert
    // CHECK: pthread-clocklock.c:[[L_insert]]:7: warning: unsynchronized write to map 'owners' (g_hash_table_insert) can race with a write in another instance of thread 'renewer'; 'owners_lock' is held only in shared mode [mapsafe-unsynchronized-write]
    // CHECK-NEXT: pthread-clocklock.c:[[L_insert]]:7: note: the same write (g_hash_table_insert) runs concurrently in another instance of thread 'renewer'
    // CHECK-NEXT: pthread-clocklock.c:[[L_rdlock]]:7: note: 'owners_lock' is acquired here in shared (read) mode, which does not exclude other readers
    // CHECK-NEXT: pthread-clocklock.c:[[L_spawn]]:5: note: thread 'renewer' is started here by the main thread, with many instances running at once
    // CHECK-NEXT: pthread-clocklock.c:[[L_new_owners]]:12: note: 'owners' is created here: a GHashTable with string keys
#endif
    pthread_rwlock_unlock(&owners_lock);
  }
#ifdef FIXED
  if (pthread_rwlock_clockwrlock(&owners_lock, CLOCK_MONOTONIC, &deadline) == 0) {
    if (!g_hash_table_lookup(owners, name))
      g_hash_table_insert(owners, name, name);
    pthread_rwlock_unlock(&owners_lock);
  }
#endif
  return NULL;
}

int main(void) {
  pthread_t t[4];
  leases = g_hash_table_new(g_str_hash, g_str_equal); // L:new_leases
  owners = g_hash_table_new(g_str_hash, g_str_equal); // L:new_owners
  for (int i = 0; i < 4; i++)
    pthread_create(&t[i], NULL, renewer, "node-1"); // L:spawn
  for (int i = 0; i < 4; i++)
    pthread_join(t[i], NULL);
  g_hash_table_destroy(leases);
  g_hash_table_destroy(owners);
  return 0;
}
