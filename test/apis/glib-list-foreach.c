// g_list_foreach, g_ptr_array_foreach and the like run their function on
// each element before they return, in the calling thread, with user_data
// as its second parameter (a `callbacks` rule): the function is analysed
// as called there, under the locks held there.  The buggy twin indexes the
// names without the lock; the fixed twin holds it around the walk.
// RUN: %mapsafe_check %s -- %glib_cflags -pthread
// RUN: %mapsafe_check %s --prefix=FIXED -- %glib_cflags -pthread -DFIXED

#include <glib.h>
#include <pthread.h>

static GMutex index_lock;

static void index_name(gpointer name, gpointer table) {
  g_hash_table_add(table, name); // L:add
}

static void *indexer(void *arg) {
  GHashTable *names = arg;
  GPtrArray *batch = g_ptr_array_new();
  g_ptr_array_add(batch, "a");
#ifdef FIXED
  g_mutex_lock(&index_lock);
#endif
  g_ptr_array_foreach(batch, index_name, names); // L:foreach
#ifdef FIXED
  g_mutex_unlock(&index_lock);
#endif
  g_ptr_array_unref(batch);
  return NULL;
}

int main(void) {
  pthread_t t[2];
  GHashTable *names = g_hash_table_new(g_str_hash, g_str_equal); // L:new
  for (int i = 0; i < 2; i++)
    pthread_create(&t[i], NULL, indexer, names); // L:spawn
  for (int i = 0; i < 2; i++)
    pthread_join(t[i], NULL);
  g_hash_table_destroy(names);
  return 0;
}

// CHECK: glib-list-foreach.c:[[L_add]]:3: warning: unsynchronized write to map 'names' (g_hash_table_add) can race with a write in another instance of thread 'indexer'; no lock is held [mapsafe-unsynchronized-write]
// CHECK-NEXT: glib-list-foreach.c:[[L_add]]:3: note: the same write (g_hash_table_add) runs concurrently in another instance of thread 'indexer'
// CHECK-NEXT: glib-list-foreach.c:[[L_spawn]]:5: note: thread 'indexer' is started here by the main thread, with many instances running at once
// CHECK-NEXT: glib-list-foreach.c:[[L_foreach]]:3: note: 'index_name' is called from 'indexer' here
// CHECK-NEXT: glib-list-foreach.c:[[L_new]]:23: note: 'names' is created here: a GHashTable with string keys
