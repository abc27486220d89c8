// uthash: a session table in a struct user list, matched as macros at the
// place they are written (HASH_FIND_STR, HASH_ADD_KEYPTR, HASH_DEL,
// HASH_ITER, HASH_COUNT).  The head pointer is the map.  The buggy twin's
// reaper walks and deletes without the lock the handlers take; the fixed
// twin takes it.  Guard inference sees the same: three functions take
// `sessions_lock` around the table, the reaper does not.
// RUN: %mapsafe_check %s -- -pthread
// RUN: %mapsafe_check %s --prefix=FIXED -- -pthread -DFIXED
// RUN: %mapsafe_check %s --prefix=GUARD --checks='-*,mapsafe-inconsistent-locking' -- -pthread
// RUN: %mapsafe_check %s --prefix=FIXED --checks='-*,mapsafe-inconsistent-locking' -- -pthread -DFIXED

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <uthash.h>

struct session {
  char id[32];
  time_t seen;
  UT_hash_handle hh;
};

static struct session *sessions = NULL;
static pthread_mutex_t sessions_lock = PTHREAD_MUTEX_INITIALIZER;

struct session *session_open(const char *id) {
  struct session *s;
  pthread_mutex_lock(&sessions_lock); // L:lock_open
  HASH_FIND_STR(sessions, id, s); // L:find
  if (!s) {
    s = calloc(1, sizeof *s);
    strncpy(s->id, id, sizeof s->id - 1);
    HASH_ADD_KEYPTR(hh, sessions, s->id, strlen(s->id), s); // L:add
  }
  s->seen = time(NULL);
  pthread_mutex_unlock(&sessions_lock);
  return s;
}

unsigned session_count(void) {
  pthread_mutex_lock(&sessions_lock);
  unsigned n = HASH_COUNT(sessions); // L:count
  pthread_mutex_unlock(&sessions_lock);
  return n;
}

static void *handler(void *arg) {
  session_open(arg); // L:call_open
  return NULL;
}

static void *reaper(void *arg) {
  time_t limit = *(time_t *)arg;
  struct session *s, *tmp;
#ifdef FIXED
  pthread_mutex_lock(&sessions_lock);
#endif
  HASH_ITER(hh, sessions, s, tmp) { // L:iter
    if (s->seen < limit) {
      HASH_DEL(sessions, s); // L:del
      free(s);
    }
  }
#ifdef FIXED
  pthread_mutex_unlock(&sessions_lock);
#endif
  return NULL;
}

int main(void) {
  pthread_t h[4], r;
  time_t limit = time(NULL) - 60;
  pthread_create(&r, NULL, reaper, &limit); // L:spawn_reaper
  for (int i = 0; i < 4; i++)
    pthread_create(&h[i], NULL, handler, "client"); // L:spawn_handler
  for (int i = 0; i < 4; i++)
    pthread_join(h[i], NULL);
  pthread_join(r, NULL);
  return session_count() > 0;
}

// CHECK: uthash-sessions.c:[[L_iter]]:3: warning: unsynchronized iteration over map 'sessions' (HASH_ITER) can race with a write in thread 'handler'; no lock is held [mapsafe-unsynchronized-read]
// CHECK-NEXT: uthash-sessions.c:[[L_add]]:5: note: conflicting write (HASH_ADD_KEYPTR) in thread 'handler'
// CHECK-NEXT: uthash-sessions.c:[[L_lock_open]]:3: note: 'sessions_lock', acquired here, protects the conflicting access but is not held at the reported one
// CHECK-NEXT: uthash-sessions.c:[[L_spawn_handler]]:5: note: thread 'handler' is started here by the main thread, with many instances running at once
// CHECK-NEXT: uthash-sessions.c:[[L_spawn_reaper]]:3: note: thread 'reaper' is started here by the main thread
// CHECK-NEXT: uthash-sessions.c:[[L_call_open]]:3: note: 'session_open' is called from 'handler' here
// CHECK-NEXT: uthash-sessions.c:[[L_del]]:7: warning: unsynchronized write to map 'sessions' (HASH_DEL) can race with a write in thread 'handler'; no lock is held [mapsafe-unsynchronized-write]
// CHECK-NEXT: uthash-sessions.c:[[L_add]]:5: note: conflicting write (HASH_ADD_KEYPTR) in thread 'handler'
// CHECK-NEXT: uthash-sessions.c:[[L_lock_open]]:3: note: 'sessions_lock', acquired here, protects the conflicting access but is not held at the reported one
// CHECK-NEXT: uthash-sessions.c:[[L_spawn_handler]]:5: note: thread 'handler' is started here by the main thread, with many instances running at once
// CHECK-NEXT: uthash-sessions.c:[[L_spawn_reaper]]:3: note: thread 'reaper' is started here by the main thread
// CHECK-NEXT: uthash-sessions.c:[[L_call_open]]:3: note: 'session_open' is called from 'handler' here

// GUARD: uthash-sessions.c:[[L_iter]]:3: warning: 'sessions' is accessed with 'sessions_lock' held in 2 of 3 functions; this iteration (HASH_ITER) does not hold it [mapsafe-inconsistent-locking]
// GUARD-NEXT: uthash-sessions.c:[[L_find]]:3: note: 'sessions_lock' is held here
// GUARD-NEXT: uthash-sessions.c:[[L_count]]:16: note: 'sessions_lock' is held here
// GUARD-NEXT: uthash-sessions.c:[[L_add]]:5: note: conflicting write (HASH_ADD_KEYPTR) in thread 'handler'
// GUARD-NEXT: uthash-sessions.c:[[L_spawn_handler]]:5: note: thread 'handler' is started here by the main thread, with many instances running at once
// GUARD-NEXT: uthash-sessions.c:[[L_spawn_reaper]]:3: note: thread 'reaper' is started here by the main thread
// GUARD-NEXT: uthash-sessions.c:[[L_call_open]]:3: note: 'session_open' is called from 'handler' here
// GUARD-NEXT: uthash-sessions.c:[[L_del]]:7: warning: 'sessions' is accessed with 'sessions_lock' held in 2 of 3 functions; this write (HASH_DEL) does not hold it [mapsafe-inconsistent-locking]
// GUARD-NEXT: uthash-sessions.c:[[L_find]]:3: note: 'sessions_lock' is held here
// GUARD-NEXT: uthash-sessions.c:[[L_count]]:16: note: 'sessions_lock' is held here
// GUARD-NEXT: uthash-sessions.c:[[L_add]]:5: note: conflicting write (HASH_ADD_KEYPTR) in thread 'handler'
// GUARD-NEXT: uthash-sessions.c:[[L_spawn_handler]]:5: note: thread 'handler' is started here by the main thread, with many instances running at once
// GUARD-NEXT: uthash-sessions.c:[[L_spawn_reaper]]:3: note: thread 'reaper' is started here by the main thread
// GUARD-NEXT: uthash-sessions.c:[[L_call_open]]:3: note: 'session_open' is called from 'handler' here
