// More shapes of the brief, each with its twin.  A lookup without the lock
// where adds and removes take it (T2); a size taken one statement before the
// lock (T3); a write on the failure branch of a trylock (T12).  Fixed twin:
// each holds the lock.  Silent in both: a helper that fills a map it is
// given, called only with fresh local maps; a table filled in main before
// the first thread starts and only read afterwards, unlocked.
// RUN: %mapsafe_check %s -- %glib_cflags -pthread
// RUN: %mapsafe_check %s --prefix=FIXED -- %glib_cflags -pthread -DFIXED
// Their twins: the helper also fills the shared table, unlocked
// (BREAK_FILL); main writes the table after the thread started (BREAK_CONFIG).
// RUN: %mapsafe_check %s --prefix=FILL -- %glib_cflags -pthread -DFIXED -DBREAK_FILL
// RUN: %mapsafe_check %s --prefix=CONFIG -- %glib_cflags -pthread -DFIXED -DBREAK_CONFIG
// FIXED-NOT: warning:

#include <glib.h>
#include <pthread.h>

static GHashTable *peers;
static GMutex peers_lock;

void peer_add(const char *id) {
  g_mutex_lock(&peers_lock);
  g_hash_table_add(peers, (gpointer)id); // L:add
  g_mutex_unlock(&peers_lock);
}

void peer_remove(const char *id) {
  g_mutex_lock(&peers_lock);
  g_hash_table_remove(peers, id); // L:remove
  g_mutex_unlock(&peers_lock);
}

gboolean peer_known(const char *id) { // L:known_fn
#ifdef FIXED
  g_mutex_lock(&peers_lock);
#endif
  gboolean r = g_hash_table_contains(peers, id); // L:contains
#ifdef FIXED
  g_mutex_unlock(&peers_lock);
#endif
  return r;
}

guint peer_count_then_clear(void) { // L:count_fn
#ifdef FIXED
  g_mutex_lock(&peers_lock);
  guint n = g_hash_table_size(peers);
#else
  guint n = g_hash_table_size(peers); // L:size
  g_mutex_lock(&peers_lock);
#endif
  g_hash_table_remove_all(peers); // L:clear
  g_mutex_unlock(&peers_lock);
  return n;
}

void peer_try_drop(const char *id) { // L:try_fn
  if (g_mutex_trylock(&peers_lock)) {
    g_hash_table_remove(peers, id);
    g_mutex_unlock(&peers_lock);
  } else {
#ifdef FIXED
    g_mutex_lock(&peers_lock);
#endif
    g_hash_table_remove(peers, id); // L:fallback
#ifdef FIXED
    g_mutex_unlock(&peers_lock);
#endif
  }
}

// Filled through a helper, with a fresh map each time: nothing shared.
static void fill(GHashTable *t) { g_hash_table_add(t, "x"); } // L:fill

#ifdef BREAK_FILL
void peer_fill_defaults(void) { // L:fill_fn
  fill(peers); // L:fill_call
}
#endif

guint fresh_count(void) {
  GHashTable *t = g_hash_table_new(g_str_hash, g_str_equal);
  fill(t);
  guint n = g_hash_table_size(t);
  g_hash_table_unref(t);
  return n;
}

// Filled before the first thread, read-only afterwards.
static GHashTable *config;

static void *reader(void *arg) {
  return g_hash_table_lookup(config, arg); // L:read
}

int main(void) {
  config = g_hash_table_new(g_str_hash, g_str_equal); // L:new
  g_hash_table_insert(config, "mode", "fast");
  pthread_t t;
  pthread_create(&t, NULL, reader, "mode"); // L:spawn
#ifdef BREAK_CONFIG
  g_hash_table_insert(config, "mode", "slow"); // L:late
#endif
  gpointer v = g_hash_table_lookup(config, "mode");
  pthread_join(t, NULL);
  return v != NULL;
}

