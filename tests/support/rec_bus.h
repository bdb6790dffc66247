/* SPDX-License-Identifier: MIT */
/*
 * A recording bus driver for tests ("test-rec"): every transfer is logged (address, what it
 * wrote and read, its status, the thread that made it) before it is passed to an emulated
 * segment, or, without a segment, acknowledged by a fake bus whose reads return zeros. A
 * hook runs before each transfer and may fail it (a NACK at a chosen point). Without a
 * segment the bus runs on a virtual clock of its own, so waits cost no real time.
 */
#ifndef LB_TEST_REC_BUS_H
#define LB_TEST_REC_BUS_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <lightbridge/lightbridge.h>

struct lb_test_rec_xfer {
	uint16_t addr;
	bool read;          /* a combined transfer that reads */
	uint8_t first;      /* first byte written: the byte address, or a mux's control byte */
	uint16_t len;       /* bytes read, or bytes written after the first */
	uint8_t data[128];  /* the bytes written after the first (up to 128) */
	int rc;
	bool sel_read_back; /* the read carried a read-back of the select bytes before it */
	pthread_t thread;
};

struct lb_test_rec;
/** Runs before each transfer, in the caller's thread: LB_OK lets it through, else its status. */
typedef int (*lb_test_rec_hook)(struct lb_test_rec *r, const struct lb_i2c_msg *msgs, unsigned n);

struct lb_test_rec {
	struct lb_emu_segment *seg; /* NULL: the fake bus */
	size_t max_write;           /* largest write message (offset byte included); 0: 256 */
	lb_test_rec_hook hook;      /* or NULL */
	void *user;                 /* the hook's own */
	uint64_t now_ns;            /* the fake bus's virtual clock */
	struct lb_test_rec_xfer *log;
	unsigned n, cap;
};

/** Register the driver (once per context) and open a bus over r, which must stay in place. */
void lb_test_rec_open(struct lb_ctx *ctx, struct lb_test_rec *r, struct lb_bus **out);
/** Forget the log. */
void lb_test_rec_clear(struct lb_test_rec *r);
/** Free the log (after the bus is closed). */
void lb_test_rec_free(struct lb_test_rec *r);
/** Print the log to stderr (for a failing test). */
void lb_test_rec_dump(const struct lb_test_rec *r);

/* A context, an emulated world and segment (400 kHz) seen through the recording driver. */
#define LB_TEST_REC_RIG_MAX 4
struct lb_test_rec_rig {
	struct lb_ctx *ctx;
	struct lb_emu_world *world;
	struct lb_emu_segment *seg;
	struct lb_emu_module *emu[LB_TEST_REC_RIG_MAX];
	struct lb_bus *bus;
	struct lb_module *m[LB_TEST_REC_RIG_MAX];
	struct lb_test_rec rec;
};
/**
 * Modules of profile (emulator/profiles/NAME.json) at 0x50, 0x51, ... directly on the
 * segment, their advertisement read; then the log and the bus counters are cleared.
 */
void lb_test_rec_rig_up(struct lb_test_rec_rig *r, const char *src_dir, const char *profile,
			unsigned modules);
void lb_test_rec_rig_down(struct lb_test_rec_rig *r);

#endif
