// The map lives in a struct handed to each worker through pthread_create's
// argument: `srv->sessions` names the field of every struct server at once.
// The buggy twin inserts without the server's lock; the fixed twin holds it.
// RUN: %mapsafe_check %s -- %glib_cflags -pthread
// RUN: %mapsafe_check %s --prefix=FIXED -- %glib_cflags -pthread -DFIXED

#include <glib.h>
#include <pthread.h>
#include <stdlib.h>

struct session {
  int id;
  char *user;
};

struct server {
  GHashTable *sessions;
  pthread_mutex_t lock;
  int port;
};

static void *handle_client(void *arg) {
  struct server *srv = arg;
  struct session *s = g_new0(struct session, 1);
  s->id = rand();
#ifdef FIXED
  pthread_mutex_lock(&srv->lock);
#endif
  g_hash_table_insert(srv->sessions, GINT_TO_POINTER(s->id), s); // L:insert
  // CHECK: struct-through-arg.c:[[L_insert]]:3: warning: unsynchronized write to map 'struct server.sessions' (g_hash_table_insert) can race with a write in another instance of thread 'handle_client'; no lock is held [mapsafe-unsynchronized-write]
  // CHECK-NEXT: struct-through-arg.c:[[L_insert]]:3: note: the same write (g_hash_table_insert) runs concurrently in another instance of thread 'handle_client'
  // CHECK-NEXT: struct-through-arg.c:[[L_spawn]]:5: note: thread 'handle_client' is started here by the main thread, with many instances running at once
  // CHECK-NEXT: struct-through-arg.c:[[L_new_struct_server_sessions]]:18: note: 'struct server.sessions' is created here: a GHashTable from pointer keys to struct session * values
#ifdef FIXED
  pthread_mutex_unlock(&srv->lock);
#endif
  return NULL;
}

int main(void) {
  struct server srv;
  pthread_t clients[16];
  srv.port = 8080;
  srv.sessions = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free); // L:new_struct_server_sessions
  pthread_mutex_init(&srv.lock, NULL);
  for (int i = 0; i < 16; i++)
    pthread_create(&clients[i], NULL, handle_client, &srv); // L:spawn
  for (int i = 0; i < 16; i++)
    pthread_join(clients[i], NULL);
  g_hash_table_destroy(srv.sessions);
  return 0;
}
