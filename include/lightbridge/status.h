/* SPDX-License-Identifier: MIT */
/* Status codes: every fallible lightbridge call returns LB_OK or one of these. */
/* Threads: lb_strerror and lb_status_name return static strings; any thread. */
#ifndef LIGHTBRIDGE_STATUS_H
#define LIGHTBRIDGE_STATUS_H

#include <lightbridge/common.h>

LB_BEGIN_DECLS

enum lb_status {
	LB_OK = 0,
	LB_E_INVAL = -1,       /* bad argument */
	LB_E_NOMEM = -2,       /* allocation failed */
	LB_E_IO = -3,          /* bus or file I/O error */
	LB_E_NACK = -4,        /* the device did not acknowledge */
	LB_E_TIMEOUT = -5,     /* a bounded wait ran out */
	LB_E_NOTSUP = -6,      /* the driver or module does not support it */
	LB_E_NODEV = -7,       /* no device: absent, removed, unplugged */
	LB_E_BUSY = -8,        /* held by someone else (lock, CDB busy) */
	LB_E_CHECKSUM = -9,    /* checksum mismatch (data still decoded) */
	LB_E_PARSE = -10,      /* malformed file or JSON */
	LB_E_RANGE = -11,      /* value out of range */
	LB_E_STATE = -12,      /* not allowed in the current state */
	LB_E_REJECTED = -13,   /* the module rejected a configuration */
	LB_E_NOTFOUND = -14,   /* no such object, file or name */
	LB_E_ABI = -15,        /* plugin ABI mismatch */
	LB_E_SHORT = -16,      /* short transfer */
	LB_E_FAULT = -17,      /* the module reports ModuleFault */
	LB_E_UNKNOWN_ID = -18, /* identifier is not a CMIS module */
	LB_E_PERM = -19,       /* permission denied */
	LB_E_EXISTS = -20,     /* already exists */
	LB_E_CDB = -21,        /* a CDB command failed */
	LB_E_AGAIN = -22,      /* a stepped operation is still running: step it again later */
	LB_E_CANCELED = -23,   /* the caller cancelled the operation */
	LB_E_CHANGED = -24,    /* the module was reset or replaced behind the host's back: what
				  was known of it is dropped, call again */
};

/** Name of a status in plain words ("bus NACK"). Never NULL; unknown codes give "unknown status". */
LB_API const char *lb_strerror(int status);
/** Symbolic name of a status ("LB_E_NACK"). Never NULL. */
LB_API const char *lb_status_name(int status);

LB_END_DECLS
#endif
