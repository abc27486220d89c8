// GIO: g_task_run_in_thread_sync runs the task function on a worker thread
// while the caller waits, still holding its locks: for races that is a
// call in the caller's thread, under the caller's locks.  Two threads
// render through it: the buggy twin without a lock, the fixed twin with
// the cache lock held around the call.
// RUN: %mapsafe_check %s -- %glib_cflags -pthread
// RUN: %mapsafe_check %s --prefix=FIXED -- %glib_cflags -pthread -DFIXED

#include <gio/gio.h>
#include <pthread.h>

static GHashTable *cache;
static GMutex cache_lock;

static void render(GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable) {
  g_hash_table_replace(cache, g_strdup(task_data), g_strdup("done")); // L:replace
  g_task_return_boolean(task, TRUE);
}

static void *client(void *path) {
  GTask *task = g_task_new(NULL, NULL, NULL, NULL);
  g_task_set_task_data(task, path, NULL);
#ifdef FIXED
  g_mutex_lock(&cache_lock);
#endif
  g_task_run_in_thread_sync(task, render); // L:run
#ifdef FIXED
  g_mutex_unlock(&cache_lock);
#endif
  g_object_unref(task);
  return NULL;
}

int main(void) {
  pthread_t t[2];
  cache = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free); // L:new
  for (int i = 0; i < 2; i++)
    pthread_create(&t[i], NULL, client, "a.png"); // L:spawn
  for (int i = 0; i < 2; i++)
    pthread_join(t[i], NULL);
  return 0;
}

// CHECK: glib-task-sync.c:[[L_replace]]:3: warning: unsynchronized write to map 'cache' (g_hash_table_replace) can race with a write in another instance of thread 'client'; no lock is held [mapsafe-unsynchronized-write]
// CHECK-NEXT: glib-task-sync.c:[[L_replace]]:3: note: the same write (g_hash_table_replace) runs concurrently in another instance of thread 'client'
// CHECK-NEXT: glib-task-sync.c:[[L_spawn]]:5: note: thread 'client' is started here by the main thread, with many instances running at once
// CHECK-NEXT: glib-task-sync.c:[[L_run]]:3: note: 'render' is called from 'client' here
// CHECK-NEXT: glib-task-sync.c:[[L_new]]:11: note: 'cache' is created here: a GHashTable from string keys to gchar * values
