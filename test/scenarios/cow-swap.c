// Copy-on-write replacement: the table is swapped for a fresh one under the
// lock (`old = shared; shared = fresh;`).  Once the lock is released nobody
// can newly reach `old`: unref'ing it after the unlock is no race (both
// twins).  Writing into the shared table outside the lock still is.
// RUN: %mapsafe_check %s -- %glib_cflags -pthread
// RUN: %mapsafe_check %s --prefix=FIXED -- %glib_cflags -pthread -DFIXED
// FIXED-NOT: warning:

#include <glib.h>
#include <pthread.h>

static GHashTable *config;
static GMutex config_lock;

static void *reader(void *arg) {
  g_mutex_lock(&config_lock); // L:lock
  gpointer v = g_hash_table_lookup(config, "mode"); // L:lookup
  g_mutex_unlock(&config_lock);
  return v;
}

int main(void) {
  config = g_hash_table_new(g_str_hash, g_str_equal); // L:new
  pthread_t t;
  pthread_create(&t, NULL, reader, NULL); // L:spawn
  GHashTable *fresh = g_hash_table_new(g_str_hash, g_str_equal);
  g_hash_table_insert(fresh, "mode", "fast");
  g_mutex_lock(&config_lock);
  GHashTable *old = config;
  config = fresh;
  g_mutex_unlock(&config_lock);
  g_hash_table_unref(old);
#ifndef FIXED
  g_hash_table_remove(config, "mode"); // L:remove
#endif
  pthread_join(t, NULL);
  return 0;
}

// CHECK: cow-swap.c:[[L_remove]]:3: warning: unsynchronized write to map 'config' (g_hash_table_remove) can race with a read in thread 'reader'; no lock is held [mapsafe-unsynchronized-write]
// CHECK-NEXT: cow-swap.c:[[L_lookup]]:16: note: conflicting read (g_hash_table_lookup) in thread 'reader'
// CHECK-NEXT: cow-swap.c:[[L_lock]]:3: note: 'config_lock', acquired here, protects the conflicting access but is not held at the reported one
// CHECK-NEXT: cow-swap.c:[[L_spawn]]:3: note: thread 'reader' is started here by the main thread
// CHECK-NEXT: cow-swap.c:[[L_new]]:12: note: 'config' is created here: a GHashTable with string keys
