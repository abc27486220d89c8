/*
** Merging fact sets: several translation units form one program.
*/
#ifndef MAPSAFE_MERGE_H
#define MAPSAFE_MERGE_H

#include "mapsafe/facts.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Appends the facts of `from` to `into`: functions with the same name are
** one function (a definition wins over a declaration and brings its exit
** state), every other fact is copied with its ids remapped.  `from` is
** checked first (ms_facts_check), so a broken fact set is never half
** merged.  Returns 0 on success. */
int ms_facts_merge(ms_facts *into, const ms_facts *from, ms_error *err);

#ifdef __cplusplus
}
#endif
#endif /* MAPSAFE_MERGE_H */
