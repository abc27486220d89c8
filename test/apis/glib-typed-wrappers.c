// Typed GHashTable wrappers in the shape of rtpengine's lib/containers.h:
// a macro declares a union holding the GHashTable (`ht`) beside members
// that only carry the key and value types, and the t_hash_table_* macros
// declare their temporaries with typeof of those members.  Messages and the
// graph show what the user wrote: the map is named by the user's own field
// (`struct call_monologue.media_ids`, not the macro's `union media_id_ht.ht`),
// the same map whether reached through a struct pointer or a pointer to the
// wrapper, and the key and value types are the types the typeof names
// (`str *`), typedefs kept.  A union the user wrote keeps its own name.
// Buggy twin: the adder inserts without the monologue's lock; fixed twin:
// it holds it.
//
// RUN: rm -rf %t && mkdir -p %t && cd %S
// RUN: %mapsafe_check %s --config="{CheckOptions: {mapsafe.GraphDir: '%t'}}" -- %glib_cflags -pthread
// RUN: FileCheck %s --check-prefix=JSON --input-file=%t/glib-typed-wrappers.c.mapsafe.json
// RUN: %mapsafe_check %s --prefix=FIXED -- %glib_cflags -pthread -DFIXED
// With -DTWO, a wrapper of the same type is also a field of another struct:
// the union's `ht` is one object for both (a field is one map for all
// instances), so neither user's name fits it and it keeps the macro's.
// RUN: %mapsafe_check %s --prefix=TWO -- %glib_cflags -pthread -DTWO

// CHECK: glib-typed-wrappers.c:[[L_insert]]:3: warning: unsynchronized write to map 'struct call_monologue.media_ids' (g_hash_table_insert) can race with a read in thread 'finder'; no lock is held [mapsafe-unsynchronized-write]
// CHECK-NEXT: glib-typed-wrappers.c:[[L_lookup]]:10: note: conflicting read (g_hash_table_lookup) in thread 'finder'
// CHECK-NEXT: glib-typed-wrappers.c:[[L_lock]]:3: note: 'struct call_monologue.lock', acquired here, protects the conflicting access but is not held at the reported one
// CHECK-NEXT: glib-typed-wrappers.c:[[L_spawn_finder]]:3: note: thread 'finder' is started here by the main thread
// CHECK-NEXT: glib-typed-wrappers.c:[[L_spawn_adder]]:3: note: thread 'adder' is started here by the main thread
// CHECK-NEXT: glib-typed-wrappers.c:[[L_call]]:7: note: 'find_media' is called from 'finder' here
// CHECK-NEXT: glib-typed-wrappers.c:[[L_create]]:28: note: 'struct call_monologue.media_ids' is created here: a GHashTable from str * keys to struct call_media * values
// FIXED-NOT: {{.}}
// TWO:      glib-typed-wrappers.c:[[L_insert]]:3: warning: unsynchronized write to map 'union media_id_ht.ht' (g_hash_table_insert) can race with a read in thread 'finder'; no lock is held [mapsafe-unsynchronized-write]
// TWO-NEXT: glib-typed-wrappers.c:[[L_lookup]]:10: note: conflicting read (g_hash_table_lookup) in thread 'finder'
// TWO-NEXT: glib-typed-wrappers.c:[[L_lock]]:3: note: 'struct call_monologue.lock', acquired here, protects the conflicting access but is not held at the reported one
// TWO-NEXT: glib-typed-wrappers.c:[[L_spawn_finder]]:3: note: thread 'finder' is started here by the main thread
// TWO-NEXT: glib-typed-wrappers.c:[[L_spawn_adder]]:3: note: thread 'adder' is started here by the main thread
// TWO-NEXT: glib-typed-wrappers.c:[[L_call]]:7: note: 'find_media' is called from 'finder' here
// TWO-NEXT: glib-typed-wrappers.c:[[L_create]]:28: note: 'union media_id_ht.ht' is created here: a GHashTable from str * keys to struct call_media * values

// The graph names both maps as the messages do, with the same types.
// JSON: "name": "struct call_monologue.media_ids",
// JSON: "key_type": "str *",
// JSON-NEXT: "value_type": "struct call_media *"
// JSON: "name": "union plain_ht.ht",
// JSON: "key_type": "str *",
// JSON-NEXT: "value_type": "struct call_media *"

#include <glib.h>
#include <pthread.h>

typedef struct { char *s; gsize len; } str;

static guint str_hash(const void *p) { return g_str_hash(((const str *)p)->s); }
static gboolean str_equal(const void *a, const void *b) {
  return g_str_equal(((const str *)a)->s, ((const str *)b)->s);
}

#define TYPED_GHASHTABLE_PROTO(type_name, key_type, value_type) \
  typedef union type_name type_name; \
  union type_name { \
    GHashTable *ht; \
    type_name *self; \
    /* unused members to store the contained types */ \
    key_type *__key; \
    const key_type *__ckey; \
    value_type *__value; \
  };

#define t_hash_table_insert(h, k, v) ({ \
    __typeof__((h).__key) __k = k; \
    __typeof__((h).__value) __v = v; \
    g_hash_table_insert((h).ht, __k, __v); \
  })

#define t_hash_table_lookup(h, k) ({ \
    typeof((h).__ckey) __k = k; \
    typeof((h).__value) __r = g_hash_table_lookup((h).ht, __k); \
    __r; \
  })

struct call_media { int index; };
TYPED_GHASHTABLE_PROTO(media_id_ht, str, struct call_media)

// Written by the user, not by a macro: named as it is.
union plain_ht {
  GHashTable *ht;
  str *key;
};

struct call_monologue {
  media_id_ht media_ids;
  union plain_ht by_label;
  GMutex lock;
};

static struct call_monologue monologue;

#ifdef TWO
struct call {
  media_id_ht medias;
};
static struct call call;
#endif

static void *adder(void *arg) {
  struct call_monologue *ml = &monologue;
  str *id = arg;
  struct call_media *m = g_new0(struct call_media, 1);
#ifdef FIXED
  g_mutex_lock(&ml->lock);
#endif
  t_hash_table_insert(ml->media_ids, id, m); // L:insert
#ifdef FIXED
  g_mutex_unlock(&ml->lock);
#endif
  g_mutex_lock(&ml->lock);
  g_hash_table_insert(ml->by_label.ht, id, m);
#ifdef TWO
  t_hash_table_insert(call.medias, id, m);
#endif
  g_mutex_unlock(&ml->lock);
  return NULL;
}

// Through a pointer to the wrapper: the same map.
static struct call_media *find_media(media_id_ht *ids, const str *id) {
  return t_hash_table_lookup(*ids, id); // L:lookup
}

static void *finder(void *arg) {
  struct call_monologue *ml = &monologue;
  struct call_media *m;
  g_mutex_lock(&ml->lock); // L:lock
  m = find_media(&ml->media_ids, arg); // L:call
  g_mutex_unlock(&ml->lock);
  g_mutex_lock(&ml->lock);
  m = g_hash_table_lookup(ml->by_label.ht, arg);
  g_mutex_unlock(&ml->lock);
  return m;
}

int main(void) {
  static str key = {"audio", 5};
  pthread_t a, f;
  monologue.media_ids.ht = g_hash_table_new(str_hash, str_equal); // L:create
  monologue.by_label.ht = g_hash_table_new(str_hash, str_equal);
  pthread_create(&a, NULL, adder, &key); // L:spawn_adder
  pthread_create(&f, NULL, finder, &key); // L:spawn_finder
  pthread_join(a, NULL);
  pthread_join(f, NULL);
  return 0;
}
