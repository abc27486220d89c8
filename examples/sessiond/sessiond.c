/*
 * sessiond: a small session server, the example mapsafe runs on.
 *
 * Worker threads accept requests and keep a table of sessions; a reaper
 * thread expires old sessions; a stats thread reports the table size.  The
 * configuration table is filled before any thread starts and only read
 * afterwards.  Three of the accesses below are races mapsafe reports.
 */
#include <glib.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#define NWORKERS 4

struct session {
  char *user;
  time_t last_seen;
  int requests;
};

struct server {
  GHashTable *sessions; /* token -> struct session *, under lock */
  pthread_mutex_t lock;
  GHashTable *config;   /* filled before the threads start */
  int running;
};

static GHashTable *stats;   /* counter name -> count, under stats_lock */
static pthread_mutex_t stats_lock = PTHREAD_MUTEX_INITIALIZER;

static void server_lock(struct server *srv) { pthread_mutex_lock(&srv->lock); }
static void server_unlock(struct server *srv) { pthread_mutex_unlock(&srv->lock); }

static void count(const char *what) {
  pthread_mutex_lock(&stats_lock);
  gpointer n = g_hash_table_lookup(stats, what);
  g_hash_table_replace(stats, (gpointer)what, GINT_TO_POINTER(GPOINTER_TO_INT(n) + 1));
  pthread_mutex_unlock(&stats_lock);
}

static struct session *login(struct server *srv, const char *token, const char *user) {
  struct session *s = g_new0(struct session, 1);
  s->user = g_strdup(user);
  s->last_seen = time(NULL);
  server_lock(srv);
  g_hash_table_replace(srv->sessions, g_strdup(token), s);
  server_unlock(srv);
  count("login");
  return s;
}

static void touch(struct server *srv, const char *token) {
  server_lock(srv);
  struct session *s = g_hash_table_lookup(srv->sessions, token);
  server_unlock(srv);
  if (s) {
    s->last_seen = time(NULL); /* the value escapes the lock (a later check) */
    s->requests++;
  }
}

static void *worker(void *arg) {
  struct server *srv = arg;
  char token[32], user[32];
  for (int i = 0; srv->running && i < 1000; i++) {
    snprintf(token, sizeof token, "t%d", i % 64);
    snprintf(user, sizeof user, "user%d", i % 7);
    const char *max = g_hash_table_lookup(srv->config, "max_sessions");
    /* Bug: the size is read without the server lock. */
    if (max && g_hash_table_size(srv->sessions) >= (guint)atoi(max))
      continue;
    if (i % 3 == 0)
      login(srv, token, user);
    else
      touch(srv, token);
  }
  return NULL;
}

static gboolean expired(gpointer key, gpointer value, gpointer now) {
  (void)key;
  const struct session *s = value;
  return s->last_seen + 60 < *(time_t *)now;
}

static void *reaper(void *arg) {
  struct server *srv = arg;
  while (srv->running) {
    time_t now = time(NULL);
    /* Bug: expiring sessions without the server lock. */
    guint n = g_hash_table_foreach_remove(srv->sessions, expired, &now);
    if (n)
      count("expired");
    usleep(1000);
  }
  return NULL;
}

static void *reporter(void *arg) {
  (void)arg;
  for (int i = 0; i < 10; i++) {
    /* Bug: reading the counters without stats_lock. */
    gpointer logins = g_hash_table_lookup(stats, "login");
    printf("logins: %d\n", GPOINTER_TO_INT(logins));
    usleep(1000);
  }
  return NULL;
}

int main(void) {
  struct server srv;
  pthread_t workers[NWORKERS], reap, report;

  srv.sessions = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  srv.config = g_hash_table_new(g_str_hash, g_str_equal);
  pthread_mutex_init(&srv.lock, NULL);
  srv.running = 1;
  stats = g_hash_table_new(g_str_hash, g_str_equal);

  /* Single-threaded set-up: no lock needed yet. */
  g_hash_table_insert(srv.config, "max_sessions", "1000");
  g_hash_table_insert(srv.config, "idle_timeout", "60");

  for (int i = 0; i < NWORKERS; i++)
    pthread_create(&workers[i], NULL, worker, &srv);
  pthread_create(&reap, NULL, reaper, &srv);
  pthread_create(&report, NULL, reporter, NULL);

  for (int i = 0; i < NWORKERS; i++)
    pthread_join(workers[i], NULL);
  srv.running = 0;
  pthread_join(reap, NULL);
  pthread_join(report, NULL);

  /* Single-threaded again. */
  printf("%u sessions left\n", g_hash_table_size(srv.sessions));
  g_hash_table_destroy(srv.sessions);
  g_hash_table_destroy(srv.config);
  g_hash_table_destroy(stats);
  return 0;
}
