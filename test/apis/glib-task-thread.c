// GIO: g_task_run_in_thread runs the task function on GLib's worker
// pool, many tasks at once, and nothing joins it: the function races with
// its other instances and with the main thread.  The buggy twin caches
// without the mutex; the fixed twin holds it in the task function and in
// the main thread.
// RUN: %mapsafe_check %s -- %glib_cflags -pthread
// RUN: %mapsafe_check %s --prefix=FIXED -- %glib_cflags -pthread -DFIXED

#include <gio/gio.h>

static GHashTable *thumbnails;
static GMutex thumbnails_lock;

static void render(GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable) {
  const char *path = task_data;
#ifdef FIXED
  g_mutex_lock(&thumbnails_lock);
#endif
  g_hash_table_replace(thumbnails, g_strdup(path), g_strdup("rendered")); // L:replace
  // CHECK: glib-task-thread.c:[[L_replace]]:3: warning: unsynchronized write to map 'thumbnails' (g_hash_table_replace) can race with a write in another instance of thread 'render'; no lock is held [mapsafe-unsynchronized-write]
  // CHECK-NEXT: glib-task-thread.c:[[L_replace]]:3: note: the same write (g_hash_table_replace) runs concurrently in another instance of thread 'render'
  // CHECK-NEXT: glib-task-thread.c:[[L_run]]:3: note: thread 'render' is started here by the main thread, with many instances running at once
  // CHECK-NEXT: glib-task-thread.c:[[L_call]]:3: note: 'thumbnail_async' is called from 'main' here
  // CHECK-NEXT: glib-task-thread.c:[[L_new]]:16: note: 'thumbnails' is created here: a GHashTable from string keys to gchar * values
#ifdef FIXED
  g_mutex_unlock(&thumbnails_lock);
#endif
  g_task_return_boolean(task, TRUE);
}

/* The completion callback runs later in the main context's thread. */
static void rendered(GObject *source, GAsyncResult *res, gpointer user_data) {
}

void thumbnail_async(const char *path) {
  GTask *task = g_task_new(NULL, NULL, rendered, NULL);
  g_task_set_task_data(task, g_strdup(path), g_free);
  g_task_run_in_thread(task, render); // L:run
  g_object_unref(task);
}

int main(void) {
  thumbnails = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free); // L:new
  thumbnail_async("a.png"); // L:call
  thumbnail_async("b.png");
#ifdef FIXED
  g_mutex_lock(&thumbnails_lock);
#endif
  guint n = g_hash_table_size(thumbnails); // L:size
  // CHECK: glib-task-thread.c:[[L_size]]:13: warning: unsynchronized read of map 'thumbnails' (g_hash_table_size) can race with a write in thread 'render'; no lock is held [mapsafe-unsynchronized-read]
  // CHECK-NEXT: glib-task-thread.c:[[L_replace]]:3: note: conflicting write (g_hash_table_replace) in thread 'render'
  // CHECK-NEXT: glib-task-thread.c:[[L_run]]:3: note: thread 'render' is started here by the main thread, with many instances running at once
  // CHECK-NEXT: glib-task-thread.c:[[L_call]]:3: note: 'thumbnail_async' is called from 'main' here
  // CHECK-NEXT: glib-task-thread.c:[[L_new]]:16: note: 'thumbnails' is created here: a GHashTable from string keys to gchar * values
#ifdef FIXED
  g_mutex_unlock(&thumbnails_lock);
#endif
  return (int)n;
}
