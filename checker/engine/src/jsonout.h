/*
** Building JSON with jansson, checked (internal): facts_json.c and graph.c.
** Every helper returns nonzero on failure (also when a value is NULL: it
** could not be made), so that failures can be or'ed together and the
** object dropped with done().
*/
#ifndef MAPSAFE_JSONOUT_H
#define MAPSAFE_JSONOUT_H

#include <jansson.h>

/* Sets obj[key] = val, taking val. */
static inline int ms__put(json_t *obj, const char *key, json_t *val) {
  return json_object_set_new(obj, key, val) != 0;
}

/* Appends val to arr, taking val. */
static inline int ms__push(json_t *arr, json_t *val) { return json_array_append_new(arr, val) != 0; }

/* Returns obj, or NULL (releasing it) if building it failed. */
static inline json_t *ms__done(json_t *obj, int failed) {
  if (failed) {
    json_decref(obj);
    return NULL;
  }
  return obj;
}

#endif /* MAPSAFE_JSONOUT_H */
