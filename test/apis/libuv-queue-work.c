// uv_queue_work runs its work callback on libuv's thread pool, many
// requests at once, with the request as its parameter: the callbacks race
// with one another and with the loop thread, which also runs the
// after-work callback (with the same request) once a request's work is
// done.  The buggy twin fills the cache without a lock; the fixed twin
// holds a uv_mutex_t in both callbacks and in the main thread.
// RUN: %mapsafe_check %s -- %glib_cflags -pthread
// RUN: %mapsafe_check %s --prefix=FIXED -- %glib_cflags -pthread -DFIXED

#include <glib.h>
#include <uv.h>

struct lookup {
  uv_work_t req;
  GHashTable *cache;
  const char *name;
};

static uv_mutex_t cache_lock;

static void resolve(uv_work_t *req) {
  struct lookup *l = req->data;
#ifdef FIXED
  uv_mutex_lock(&cache_lock);
#endif
  g_hash_table_insert(l->cache, (gpointer)l->name, "10.0.0.1"); // L:insert
  // CHECK: libuv-queue-work.c:[[L_insert]]:3: warning: unsynchronized write to map 'struct lookup.cache' (g_hash_table_insert) can race with a write in another instance of thread 'resolve'; no lock is held [mapsafe-unsynchronized-write]
  // CHECK-NEXT: libuv-queue-work.c:[[L_insert]]:3: note: the same write (g_hash_table_insert) runs concurrently in another instance of thread 'resolve'
  // CHECK-NEXT: libuv-queue-work.c:[[L_queue]]:5: note: thread 'resolve' is started here by the main thread, with many instances running at once
#ifdef FIXED
  uv_mutex_unlock(&cache_lock);
#endif
}

/* The after-work callback runs on the loop's thread (the one that queued
   the work), from uv_run, while other requests still resolve. */
static void resolved(uv_work_t *req, int status) {
  struct lookup *l = req->data;
#ifdef FIXED
  uv_mutex_lock(&cache_lock);
#endif
  if (status < 0)
    g_hash_table_remove(l->cache, l->name); // L:failed
  // CHECK: libuv-queue-work.c:[[L_failed]]:5: warning: unsynchronized write to map 'struct lookup.cache' (g_hash_table_remove) can race with a write in thread 'resolve'; no lock is held [mapsafe-unsynchronized-write]
  // CHECK-NEXT: libuv-queue-work.c:[[L_insert]]:3: note: conflicting write (g_hash_table_insert) in thread 'resolve'
  // CHECK-NEXT: libuv-queue-work.c:[[L_queue]]:5: note: thread 'resolve' is started here by the main thread, with many instances running at once
  // CHECK-NEXT: libuv-queue-work.c:[[L_queue]]:5: note: 'resolved' is called from 'main' here
#ifdef FIXED
  uv_mutex_unlock(&cache_lock);
#endif
  g_free(l);
}

int main(void) {
  uv_loop_t *loop = uv_default_loop();
  GHashTable *cache = g_hash_table_new(g_str_hash, g_str_equal);
  uv_mutex_init(&cache_lock);
  const char *names[] = {"a.example", "b.example", "c.example"};
  for (int i = 0; i < 3; i++) {
    struct lookup *l = g_new0(struct lookup, 1);
    l->req.data = l;
    l->cache = cache;
    l->name = names[i];
    uv_queue_work(loop, &l->req, resolve, resolved); // L:queue
  }
#ifdef FIXED
  uv_mutex_lock(&cache_lock);
#endif
  g_hash_table_remove(cache, "stale.example"); // L:remove
  // CHECK: libuv-queue-work.c:[[L_remove]]:3: warning: unsynchronized write to map 'struct lookup.cache' (g_hash_table_remove) can race with a write in thread 'resolve'; no lock is held [mapsafe-unsynchronized-write]
  // CHECK-NEXT: libuv-queue-work.c:[[L_insert]]:3: note: conflicting write (g_hash_table_insert) in thread 'resolve'
  // CHECK-NEXT: libuv-queue-work.c:[[L_queue]]:5: note: thread 'resolve' is started here by the main thread, with many instances running at once
#ifdef FIXED
  uv_mutex_unlock(&cache_lock);
#endif
  return uv_run(loop, UV_RUN_DEFAULT);
}
