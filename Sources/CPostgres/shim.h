#ifndef TENANTSYNC_CPOSTGRES_SHIM_H
#define TENANTSYNC_CPOSTGRES_SHIM_H

#include <libpq-fe.h>

/// Error field codes are character-literal macros, which Swift does not import.
static inline int cpostgres_diag_sqlstate(void) { return PG_DIAG_SQLSTATE; }

#endif
