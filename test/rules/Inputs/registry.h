/* An in-house connection registry: a self-locking table of connections,
 * and a lookup that returns the connection with its own lock held. */
#ifndef REGISTRY_H
#define REGISTRY_H
#include <glib.h>
#include <pthread.h>

struct conn {
  pthread_mutex_t lock;
  GHashTable *headers;
};

struct registry;
/* Lock the registry internally. */
struct conn *registry_find(struct registry *r, int id);
void registry_add(struct registry *r, int id, struct conn *c);
/* Returns the connection with c->lock held, or NULL. */
struct conn *registry_lookup_locked(struct registry *r, int id);
#endif
