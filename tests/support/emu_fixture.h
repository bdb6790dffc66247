/* SPDX-License-Identifier: MIT */
/*
 * The emulator test fixture: a world with one module at 0x50 on a 400 kHz segment, and
 * host-style I/O on the segment (tests/test_emu_*.c). emu_rig.h builds the core-side rig (a
 * context, the bus, the lb_module) on this same fixture.
 */
#ifndef LB_TEST_EMU_FIXTURE_H
#define LB_TEST_EMU_FIXTURE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <lightbridge/emulator.h>

#define EMU_PROFILE(name) LB_SOURCE_DIR "/emulator/profiles/" name ".json"
#define MS_NS 1000000ull

struct emu_fx {
	struct lb_emu_world *w;
	struct lb_emu_segment *s;
	struct lb_emu_module *m;
};

/* A module from a profile (or, with image, a memory image) at 0x50 on a segment at khz. */
static inline void fx_open_ex(struct emu_fx *fx, const char *path, uint32_t khz, bool image)
{
	char err[256] = "";
	memset(fx, 0, sizeof(*fx));
	assert_int_equal(lb_emu_world_create(&fx->w), LB_OK);
	assert_int_equal(lb_emu_segment_create(fx->w, khz, &fx->s), LB_OK);
	int rc = image ? lb_emu_module_create_from_image(fx->w, path, &fx->m, err, sizeof(err))
		       : lb_emu_module_create(fx->w, path, &fx->m, err, sizeof(err));
	if (rc)
		fail_msg("%s %s: %s", image ? "image" : "profile", path, err);
	assert_int_equal(lb_emu_segment_attach(fx->s, -1, 0x50, fx->m), LB_OK);
}

static inline void fx_open(struct emu_fx *fx, const char *profile_path)
{
	fx_open_ex(fx, profile_path, 400, false);
}

static inline void fx_close(struct emu_fx *fx)
{
	lb_emu_world_destroy(fx->w);
	memset(fx, 0, sizeof(*fx));
}

/* Random read: [write offset][read n]. */
static inline int emu_rd(struct lb_emu_segment *s, uint8_t off, uint8_t *buf, uint16_t n)
{
	struct lb_i2c_msg msgs[2] = {
		{ .addr = 0x50, .flags = 0, .len = 1, .buf = &off },
		{ .addr = 0x50, .flags = LB_I2C_M_RD, .len = n, .buf = buf },
	};
	return lb_emu_segment_xfer(s, msgs, 2);
}

static inline uint8_t emu_rd1(struct lb_emu_segment *s, uint8_t off)
{
	uint8_t v = 0xEE;
	assert_int_equal(emu_rd(s, off, &v, 1), LB_OK);
	return v;
}

/* Write: [offset, data...]. */
static inline int emu_wr(struct lb_emu_segment *s, uint8_t off, const uint8_t *d, uint16_t n)
{
	uint8_t buf[260];
	buf[0] = off;
	memcpy(&buf[1], d, n);
	struct lb_i2c_msg msg = { .addr = 0x50, .flags = 0, .len = (uint16_t)(n + 1), .buf = buf };
	return lb_emu_segment_xfer(s, &msg, 1);
}

static inline void emu_wr1(struct lb_emu_segment *s, uint8_t off, uint8_t v)
{
	assert_int_equal(emu_wr(s, off, &v, 1), LB_OK);
}

/* Bank and page select in one 2-byte write at 126 (CMIS 8.2.15). */
static inline void emu_sel(struct lb_emu_segment *s, uint8_t bank, uint8_t page)
{
	uint8_t d[2] = { bank, page };
	assert_int_equal(emu_wr(s, 126, d, 2), LB_OK);
}

/* Module state as the host reads it (byte 3 bits 3-1). */
static inline int emu_host_state(struct lb_emu_segment *s)
{
	return (emu_rd1(s, 3) >> 1) & 7;
}

/* Read a page byte through select + read. */
static inline uint8_t emu_page_rd1(struct lb_emu_segment *s, uint8_t bank, uint8_t page, uint8_t off)
{
	emu_sel(s, bank, page);
	return emu_rd1(s, off);
}

#endif
