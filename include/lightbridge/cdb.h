/* SPDX-License-Identifier: MIT */
/*
 * CDB, the module's command channel (CMIS 5.4 section 9; docs/cdb.md): the advertisement,
 * one command run to completion, and the generic queries. Firmware management, which is made
 * of CDB commands, is lightbridge/firmware.h.
 *
 * A command is written with its header last in the way the module advertises (01h:165.7:
 * the command ID in a write of its own, or the whole block in one write where the module
 * starts at any write that includes byte 129), its CdbChkCode computed here, EPL data placed
 * in pages A0h-AFh first. Completion is read from CdbStatus (lower byte 37): in background
 * mode (01h:163.5) by polling it; in foreground mode the module may NACK every access until
 * it is done, which is taken as busy, never as an error, until the advertised max busy time.
 * Waits are bounded by what the module advertises and run on the bus's clock (virtual time on
 * the emulator); there is no fixed sleep. The reply's length and RPLChkCode are verified.
 *
 * Only CDB instance 1 (bank 0 of page 9Fh) is used, as every deployed host does.
 *
 * Threads: as for the module (lightbridge/module.h). A command holds the bus for its writes
 * and for each poll, not for the wait in between; a caller that must keep other users of the
 * module out for a sequence of commands holds the module's claim (lb_module_request).
 */
#ifndef LIGHTBRIDGE_CDB_H
#define LIGHTBRIDGE_CDB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <lightbridge/common.h>

LB_BEGIN_DECLS

struct lb_module;

/** What the module advertises of CDB (01h:163-166). Sized (common.h). */
struct lb_cdb_caps {
	size_t size;
	unsigned instances;        /* 0 (no CDB), 1 or 2 */
	bool background;           /* 163.5: pollable while a command runs */
	bool auto_paging;          /* 163.4: EPL writes run on from page to page */
	unsigned epl_pages;        /* 0-16 EPL pages (A0h...) */
	unsigned max_write_9f;     /* bytes one write to page 9Fh may carry (8..128) */
	unsigned max_write_epl;    /* bytes one write to an EPL page may carry (8..128) */
	bool trigger_any_write;    /* 165.7: any write that includes byte 129 starts the command */
	uint32_t max_busy_ms;      /* tCDBB: 166.6-0, or 165.4-0 x 160 ms when 166.7 says so */
};
#define LB_CDB_CAPS_SIZE_V1 LB_SIZE_THROUGH(struct lb_cdb_caps, max_busy_ms)

/**
 * The module's CDB advertisement, from the advertisement the access layer keeps (no bus traffic
 * once it is read). LB_E_NOTSUP when the module has no CDB (instances 0, or not CMIS 4.0 or
 * later); LB_E_UNKNOWN_ID for a module that is not CMIS.
 */
LB_API int lb_module_cdb_caps(struct lb_module *m, struct lb_cdb_caps *out);

/** One command for lb_module_cdb_run. Sized, filled by the caller (common.h). */
struct lb_cdb_cmd {
	size_t size;
	uint16_t id;            /* command ID (0000h query status, 0100h get firmware info, ...) */
	const uint8_t *lpl;     /* request payload for bytes 136..., or NULL */
	uint8_t lpl_len;        /* 0-120 */
	const uint8_t *epl;     /* extended payload placed in A0h... before the command, or NULL */
	uint16_t epl_len;       /* 0 up to 128 x the advertised EPL pages */
	/*
	 * Longest the command may take, ms, from the trigger to a completed CdbStatus: 0 means
	 * the module's advertised max busy time (the right bound for the generic queries);
	 * firmware commands pass their advertised durations (lightbridge/firmware.h does).
	 */
	uint32_t timeout_ms;
};
#define LB_CDB_CMD_SIZE_V1 LB_SIZE_THROUGH(struct lb_cdb_cmd, timeout_ms)

/** The outcome of a command. Sized (common.h). */
struct lb_cdb_reply {
	size_t size;
	uint8_t status;         /* CdbStatus as read at completion (01h: success) */
	uint8_t len;            /* reply bytes in data (RPLLength, 0-120) */
	uint8_t data[120];      /* the reply payload from byte 136 on */
	uint64_t elapsed_ns;    /* bus-clock time from the trigger to the completed status */
};
#define LB_CDB_REPLY_SIZE_V1 LB_SIZE_THROUGH(struct lb_cdb_reply, elapsed_ns)

/**
 * Run one command to completion. reply may be NULL when the command has none to give.
 * LB_OK: CdbStatus says success (reply filled, its check code verified).
 * LB_E_CDB: the module says the command failed; reply->status holds the code and the detail
 *   names it ("CDB command 0101h failed: 0x45 CdbChkCode error").
 * LB_E_BUSY: another command (one a call gave up on, or another host's) still ran after the
 *   module's max busy time (tCDBB), waited for before this one is written: nothing was written.
 * LB_E_TIMEOUT: still busy (or still NACKing) past the bound; the detail says which.
 * LB_E_CHECKSUM: the reply's RPLChkCode does not match its bytes (reply->data as read).
 * LB_E_RANGE: lpl_len above 120 or epl_len above what the module advertises, nothing written.
 * LB_E_NOTSUP: no CDB. LB_E_INVAL: bad arguments. Bus errors as for lb_module_read.
 */
LB_API int lb_module_cdb_run(struct lb_module *m, const struct lb_cdb_cmd *cmd,
			     struct lb_cdb_reply *reply);

/** Name of a CdbStatus byte ("success", "busy: executing", "failed: CdbChkCode error"). */
LB_API const char *lb_cdb_status_name(uint8_t status);

/**
 * CdbChkCode of a command block: bytes 128..135+lpl_len with 133-135 taken as 0, the ones'
 * complement of the low byte of their sum. block[0] is byte 128. Pure.
 */
LB_API uint8_t lb_cdb_check_code(const uint8_t *block, size_t len);

/** Query status (0000h). */
struct lb_cdb_query {
	size_t size;
	uint8_t length;            /* reply byte 136 */
	uint8_t password_status;   /* 137: 00h boot-up, 01h host password, 1xxxxxxxb module's */
};
#define LB_CDB_QUERY_SIZE_V1 LB_SIZE_THROUGH(struct lb_cdb_query, password_status)
/** Run Query status with ResponseDelay response_delay_ms (0: as fast as the module can). */
LB_API int lb_module_cdb_query(struct lb_module *m, uint16_t response_delay_ms,
			       struct lb_cdb_query *out);

/**
 * Enter a password (0001h) for a module that wants one before it takes other commands (it
 * fails them with 46h, "password error"), then Query status (0000h) to see it taken.
 * LB_OK: accepted (Query status shows a host or module password). LB_E_PERM: the module
 * refused it (46h), or answered but Query status shows none accepted. Other statuses as for
 * lb_module_cdb_run. Not kept by the library: a module forgets it at reset, enter it again.
 */
LB_API int lb_module_cdb_password(struct lb_module *m, uint32_t password);

/** Module features (0040h). */
struct lb_cdb_features {
	size_t size;
	uint8_t supported[32];       /* bit (i mod 8) of byte i/8: command i (0000h-00FFh) */
	uint16_t max_completion_ms;  /* the longest any supported command takes */
};
#define LB_CDB_FEATURES_SIZE_V1 LB_SIZE_THROUGH(struct lb_cdb_features, max_completion_ms)
LB_API int lb_module_cdb_features(struct lb_module *m, struct lb_cdb_features *out);

LB_END_DECLS
#endif
