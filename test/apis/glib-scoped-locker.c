// g_autoptr(GMutexLocker): the mutex is held from g_mutex_locker_new to
// the end of the locker's scope.  The buggy twin touches the table after
// that scope has closed; the fixed twin only inside it.  g_hash_table_ref
// returns the same map under another name.
// RUN: %mapsafe_check %s -- %glib_cflags -pthread
// RUN: %mapsafe_check %s --prefix=FIXED -- %glib_cflags -pthread -DFIXED

#include <glib.h>

static GHashTable *registry;
static GMutex registry_mutex;

static gpointer announce(gpointer name) {
  {
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&registry_mutex); // L:locker
    g_hash_table_add(registry, name); // L:add
  }
#ifdef FIXED
  {
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&registry_mutex);
    g_hash_table_remove(g_hash_table_ref(registry), name);
    g_hash_table_unref(registry);
  }
#else
  GHashTable *view = g_hash_table_ref(registry);
  g_hash_table_remove(view, name); // L:remove
  // CHECK: glib-scoped-locker.c:[[L_remove]]:3: warning: unsynchronized write to map 'registry' (g_hash_table_remove) can race with a write in another instance of thread 'announce'; no lock is held [mapsafe-unsynchronized-write]
  // CHECK-NEXT: glib-scoped-locker.c:[[L_add]]:5: note: conflicting write (g_hash_table_add) in thread 'announce', another instance
  // CHECK-NEXT: glib-scoped-locker.c:[[L_locker]]:38: note: 'registry_mutex', acquired here, protects the conflicting access but is not held at the reported one
  // CHECK-NEXT: glib-scoped-locker.c:[[L_spawn]]:18: note: thread 'announce' is started here by the main thread, with many instances running at once
  // CHECK-NEXT: glib-scoped-locker.c:[[L_new_registry]]:14: note: 'registry' is created here: a GHashTable with string keys
#endif
  return NULL;
}

int main(void) {
  GThread *threads[4];
  registry = g_hash_table_new(g_str_hash, g_str_equal); // L:new_registry
  for (int i = 0; i < 4; i++)
    threads[i] = g_thread_new("announce", announce, i % 2 ? "a" : "b"); // L:spawn
  for (int i = 0; i < 4; i++)
    g_thread_join(threads[i]);
  g_hash_table_unref(registry);
  return 0;
}
