// Where mapsafe cannot see a pool's first push in the function that makes
// it, the pool's threads run from g_thread_pool_new, as before: a pool kept
// in a global and fed by another function, and a local pool handed to a
// helper before the push (its threads run from the call of the helper).
// Writes made before the pool exists are single-threaded (fixed twin).
// RUN: %mapsafe_check %s -- %glib_cflags -pthread
// RUN: %mapsafe_check %s --prefix=FIXED -- %glib_cflags -pthread -DFIXED

#include <glib.h>

static GHashTable *queued, *done;
static GMutex lock;
static GThreadPool *global_pool;

static void mark(gpointer data, gpointer user_data) {
  g_mutex_lock(&lock); // L:lock1
  g_hash_table_add(queued, data); // L:add1
  g_mutex_unlock(&lock);
}

static void finish(gpointer data, gpointer user_data) {
  g_mutex_lock(&lock); // L:lock2
  g_hash_table_add(done, data); // L:add2
  g_mutex_unlock(&lock);
}

static void submit(char *job) { g_thread_pool_push(global_pool, job, NULL); }

static void feed(GThreadPool *p, char *job) {
  g_hash_table_remove(done, job); // L:in_helper
  // CHECK: pool-push-elsewhere.c:[[L_in_helper]]:3: warning: unsynchronized write to map 'done' (g_hash_table_remove) can race with a write in thread 'finish'; no lock is held [mapsafe-unsynchronized-write]
  // CHECK-NEXT: pool-push-elsewhere.c:[[L_add2]]:3: note: conflicting write (g_hash_table_add) in thread 'finish'
  // CHECK-NEXT: pool-push-elsewhere.c:[[L_lock2]]:3: note: 'lock', acquired here, protects the conflicting access but is not held at the reported one
  // CHECK-NEXT: pool-push-elsewhere.c:[[L_spawn2]]:23: note: thread 'finish' is started here by the main thread, with many instances running at once
  // CHECK-NEXT: pool-push-elsewhere.c:[[L_call]]:3: note: 'feed' is called from 'main' here
  // CHECK-NEXT: pool-push-elsewhere.c:[[L_new2]]:10: note: 'done' is created here: a GHashTable with string keys
  g_thread_pool_push(p, job, NULL);
}

int main(void) {
  queued = g_hash_table_new(g_str_hash, g_str_equal); // L:new1
  done = g_hash_table_new(g_str_hash, g_str_equal); // L:new2
#ifdef FIXED
  g_hash_table_add(queued, "first");
#endif
  global_pool = g_thread_pool_new(mark, NULL, 2, FALSE, NULL); // L:spawn1
#ifndef FIXED
  g_hash_table_add(queued, "first"); // L:early1
  // CHECK: pool-push-elsewhere.c:[[L_early1]]:3: warning: unsynchronized write to map 'queued' (g_hash_table_add) can race with a write in thread 'mark'; no lock is held [mapsafe-unsynchronized-write]
  // CHECK-NEXT: pool-push-elsewhere.c:[[L_add1]]:3: note: conflicting write (g_hash_table_add) in thread 'mark'
  // CHECK-NEXT: pool-push-elsewhere.c:[[L_lock1]]:3: note: 'lock', acquired here, protects the conflicting access but is not held at the reported one
  // CHECK-NEXT: pool-push-elsewhere.c:[[L_spawn1]]:17: note: thread 'mark' is started here by the main thread, with many instances running at once
  // CHECK-NEXT: pool-push-elsewhere.c:[[L_new1]]:12: note: 'queued' is created here: a GHashTable with string keys
#endif
  submit("first");

  GThreadPool *pool = g_thread_pool_new(finish, NULL, 2, FALSE, NULL); // L:spawn2
  g_hash_table_add(done, "before");
#ifndef FIXED
  feed(pool, "x"); // L:call
#endif
  g_thread_pool_push(pool, "y", NULL);
  g_thread_pool_free(pool, FALSE, TRUE);
  g_thread_pool_free(global_pool, FALSE, TRUE);
  return 0;
}
