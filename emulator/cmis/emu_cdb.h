/* SPDX-License-Identifier: MIT */
/* Internal to the emulator: the CDB command engine (page_cdb.c) and its commands (cdb_cmds.c). */
#ifndef LB_EMU_CDB_H
#define LB_EMU_CDB_H

#include <stdbool.h>
#include <stdint.h>
#include "emulator/cmis/emu_module.h"

#define EMU_CDB_STATUS 37 /* CdbStatus of instance 1, lower memory */
#define EMU_CDB_ABORT 0x0004u

/* Timings of the model, ms (what 0040h and 0041h advertise follows them). */
#define EMU_CDB_CAPTURE_MS 1u      /* trigger to captured */
#define EMU_CDB_QUERY_MS 2u        /* a query's processing */
#define EMU_CDB_FW_START_MS 200u   /* 0041h's advertised maximum durations */
#define EMU_CDB_FW_ABORT_MS 100u
#define EMU_CDB_FW_WRITE_MS 50u
#define EMU_CDB_FW_COMPLETE_MS 1000u
#define EMU_CDB_FW_HEADER 16u      /* vendor header bytes sent with 0101h */
#define EMU_FW_HEADER_SIZE 16u
#define EMU_FW_MAX_BODY (16u << 20) /* the largest image body the model stores */
#define EMU_CDB_FW_COPY_MS 2000u
#define EMU_CDB_SLOW_MS 20000u     /* LB_EMU_FAULT_CDB_SLOW: past any advertised duration */
/* Flash programming when the profile says nothing (its "cdb" object's model keys). */
#define EMU_FW_FLASH_BLOCK 2048u
#define EMU_FW_FLASH_BLOCK_US 3000u
#define EMU_FW_WRITE_OVERHEAD_US 200u

enum emu_cdb_phase { EMU_CDB_IDLE = 0, EMU_CDB_CAPTURED, EMU_CDB_EXECUTING };

/* One firmware image slot (0100h). */
struct emu_fw_image {
	bool valid;
	uint8_t major, minor;
	uint16_t build;
	char extra[32];
};

/* The page handler's private state: the command in flight and the module's firmware. */
struct emu_cdb {
	/* the write under way on 9Fh (bank 0): the byte addresses it covered */
	bool in_write;
	uint8_t write_first, write_last;
	/* the command in flight */
	enum emu_cdb_phase phase;
	uint8_t block[128];     /* 9Fh:128-255 as captured */
	uint64_t started, due;  /* trigger time; when the current phase ends */
	unsigned stuck;         /* injected: the next commands never complete */
	bool password_ok;       /* a host password was entered since power-on */
	/* timings */
	uint64_t capture_ns;    /* trigger to captured (the hold-off in background mode) */
	uint64_t query_ns;      /* processing time of a query (0000h, 0040h, 0041h, 0100h) */
	/* firmware: images A, B and factory; which one runs and which one boots */
	bool fw_known;          /* images set (once: flash survives resets) */
	struct emu_fw_image image[3];
	int running, committed; /* 0 A, 1 B, 2 factory */
	int boot_next;          /* the image the next power-on starts (Run), -1: the committed one */
	/* a download (0101h .. 0107h) */
	bool in_transfer;
	int target;             /* the image written: the one not running */
	uint8_t header[EMU_FW_HEADER_SIZE];
	uint32_t body_len;      /* image bytes after the header */
	uint8_t *body;          /* body_len bytes, erased (FFh) at Start */
	uint64_t run_at;        /* Run: when the module resets into the new image (0: none) */
	int body_bank;          /* the bank body holds (read-back), -1: none */
	/* injected: the next replies carry a wrong RPLChkCode; the next commands run slow */
	unsigned bad_reply, slow;
};

/* ---- cdb_fw.c: the firmware commands ---- */
/* The profile's firmware model, or the defaults. */
struct emu_cdb_model emu_cdb_model_of(const struct lb_emu_module *m);
/* 0101h-010Ah: run at the end of the command's processing; the CdbStatus result. */
uint8_t emu_fw_command(struct lb_emu_module *m, struct emu_cdb *c, uint16_t id);
/* Processing time of a firmware command, ns. */
uint64_t emu_fw_command_ns(const struct lb_emu_module *m, const struct emu_cdb *c, uint16_t id);
/* The image a power-on boots, and what lower 39-40 and 01h:128-129 show of the images. */
void emu_fw_power_on(struct lb_emu_module *m, struct emu_cdb *c);
void emu_fw_release(struct emu_cdb *c);

/* Bytes the advertised EPL pages hold (cdb_cmds.c). */
unsigned emu_cdb_epl_bytes(const struct lb_emu_module *m);
/* Write an LPL reply of n bytes (RPLLength, RPLChkCode, data) into 9Fh (cdb_cmds.c). */
void emu_cdb_reply(struct lb_emu_module *m, const uint8_t *data, unsigned n);
/* A captured command starts executing: how long it takes, ns (cdb_cmds.c). */
uint64_t emu_cdb_begin(struct lb_emu_module *m, struct emu_cdb *c);
/* It is done: write the reply into 9Fh, act, and return the CdbStatus result. */
uint8_t emu_cdb_finish(struct lb_emu_module *m, struct emu_cdb *c);
/* Abort (0004h) of the background command in flight. */
void emu_cdb_abort(struct lb_emu_module *m, struct emu_cdb *c);
/* A command ended (any result): count it and its time (lb_emu_module_get_cdb_stats). */
void emu_cdb_measure_done(struct lb_emu_module *m, const struct emu_cdb *c);
/* The CDB state of a module (page_cdb.c), NULL when its 9Fh is not the CDB handler's. */
struct emu_cdb *emu_cdb_of(struct lb_emu_module *m);
/* LB_EMU_FAULT_CDB_* (page_cdb.c): LB_E_NOTSUP on a module without CDB. */
int emu_cdb_inject(struct lb_emu_module *m, enum lb_emu_fault fault, unsigned count);
/* Power-on: nothing in flight, CdbStatus 0, timings and firmware from the defaults. */
void emu_cdb_power_on(struct lb_emu_module *m, struct emu_cdb *c);

#endif