// CHECK: guard-more-shapes.c:[[L_contains]]:16: warning: 'peers' is accessed with 'peers_lock' held in 4 of 5 functions; this read (g_hash_table_contains) does not hold it [mapsafe-inconsistent-locking]
// CHECK-NEXT: guard-more-shapes.c:[[L_add]]:3: note: 'peers_lock' is held here
// CHECK-NEXT: guard-more-shapes.c:[[L_remove]]:3: note: 'peers_lock' is held here
// CHECK-NEXT: guard-more-shapes.c:[[L_clear]]:3: note: 'peers_lock' is held here
// CHECK-NEXT: guard-more-shapes.c:[[L_known_fn]]:10: note: 'peer_known' has external linkage: any thread may call it
// CHECK-NEXT: guard-more-shapes.c:[[L_size]]:13: warning: 'peers' is accessed with 'peers_lock' held in 4 of 5 functions; this read (g_hash_table_size) does not hold it [mapsafe-inconsistent-locking]
// CHECK-NEXT: guard-more-shapes.c:[[L_add]]:3: note: 'peers_lock' is held here
// CHECK-NEXT: guard-more-shapes.c:[[L_remove]]:3: note: 'peers_lock' is held here
// CHECK-NEXT: guard-more-shapes.c:[[L_clear]]:3: note: 'peers_lock' is held here
// CHECK-NEXT: guard-more-shapes.c:[[L_count_fn]]:7: note: 'peer_count_then_clear' has external linkage: any thread may call it
// CHECK-NEXT: guard-more-shapes.c:[[L_fallback]]:5: warning: 'peers' is accessed with 'peers_lock' held in 4 of 5 functions; this write (g_hash_table_remove) does not hold it [mapsafe-inconsistent-locking]
// CHECK-NEXT: guard-more-shapes.c:[[L_add]]:3: note: 'peers_lock' is held here
// CHECK-NEXT: guard-more-shapes.c:[[L_remove]]:3: note: 'peers_lock' is held here
// CHECK-NEXT: guard-more-shapes.c:[[L_clear]]:3: note: 'peers_lock' is held here
// CHECK-NEXT: guard-more-shapes.c:[[L_try_fn]]:6: note: 'peer_try_drop' has external linkage: any thread may call it
// FILL: guard-more-shapes.c:[[L_fill]]:35: warning: 'peers' is accessed with 'peers_lock' held in 5 of 6 functions; this write (g_hash_table_add) does not hold it [mapsafe-inconsistent-locking]
// FILL-NEXT: guard-more-shapes.c:[[L_add]]:3: note: 'peers_lock' is held here
// FILL-NEXT: guard-more-shapes.c:[[L_remove]]:3: note: 'peers_lock' is held here
// FILL-NEXT: guard-more-shapes.c:[[L_contains]]:16: note: 'peers_lock' is held here
// FILL-NEXT: guard-more-shapes.c:[[L_fill_fn]]:6: note: 'peer_fill_defaults' has external linkage: any thread may call it
// FILL-NEXT: guard-more-shapes.c:[[L_fill_call]]:3: note: 'fill' is called from 'peer_fill_defaults' here
// CONFIG: guard-more-shapes.c:[[L_read]]:10: warning: unsynchronized read of map 'config' (g_hash_table_lookup) can race with a write in the main thread; no lock is held [mapsafe-unsynchronized-read]
// CONFIG-NEXT: guard-more-shapes.c:[[L_late]]:3: note: conflicting write (g_hash_table_insert) in the main thread
// CONFIG-NEXT: guard-more-shapes.c:[[L_spawn]]:3: note: thread 'reader' is started here by the main thread
// CONFIG-NEXT: guard-more-shapes.c:[[L_new]]:12: note: 'config' is created here: a GHashTable with string keys
// CONFIG-NEXT: guard-more-shapes.c:[[L_late]]:3: warning: unsynchronized write to map 'config' (g_hash_table_insert) can race with a read in thread 'reader'; no lock is held [mapsafe-unsynchronized-write]
// CONFIG-NEXT: guard-more-shapes.c:[[L_read]]:10: note: conflicting read (g_hash_table_lookup) in thread 'reader'
// CONFIG-NEXT: guard-more-shapes.c:[[L_spawn]]:3: note: thread 'reader' is started here by the main thread
// CONFIG-NEXT: guard-more-shapes.c:[[L_new]]:12: note: 'config' is created here: a GHashTable with string keys
