/* SPDX-License-Identifier: MIT */
/*
 * Test rig: a context, an emulated world with one module at 0x50 (from a profile or a memory
 * image), the bus over its segment and the lb_module. Optionally the bus goes through a
 * "test-flaky" driver that NACKs a chosen transaction, to fail a plan half way.
 */
#ifndef LB_TEST_EMU_RIG_H
#define LB_TEST_EMU_RIG_H

#include <stdbool.h>
#include <stdint.h>
#include <lightbridge/lightbridge.h>

/* What the flaky driver reads on every transfer; the test changes it between calls. */
struct lb_test_rig;
struct lb_test_flaky {
	struct lb_emu_segment *seg;
	struct lb_test_rig *rig;
	uint64_t count;      /* transfers seen */
	uint64_t nack_at;    /* NACK transfers from this number on (1-based); 0 = never */
	uint64_t nack_len;   /* how many in a row (0 = 1); a NACK right after a write is retried */
	/*
	 * A byte corrupted on the wire: the next corrupt_left reads that cover byte address
	 * corrupt_addr (128-255) while the module has page corrupt_page selected deliver it with
	 * its bits flipped by corrupt_xor (0: 0x40). The module's memory is untouched.
	 */
	unsigned corrupt_left;
	uint8_t corrupt_page, corrupt_addr, corrupt_xor;
};

struct lb_test_rig;
/** Runs after every sleep the library takes on the rig's clock. */
typedef void (*lb_test_sleep_hook)(struct lb_test_rig *r, uint64_t ns);

struct lb_test_rig {
	struct lb_ctx *ctx;
	struct lb_emu_world *world;
	struct lb_emu_segment *seg;
	struct lb_emu_module *emu;
	struct lb_bus *bus;
	struct lb_module *m;
	struct lb_test_flaky flaky;
	lb_test_sleep_hook hook; /* set by the test after the rig is up, or NULL */
	unsigned sleeps;         /* sleeps the library took */
	uint8_t poke_state;      /* free for a hook's own use */
};

/*
 * The bus runs on the segment's virtual time through the rig (now = segment time, sleep =
 * advance the segment, count, then the hook), so a test can act in the middle of a wait.
 * The rig must stay where it is (on the test's stack) while it is up.
 */
/** Profile by name (emulator/profiles/NAME.json under $LB_DATADIR or src_dir). */
void lb_test_rig_profile(struct lb_test_rig *r, const char *src_dir, const char *name,
			 uint32_t khz, bool flaky);
/**
 * A variant of profile name: its text with insert put before the first occurrence of find,
 * written to a new file under /tmp whose path goes to path (the caller unlinks it).
 */
void lb_test_profile_variant(const char *src_dir, const char *name, const char *find,
			     const char *insert, char *path, size_t len);
/** Profile by its file's path (a test's own variant of a profile). */
void lb_test_rig_profile_file(struct lb_test_rig *r, const char *path, uint32_t khz, bool flaky);
/** Memory image file (the shared text dumps). */
void lb_test_rig_image(struct lb_test_rig *r, const char *path, uint32_t khz, bool flaky);
void lb_test_rig_down(struct lb_test_rig *r);
/** Bus counters since the last reset. */
struct lb_bus_stats lb_test_rig_stats(struct lb_test_rig *r);

#endif
