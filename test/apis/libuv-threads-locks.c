// libuv's threads and locks: uv_thread_create in a loop and
// uv_thread_create_ex, guarded by a uv_mutex_t and a uv_rwlock_t.  The
// buggy twin counts without the mutex and writes the index under the read
// side of the read-write lock; the fixed twin holds the mutex and the
// write side.  A thread whose uv_thread_create failed (a nonzero result)
// does not run.
// RUN: %mapsafe_check %s -- %glib_cflags -pthread
// RUN: %mapsafe_check %s --prefix=FIXED -- %glib_cflags -pthread -DFIXED
// Guard inference alone: the trylock's success branch is the evidence that
// hits_lock guards the counts.  (It does not tell the modes of a lock
// apart: the write under the read side is the race checks' to report.)
// RUN: %mapsafe_check %s --prefix=GUARD --checks='-*,mapsafe-inconsistent-locking' -- %glib_cflags -pthread
// RUN: %mapsafe_check %s --prefix=FIXED --checks='-*,mapsafe-inconsistent-locking' -- %glib_cflags -pthread -DFIXED

#include <glib.h>
#include <uv.h>

static GHashTable *hits;
static uv_mutex_t hits_lock;
static GHashTable *index_table;
static uv_rwlock_t index_lock;

static void counter(void *name) {
#ifdef FIXED
  uv_mutex_lock(&hits_lock);
#endif
  gpointer old = g_hash_table_lookup(hits, name); // L:lookup
  // CHECK: libuv-threads-locks.c:[[L_lookup]]:18: warning: unsynchronized read of map 'hits' (g_hash_table_lookup) can race with a write in thread 'indexer'; no lock is held [mapsafe-unsynchronized-read]
  // CHECK-NEXT: libuv-threads-locks.c:[[L_remove]]:5: note: conflicting write (g_hash_table_remove) in thread 'indexer'
  // CHECK-NEXT: libuv-threads-locks.c:[[L_trylock]]:7: note: 'hits_lock', acquired here, protects the conflicting access but is not held at the reported one
  // CHECK-NEXT: libuv-threads-locks.c:[[L_spawn_indexer]]:7: note: thread 'indexer' is started here by the main thread
  // CHECK-NEXT: libuv-threads-locks.c:[[L_spawn_counter]]:5: note: thread 'counter' is started here by the main thread, with many instances running at once
  // CHECK-NEXT: libuv-threads-locks.c:[[L_new_hits]]:10: note: 'hits' is created here: a GHashTable from string keys to int values
  // GUARD: libuv-threads-locks.c:[[L_lookup]]:18: warning: 'hits' is accessed with 'hits_lock' held in 1 of 2 functions; this read (g_hash_table_lookup) does not hold it [mapsafe-inconsistent-locking]
  // GUARD-NEXT: libuv-threads-locks.c:[[L_remove]]:5: note: 'hits_lock' is held here
  // GUARD-NEXT: libuv-threads-locks.c:[[L_remove]]:5: note: conflicting write (g_hash_table_remove) in thread 'indexer'
  // GUARD-NEXT: libuv-threads-locks.c:[[L_spawn_indexer]]:7: note: thread 'indexer' is started here by the main thread
  // GUARD-NEXT: libuv-threads-locks.c:[[L_spawn_counter]]:5: note: thread 'counter' is started here by the main thread, with many instances running at once
  g_hash_table_replace(hits, name, GINT_TO_POINTER(GPOINTER_TO_INT(old) + 1)); // L:replace
  // CHECK: libuv-threads-locks.c:[[L_replace]]:3: warning: unsynchronized write to map 'hits' (g_hash_table_replace) can race with a write in thread 'indexer'; no lock is held [mapsafe-unsynchronized-write]
  // CHECK-NEXT: libuv-threads-locks.c:[[L_remove]]:5: note: conflicting write (g_hash_table_remove) in thread 'indexer'
  // CHECK-NEXT: libuv-threads-locks.c:[[L_trylock]]:7: note: 'hits_lock', acquired here, protects the conflicting access but is not held at the reported one
  // CHECK-NEXT: libuv-threads-locks.c:[[L_spawn_indexer]]:7: note: thread 'indexer' is started here by the main thread
  // CHECK-NEXT: libuv-threads-locks.c:[[L_spawn_counter]]:5: note: thread 'counter' is started here by the main thread, with many instances running at once
  // CHECK-NEXT: libuv-threads-locks.c:[[L_new_hits]]:10: note: 'hits' is created here: a GHashTable from string keys to int values
  // GUARD: libuv-threads-locks.c:[[L_replace]]:3: warning: 'hits' is accessed with 'hits_lock' held in 1 of 2 functions; this write (g_hash_table_replace) does not hold it [mapsafe-inconsistent-locking]
  // GUARD-NEXT: libuv-threads-locks.c:[[L_remove]]:5: note: 'hits_lock' is held here
  // GUARD-NEXT: libuv-threads-locks.c:[[L_remove]]:5: note: conflicting write (g_hash_table_remove) in thread 'indexer'
  // GUARD-NEXT: libuv-threads-locks.c:[[L_spawn_indexer]]:7: note: thread 'indexer' is started here by the main thread
  // GUARD-NEXT: libuv-threads-locks.c:[[L_spawn_counter]]:5: note: thread 'counter' is started here by the main thread, with many instances running at once
#ifdef FIXED
  uv_mutex_unlock(&hits_lock);
#endif
  uv_rwlock_rdlock(&index_lock);
  gpointer where = g_hash_table_lookup(index_table, name); // L:index_lookup
  uv_rwlock_rdunlock(&index_lock);
  (void)where;
}

