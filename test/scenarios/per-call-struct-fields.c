// What an owned struct holds is the call's own only as far as it is its
// own: `req.seen`, made in the call, is new in every call (silent, even
// through the foreach callback `req` is handed to, which keeps it nowhere),
// while `req.srv->sessions` is the server's table, reached through a
// pointer field, and shared: its unlocked insert is reported.  When the
// callback keeps what it is handed (KEEPS), `req` is shared from there on,
// and so is `seen` (not its creation, before: the call's own then).
// RUN: %mapsafe_check %s -- %glib_cflags -pthread
// RUN: %mapsafe_check %s --prefix=KEEPS -- %glib_cflags -pthread -DKEEPS

#include <glib.h>
#include <pthread.h>

struct server {
  GHashTable *sessions;
};

static struct server srv;

typedef struct {
  struct server *srv;  /* points to the shared server: not the call's own */
  GHashTable *seen;    /* the call's own */
  const char *name;
} Request;

#ifdef KEEPS
static Request *last_request;
#endif

static void note_item(gpointer item, gpointer user_data) {
  Request *req = user_data;
  g_hash_table_add(req->seen, item); // L:cb_add
#ifdef KEEPS
  last_request = req; /* the callback keeps what it is handed */
#endif
}

static void handle(GPtrArray *items, const char *name) {
  Request req;
  req.srv = &srv;
  req.name = name;
  req.seen = g_hash_table_new(g_direct_hash, g_direct_equal); // L:new_seen
  g_ptr_array_foreach(items, note_item, &req); // L:foreach
  g_hash_table_insert(req.srv->sessions, g_strdup(name), NULL); // L:shared_insert
  g_hash_table_destroy(req.seen); // L:destroy
}

static void *worker(void *arg) {
  handle(arg, "w"); // L:call_worker
  return NULL;
}

int main(void) {
  pthread_t t[2];
  GPtrArray *items = g_ptr_array_new();
  srv.sessions = g_hash_table_new(g_str_hash, g_str_equal); // L:new_sessions
  for (int i = 0; i < 2; i++)
    pthread_create(&t[i], NULL, worker, items); // L:spawn
  handle(items, "main"); // L:call_main
  for (int i = 0; i < 2; i++)
    pthread_join(t[i], NULL);
  return 0;
}

// CHECK: per-call-struct-fields.c:[[L_shared_insert]]:3: warning: unsynchronized write to map 'struct server.sessions' (g_hash_table_insert) can race with a write in thread 'worker'; no lock is held [mapsafe-unsynchronized-write]
// CHECK-NEXT: per-call-struct-fields.c:[[L_shared_insert]]:3: note: conflicting write (g_hash_table_insert) in thread 'worker'
// CHECK-NEXT: per-call-struct-fields.c:[[L_spawn]]:5: note: thread 'worker' is started here by the main thread, with many instances running at once
// CHECK-NEXT: per-call-struct-fields.c:[[L_call_main]]:3: note: 'handle' is called from 'main' here
// CHECK-NEXT: per-call-struct-fields.c:[[L_call_worker]]:3: note: 'handle' is called from 'worker' here
// CHECK-NEXT: per-call-struct-fields.c:[[L_new_sessions]]:18: note: 'struct server.sessions' is created here: a GHashTable with string keys

// KEEPS: per-call-struct-fields.c:[[L_cb_add]]:3: warning: unsynchronized write to map 'Request.seen' (g_hash_table_add) can race with a write in thread 'worker'; no lock is held [mapsafe-unsynchronized-write]
// KEEPS-NEXT: per-call-struct-fields.c:[[L_cb_add]]:3: note: conflicting write (g_hash_table_add) in thread 'worker'
// KEEPS-NEXT: per-call-struct-fields.c:[[L_spawn]]:5: note: thread 'worker' is started here by the main thread, with many instances running at once
// KEEPS-NEXT: per-call-struct-fields.c:[[L_call_main]]:3: note: 'handle' is called from 'main' here
// KEEPS-NEXT: per-call-struct-fields.c:[[L_foreach]]:3: note: 'note_item' is called from 'handle' here
// KEEPS-NEXT: per-call-struct-fields.c:[[L_call_worker]]:3: note: 'handle' is called from 'worker' here
// KEEPS-NEXT: per-call-struct-fields.c:[[L_foreach]]:3: note: 'note_item' is called from 'handle' here
// KEEPS: per-call-struct-fields.c:[[L_shared_insert]]:3: warning: unsynchronized write to map 'struct server.sessions' (g_hash_table_insert) can race with a write in thread 'worker'; no lock is held [mapsafe-unsynchronized-write]
// KEEPS-NEXT: per-call-struct-fields.c:[[L_shared_insert]]:3: note: conflicting write (g_hash_table_insert) in thread 'worker'
// KEEPS-NEXT: per-call-struct-fields.c:[[L_spawn]]:5: note: thread 'worker' is started here by the main thread, with many instances running at once
// KEEPS-NEXT: per-call-struct-fields.c:[[L_call_main]]:3: note: 'handle' is called from 'main' here
// KEEPS-NEXT: per-call-struct-fields.c:[[L_call_worker]]:3: note: 'handle' is called from 'worker' here
// KEEPS-NEXT: per-call-struct-fields.c:[[L_new_sessions]]:18: note: 'struct server.sessions' is created here: a GHashTable with string keys
// KEEPS: per-call-struct-fields.c:[[L_destroy]]:3: warning: unsynchronized write to map 'Request.seen' (g_hash_table_destroy) can race with a write in thread 'worker'; no lock is held [mapsafe-unsynchronized-write]
// KEEPS-NEXT: per-call-struct-fields.c:[[L_cb_add]]:3: note: conflicting write (g_hash_table_add) in thread 'worker'
// KEEPS-NEXT: per-call-struct-fields.c:[[L_spawn]]:5: note: thread 'worker' is started here by the main thread, with many instances running at once
// KEEPS-NEXT: per-call-struct-fields.c:[[L_call_main]]:3: note: 'handle' is called from 'main' here
// KEEPS-NEXT: per-call-struct-fields.c:[[L_call_worker]]:3: note: 'handle' is called from 'worker' here
// KEEPS-NEXT: per-call-struct-fields.c:[[L_foreach]]:3: note: 'note_item' is called from 'handle' here
