/*
** Facts as JSON: a fact set written out and read back.
**
** The format is self-describing and readable: strings are written inline
** (ids are an in-memory matter), locations as {"file","line","col"}.  Writing
** a fact set, reading it back and writing it again gives the same text: the
** reader reads whatever the writer writes.  The reader checks everything it
** reads (kinds, ranges of ids, types, then ms_facts_check) and fails with a
** message rather than building a fact set that refers outside itself.
*/
#ifndef MAPSAFE_FACTS_JSON_H
#define MAPSAFE_FACTS_JSON_H

#include "mapsafe/facts.h"

#ifdef __cplusplus
extern "C" {
#endif

#define MS_FACTS_FORMAT "mapsafe-facts"
#define MS_FACTS_VERSION 1

/* Returns malloc'ed JSON text, or NULL when memory runs out. */
char *ms_facts_to_json(const ms_facts *f);

/* Parses JSON text; NULL (and err filled) on malformed input. */
ms_facts *ms_facts_from_json(const char *text, size_t len, ms_error *err);

#ifdef __cplusplus
}
#endif
#endif /* MAPSAFE_FACTS_JSON_H */