static void indexer(void *name) {
#ifdef FIXED
  uv_rwlock_wrlock(&index_lock);
  g_hash_table_insert(index_table, name, "shard-1");
  uv_rwlock_wrunlock(&index_lock);
#else
  uv_rwlock_rdlock(&index_lock); // L:rdlock
  g_hash_table_insert(index_table, name, "shard-1"); // L:insert
  // CHECK: libuv-threads-locks.c:[[L_insert]]:3: warning: unsynchronized write to map 'index_table' (g_hash_table_insert) can race with a read in thread 'counter'; 'index_lock' is held only in shared mode [mapsafe-unsynchronized-write]
  // CHECK-NEXT: libuv-threads-locks.c:[[L_index_lookup]]:20: note: conflicting read (g_hash_table_lookup) in thread 'counter'
  // CHECK-NEXT: libuv-threads-locks.c:[[L_rdlock]]:3: note: 'index_lock' is acquired here in shared (read) mode, which does not exclude other readers
  // CHECK-NEXT: libuv-threads-locks.c:[[L_spawn_counter]]:5: note: thread 'counter' is started here by the main thread, with many instances running at once
  // CHECK-NEXT: libuv-threads-locks.c:[[L_spawn_indexer]]:7: note: thread 'indexer' is started here by the main thread
  // CHECK-NEXT: libuv-threads-locks.c:[[L_new_index]]:17: note: 'index_table' is created here: a GHashTable with string keys
  uv_rwlock_rdunlock(&index_lock);
#endif
  if (uv_mutex_trylock(&hits_lock) == 0) { // L:trylock
    g_hash_table_remove(hits, name); // L:remove
    uv_mutex_unlock(&hits_lock);
  }
  if (uv_rwlock_trywrlock(&index_lock) == 0) {
    g_hash_table_remove(index_table, "stale");
    uv_rwlock_wrunlock(&index_lock);
  }
  if (uv_rwlock_tryrdlock(&index_lock) == 0) {
    (void)g_hash_table_size(index_table);
    uv_rwlock_rdunlock(&index_lock);
  }
}

int main(void) {
  uv_thread_t t[4], ix;
  uv_thread_options_t opts = {UV_THREAD_HAS_STACK_SIZE, 1 << 20};
  uv_mutex_init_recursive(&hits_lock);
  uv_rwlock_init(&index_lock);
  hits = g_hash_table_new(g_str_hash, g_str_equal); // L:new_hits
  index_table = g_hash_table_new(g_str_hash, g_str_equal); // L:new_index
  if (uv_thread_create_ex(&ix, &opts, indexer, "peer") != 0) { // L:spawn_indexer
    /* No indexer: the main thread is still alone. */
    g_hash_table_insert(index_table, "peer", "shard-0");
  }
  for (int i = 0; i < 4; i++)
    uv_thread_create(&t[i], counter, "peer"); // L:spawn_counter
  /* uv_thread_join is given the handle's address: after these joins the
     main thread is alone again, and tearing the tables down races with
     nothing. */
  for (int i = 0; i < 4; i++)
    uv_thread_join(&t[i]);
  uv_thread_join(&ix);
  g_hash_table_remove_all(hits);
  g_hash_table_destroy(index_table);
  return 0;
}
