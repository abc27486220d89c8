// A struct allocated afresh for each thread and handed over whole (the
// spawner fills it, then keeps it nowhere) gives each thread instance maps
// of its own, whoever creates them: the handler below makes its own
// `pending` table, the worker is handed one the spawner made.  Two kinds
// of thread with a Conn each never share one: silent.  When the spawner
// also registers each Conn in a table that a monitor thread walks under
// the registry's lock (REGISTRY), the Conns are shared again: the handler's
// unlocked creation and insert race with the monitor.  The fixed twin (LOCKED) takes
// the registry's lock in the handler too.
// RUN: %mapsafe_check %s --prefix=OWN -- %glib_cflags -pthread
// RUN: %mapsafe_check %s --prefix=REGISTRY -- %glib_cflags -pthread -DREGISTRY
// RUN: %mapsafe_check %s --prefix=OWN -- %glib_cflags -pthread -DREGISTRY -DLOCKED
// RUN: rm -rf %t && mkdir -p %t && cd %S
// RUN: %clang_tidy -checks='-*,mapsafe-*' --config="{CheckOptions: {mapsafe.GraphDir: '%t'}}" %s -- %glib_cflags -pthread
// RUN: FileCheck %s --check-prefix=GRAPH --input-file=%t/per-spawn-struct.c.mapsafe.json

#include <glib.h>
#include <pthread.h>

typedef struct {
  int fd;
  GHashTable *pending;
} Conn;

#ifdef REGISTRY
static GHashTable *conns; /* fd -> Conn *, under conns_lock */
static GMutex conns_lock;

static void *monitor(void *arg) {
  g_mutex_lock(&conns_lock); // L:monitor_lock
  Conn *c = g_hash_table_lookup(conns, arg);
  if (c)
    g_hash_table_remove_all(c->pending); // L:monitor_clear
  g_mutex_unlock(&conns_lock);
  return NULL;
}
#endif

static void *handler(void *arg) {
  Conn *c = arg;
#ifdef LOCKED
  g_mutex_lock(&conns_lock);
#endif
  c->pending = g_hash_table_new(g_direct_hash, g_direct_equal); // L:new_pending
  g_hash_table_insert(c->pending, GINT_TO_POINTER(c->fd), c); // L:handler_insert
#ifdef LOCKED
  g_mutex_unlock(&conns_lock);
#endif
  return NULL;
}

static gpointer worker(gpointer arg) {
  Conn *c = arg;
  g_hash_table_insert(c->pending, GINT_TO_POINTER(c->fd), c);
  g_hash_table_destroy(c->pending);
  g_free(c);
  return NULL;
}

int main(void) {
#ifdef REGISTRY
  pthread_t m;
  conns = g_hash_table_new(g_direct_hash, g_direct_equal);
  pthread_create(&m, NULL, monitor, GINT_TO_POINTER(3)); // L:spawn_monitor
#endif
  for (int fd = 0; fd < 8; fd++) {
    pthread_t t;
    Conn *c = g_new0(Conn, 1);
    c->fd = fd;
#ifdef REGISTRY
    g_mutex_lock(&conns_lock);
    g_hash_table_insert(conns, GINT_TO_POINTER(fd), c);
    g_mutex_unlock(&conns_lock);
#endif
    if (pthread_create(&t, NULL, handler, c) != 0) // L:spawn_handler
      g_free(c);
    else
      pthread_detach(t);
  }
  for (int fd = 8; fd < 16; fd++) {
    Conn *c = g_new0(Conn, 1);
    c->fd = fd;
    c->pending = g_hash_table_new(g_direct_hash, g_direct_equal);
    g_thread_unref(g_thread_new("worker", worker, c));
  }
  return 0;
}

// REGISTRY: per-spawn-struct.c:[[L_new_pending]]:16: warning: unsynchronized write to map 'Conn.pending' (g_hash_table_new) can race with a write in thread 'monitor'; no lock is held [mapsafe-unsynchronized-write]
// REGISTRY-NEXT: per-spawn-struct.c:[[L_monitor_clear]]:5: note: conflicting write (g_hash_table_remove_all) in thread 'monitor'
// REGISTRY-NEXT: per-spawn-struct.c:[[L_monitor_lock]]:3: note: 'conns_lock', acquired here, protects the conflicting access but is not held at the reported one
// REGISTRY-NEXT: per-spawn-struct.c:[[L_spawn_monitor]]:3: note: thread 'monitor' is started here by the main thread
// REGISTRY-NEXT: per-spawn-struct.c:[[L_spawn_handler]]:9: note: thread 'handler' is started here by the main thread, with many instances running at once
// REGISTRY-NEXT: per-spawn-struct.c:[[L_new_pending]]:16: note: 'Conn.pending' is created here: a GHashTable from pointer keys to Conn * values
// REGISTRY: per-spawn-struct.c:[[L_handler_insert]]:3: warning: unsynchronized write to map 'Conn.pending' (g_hash_table_insert) can race with a write in thread 'monitor'; no lock is held [mapsafe-unsynchronized-write]
// REGISTRY-NEXT: per-spawn-struct.c:[[L_monitor_clear]]:5: note: conflicting write (g_hash_table_remove_all) in thread 'monitor'
// REGISTRY-NEXT: per-spawn-struct.c:[[L_monitor_lock]]:3: note: 'conns_lock', acquired here, protects the conflicting access but is not held at the reported one
// REGISTRY-NEXT: per-spawn-struct.c:[[L_spawn_monitor]]:3: note: thread 'monitor' is started here by the main thread
// REGISTRY-NEXT: per-spawn-struct.c:[[L_spawn_handler]]:9: note: thread 'handler' is started here by the main thread, with many instances running at once
// REGISTRY-NEXT: per-spawn-struct.c:[[L_new_pending]]:16: note: 'Conn.pending' is created here: a GHashTable from pointer keys to Conn * values

// Each worker's Conn is the spawner's until it hands it over; each
// handler's makes its map itself.
// GRAPH: "name": "c.pending",
// GRAPH-NEXT: "kind": "local",
// GRAPH-NEXT: "owned_by_each_call_of": "main",
// GRAPH: "name": "c.pending",
// GRAPH-NEXT: "kind": "local",
// GRAPH-NEXT: "owned_by_each_instance_of": "handler",
