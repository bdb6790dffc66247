/* SPDX-License-Identifier: MIT */
/*
 * VOQ system ports (lightbridge/voq.h) on the emulated jericho4-class switch: this switch's
 * id and cores, a local system port for every ASIC port (listed, each tied to its ASIC port
 * and following its speed), remote ones of another chip, and every rule refused whole with
 * its detail and nothing changed (neither the core's table nor the chip's registers); an NPU
 * switch has none. The table is programmed into the chip (its VOQ registers), read back by
 * another switch handle on the same chip, refused by the chip itself when a driver skips the
 * core's rules, and kept in the emulated ASIC's state file between processes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <unistd.h>
#include <cmocka.h>
#include <lightbridge/emu_asic_regs.h>
#include <lightbridge/lightbridge.h>

struct rig {
	struct lb_ctx *ctx;
	struct lb_switch *sw;
};

static void rig_open(struct rig *r, const char *profile)
{
	assert_int_equal(lb_ctx_create(&r->ctx), LB_OK);
	assert_int_equal(lb_emu_register_drivers(r->ctx), LB_OK);
	char opts[64];
	snprintf(opts, sizeof(opts), "{\"profile\": \"%s\"}", profile);
	assert_int_equal(lb_switch_open(r->ctx, "emulated", opts, NULL, &r->sw), LB_OK);
}

static void rig_close(struct rig *r)
{
	lb_switch_close(r->sw);
	lb_ctx_destroy(r->ctx);
}

static size_t count(struct lb_switch *sw)
{
	size_t n = 99;
	assert_int_equal(lb_system_port_list(sw, NULL, 0, &n), LB_OK);
	return n;
}

static uint32_t reg(struct lb_switch *sw, uint32_t addr)
{
	uint32_t v = 0xDEADBEEF;
	assert_int_equal(lb_emu_asic_read32(lb_emu_switch_asic(sw), addr, &v), LB_OK);
	return v;
}

/* A digest of what the chip's VOQ registers hold in force: identity, slots used, entries. */
static uint64_t chip_sum(struct lb_switch *sw)
{
	uint64_t h = 1469598103934665603ull;
#define MIX(x) (h = (h ^ (x)) * 1099511628211ull)
	MIX(reg(sw, LB_EMU_ASIC_VOQ_SW_LIVE_ID));
	MIX(reg(sw, LB_EMU_ASIC_VOQ_SW_LIVE_CORES));
	for (uint32_t w = 0; w < LB_EMU_ASIC_VOQ_SLOTS / 32; w++) {
		uint32_t used = reg(sw, LB_EMU_ASIC_VOQ_USED(w));
		MIX(used);
		for (uint32_t b = 0; b < 32; b++)
			for (uint32_t off = 0; (used >> b & 1) && off < 0x40; off += 4)
				if (off != LB_EMU_ASIC_VOQ_SP_CMD_STATUS)
					MIX(reg(sw, LB_EMU_ASIC_VOQ_REG(32 * w + b, off)));
	}
#undef MIX
	return h;
}

/* status and the detail, and the table unchanged (the chip's too: refused() below) */
static void refused_(struct rig *r, int status, int rc, const char *detail, size_t n)
{
	assert_int_equal(rc, status);
	if (!strstr(lb_ctx_last_error(r->ctx), detail))
		fail_msg("detail '%s' lacks '%s'", lb_ctx_last_error(r->ctx), detail);
	assert_int_equal(count(r->sw), n);
}

#define refused(r, status, call, detail, n)                                                        \
	do {                                                                                       \
		uint64_t before_ = chip_sum((r)->sw);                                              \
		refused_((r), (status), (call), (detail), (n));                                    \
		assert_true(chip_sum((r)->sw) == before_);                                         \
	} while (0)

static struct lb_system_port_config remote(uint32_t id, uint32_t sw_id, uint32_t core, uint32_t port)
{
	struct lb_system_port_config c = LB_SYSTEM_PORT_CONFIG_INIT;
	c.system_port_id = id;
	c.switch_id = sw_id;
	c.core = core;
	c.core_port = port;
	c.speed_mbps = 800000;
	c.num_voq = 8;
	return c;
}

static void test_local_and_remote(void **unused)
{
	(void)unused;
	struct rig r;
	rig_open(&r, "jericho4-class");
	struct lb_switch *sw = r.sw;
	/* nothing before this switch's identity */
	assert_int_equal(count(sw), 0);
	refused(&r, LB_E_STATE, lb_system_ports_create_local(sw, 1, NULL), "lb_voq_switch_set", 0);
	struct lb_voq_switch_config self = LB_VOQ_SWITCH_CONFIG_INIT;
	self.switch_id = 3;
	self.cores = 3; /* 512 lanes do not split in 3 */
	refused(&r, LB_E_RANGE, lb_voq_switch_set(sw, &self), "sharing the 512 lanes evenly", 0);
	self.cores = 2;
	self.switch_id = 4096;
	refused(&r, LB_E_RANGE, lb_voq_switch_set(sw, &self), "switch id 4096: at most 2047", 0);
	self.switch_id = 3;
	assert_int_equal(lb_voq_switch_set(sw, &self), LB_OK);
	struct lb_voq_switch_config got = LB_VOQ_SWITCH_CONFIG_INIT;
	assert_int_equal(lb_voq_switch_get(sw, &got), LB_OK);
	assert_int_equal(got.switch_id, 3);
	assert_int_equal(got.cores, 2);

	/* one per ASIC port: 64 of 800G at power-on */
	size_t made = 0;
	assert_int_equal(lb_system_ports_create_local(sw, 1000, &made), LB_OK);
	assert_int_equal(made, 64);
	uint32_t ids[128];
	size_t n = 0;
	assert_int_equal(lb_system_port_list(sw, ids, 128, &n), LB_OK);
	assert_int_equal(n, 64);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(ids[i], 1000 + i);
	struct lb_system_port_config c = LB_SYSTEM_PORT_CONFIG_INIT;
	assert_int_equal(lb_system_port_get(sw, 1040, &c), LB_OK);
	assert_int_equal(c.switch_id, 3);
	assert_int_equal(c.asic_port, 40);
	assert_int_equal(c.core_port, 40);
	assert_int_equal(c.core, 1); /* lanes 320-327: the second half of the chip */
	assert_int_equal(c.num_voq, 8);
	assert_int_equal(c.speed_mbps, 800000);
	assert_int_equal(lb_system_port_get(sw, 1003, &c), LB_OK);
	assert_int_equal(c.core, 0);
	/* again: every ASIC port has one, nothing more */
	assert_int_equal(lb_system_ports_create_local(sw, 5000, &made), LB_OK);
	assert_int_equal(made, 0);

	/* the local port follows its ASIC port's speed; the ASIC port cannot go while it has one */
	struct lb_asic_port_config pc = LB_ASIC_PORT_CONFIG_INIT;
	pc.speed_mbps = 1600000; /* 8 lanes of 200G, once port 63 leaves room in the capacity */
	assert_int_equal(lb_system_port_remove(sw, 1063), LB_OK);
	assert_int_equal(lb_asic_port_remove(sw, 63), LB_OK);
	assert_int_equal(lb_asic_port_set(sw, 40, &pc, LB_ASIC_PORT_SET_SPEED), LB_OK);
	assert_int_equal(lb_system_port_get(sw, 1040, &c), LB_OK);
	assert_int_equal(c.speed_mbps, 1600000);
	assert_int_equal(lb_asic_port_remove(sw, 40), LB_E_BUSY);
	assert_string_equal(lb_ctx_last_error(r.ctx),
			    "asic port 40: system port 1040 is on it (lb_system_port_remove first)");
	assert_int_equal(lb_system_port_remove(sw, 1040), LB_OK);
	assert_int_equal(count(sw), 62);
	assert_int_equal(lb_asic_port_remove(sw, 40), LB_OK);

	/* remote ports of switch 7 */
	for (uint32_t i = 0; i < 4; i++) {
		c = remote(2000 + i, 7, i % 2, i);
		assert_int_equal(lb_system_port_create(sw, &c), LB_OK);
	}
	assert_int_equal(count(sw), 66);
	assert_int_equal(lb_system_port_get(sw, 2001, &c), LB_OK);
	assert_int_equal(c.asic_port, LB_VOQ_NO_ASIC_PORT);
	assert_int_equal(c.core, 1);

	/* the rules, each refused whole */
	c = remote(2000, 8, 0, 0);
	refused(&r, LB_E_EXISTS, lb_system_port_create(sw, &c), "system port 2000: the id is taken", 66);
	c = remote(2100, 7, 1, 1);
	refused(&r, LB_E_EXISTS, lb_system_port_create(sw, &c),
		"switch 7 core 1 port 1 is system port 2001 already", 66);
	c = remote(0, 7, 0, 9);
	refused(&r, LB_E_INVAL, lb_system_port_create(sw, &c), "ids start at 1", 66);
	c = remote(2100, 7, 0, 9);
	c.num_voq = 9;
	refused(&r, LB_E_RANGE, lb_system_port_create(sw, &c), "9 VOQs: 1 to 8", 66);
	c = remote(2100, 7, 0, 9);
	c.speed_mbps = 300000;
	refused(&r, LB_E_NOTSUP, lb_system_port_create(sw, &c), "speed 300G: not a speed of", 66);
	c = remote(2100, 3, 2, 9); /* this switch has 2 cores */
	refused(&r, LB_E_RANGE, lb_system_port_create(sw, &c), "core 2: switch 3 has 2 cores", 66);
	c = remote(2100, 3, 0, 40); /* local, but ASIC port 40 is gone */
	refused(&r, LB_E_NOTFOUND, lb_system_port_create(sw, &c), "core port 40 is no asic port", 66);
	c = remote(2100, 3, 0, 5);  /* local: ASIC port 5 has system port 1005 */
	refused(&r, LB_E_EXISTS, lb_system_port_create(sw, &c), "is system port 1005 already", 66);
	assert_int_equal(lb_system_port_remove(sw, 1005), LB_OK);
	c = remote(2100, 3, 1, 5);  /* ASIC port 5 (lanes 40-47) is on core 0 */
	refused(&r, LB_E_INVAL, lb_system_port_create(sw, &c), "is on core 0, not 1", 65);
	c = remote(2100, 3, 0, 5);
	c.speed_mbps = 400000;
	refused(&r, LB_E_INVAL, lb_system_port_create(sw, &c), "speed 400000 Mb/s, asic port 5 runs 800000", 65);
	c.speed_mbps = 800000; /* right: ASIC port 5 gets its system port back by hand */
	assert_int_equal(lb_system_port_create(sw, &c), LB_OK);
	assert_int_equal(lb_system_port_get(sw, 2100, &c), LB_OK);
	assert_int_equal(c.asic_port, 5);
	/* a new ASIC port: create_local gives it one; an id taken refuses the lot */
	pc = (struct lb_asic_port_config)LB_ASIC_PORT_CONFIG_INIT;
	pc.first_lane = 320;
	pc.lane_count = 4;
	pc.speed_mbps = 400000;
	pc.fec = LB_ASIC_FEC_RS544_2XN;
	uint32_t np;
	assert_int_equal(lb_asic_port_create(sw, &pc, &np), LB_OK);
	assert_int_equal(np, 40);
	refused(&r, LB_E_EXISTS, lb_system_ports_create_local(sw, 1960, &made), "system port 2000: the id is taken", 66);
	assert_int_equal(made, 0);
	assert_int_equal(lb_system_ports_create_local(sw, 3000, &made), LB_OK);
	assert_int_equal(made, 1);
	assert_int_equal(lb_system_port_get(sw, 3040, &c), LB_OK);
	assert_int_equal(c.speed_mbps, 400000);
	assert_int_equal(c.core, 1);
	/* identity fixed while system ports exist */
	refused(&r, LB_E_STATE, lb_voq_switch_set(sw, &self), "remove them first", 67);
	/* bad arguments */
	assert_int_equal(lb_system_port_get(sw, 1, &c), LB_E_NOTFOUND);
	assert_int_equal(lb_system_port_remove(sw, 1), LB_E_NOTFOUND);
	assert_int_equal(lb_system_port_get(sw, 2100, NULL), LB_E_INVAL);
	assert_int_equal(lb_system_port_create(sw, NULL), LB_E_INVAL);
	assert_int_equal(lb_system_port_list(sw, NULL, 1, &n), LB_E_INVAL);
	struct lb_system_port_config small = { .size = 8 };
	assert_int_equal(lb_system_port_get(sw, 2100, &small), LB_E_INVAL);
	/* the list is bounded by max and still counts all */
	assert_int_equal(lb_system_port_list(sw, ids, 2, &n), LB_OK);
	assert_int_equal(n, 67);
	assert_int_equal(ids[0], 1000);

	/* in the chip: this switch, and 67 slots in use, 2100 among them as ASIC port 5's */
	assert_int_equal(reg(sw, LB_EMU_ASIC_VOQ_SW_LIVE_ID), 3);
	assert_int_equal(reg(sw, LB_EMU_ASIC_VOQ_SW_LIVE_CORES), 2);
	uint32_t in_chip = 0, slot_2100 = UINT32_MAX;
	for (uint32_t w = 0; w < LB_EMU_ASIC_VOQ_SLOTS / 32; w++)
		for (uint32_t b = 0; b < 32; b++)
			if (reg(sw, LB_EMU_ASIC_VOQ_USED(w)) >> b & 1) {
				in_chip++;
				if (reg(sw, LB_EMU_ASIC_VOQ_REG(32 * w + b, LB_EMU_ASIC_VOQ_SP_LIVE)) == 2100)
					slot_2100 = 32 * w + b;
			}
	assert_int_equal(in_chip, 67);
	assert_true(slot_2100 != UINT32_MAX);
	assert_int_equal(reg(sw, LB_EMU_ASIC_VOQ_REG(slot_2100, LB_EMU_ASIC_VOQ_SP_STATE)), 3); /* local */
	assert_int_equal(reg(sw, LB_EMU_ASIC_VOQ_REG(slot_2100, LB_EMU_ASIC_VOQ_SP_LIVE + LB_EMU_ASIC_VOQ_SP_CORE_PORT)), 5);

	/* another handle on the same chip reads the table back */
	struct lb_switch *again;
	assert_int_equal(lb_switch_open(r.ctx, "emulated", "{}", lb_emu_switch_asic(sw), &again), LB_OK);
	struct lb_voq_switch_config self2 = LB_VOQ_SWITCH_CONFIG_INIT;
	assert_int_equal(lb_voq_switch_get(again, &self2), LB_OK);
	assert_int_equal(self2.switch_id, 3);
	assert_int_equal(self2.cores, 2);
	uint32_t ids2[128];
	size_t n2 = 0;
	assert_int_equal(lb_system_port_list(sw, ids, 128, &n), LB_OK);
	assert_int_equal(lb_system_port_list(again, ids2, 128, &n2), LB_OK);
	assert_int_equal(n2, n);
	for (size_t i = 0; i < n; i++) {
		struct lb_system_port_config a = LB_SYSTEM_PORT_CONFIG_INIT, b = LB_SYSTEM_PORT_CONFIG_INIT;
		assert_int_equal(ids2[i], ids[i]);
		assert_int_equal(lb_system_port_get(sw, ids[i], &a), LB_OK);
		assert_int_equal(lb_system_port_get(again, ids[i], &b), LB_OK);
		assert_memory_equal(&a, &b, sizeof(a));
	}
	/* removed through one handle: gone from the chip */
	assert_int_equal(lb_system_port_remove(again, 2100), LB_OK);
	assert_int_equal(reg(sw, LB_EMU_ASIC_VOQ_REG(slot_2100, LB_EMU_ASIC_VOQ_SP_STATE)), 0);
	lb_switch_close(again);
	rig_close(&r);
}

/* The chip's own rules, for a driver that skips the core's: each refused, nothing changed. */
static void test_chip_refuses(void **unused)
{
	(void)unused;
	struct rig r;
	rig_open(&r, "jericho4-class");
	struct lb_emu_asic *a = lb_emu_switch_asic(r.sw);
	const uint32_t slot = 7;
	struct {
		uint32_t id, sw, core, port, speed, voqs, err;
	} rows[] = {
		{ 1, 3, 0, 0, 800000, 8, LB_EMU_ASIC_ERR_VOQ_NOSWITCH }, /* identity first */
		{ 0, 3, 0, 0, 800000, 8, LB_EMU_ASIC_ERR_VALUE },
		{ 1, 3, 2, 0, 800000, 8, LB_EMU_ASIC_ERR_VALUE },       /* core 2 of 2 */
		{ 1, 9, 0, 0, 800000, 9, LB_EMU_ASIC_ERR_VALUE },       /* 9 VOQs */
		{ 1, 9, 0, 0, 300000, 8, LB_EMU_ASIC_ERR_SPEED },
		{ 1, 3, 0, 0, 400000, 8, LB_EMU_ASIC_ERR_SPEED },       /* ASIC port 0 runs 800G */
		{ 1, 3, 1, 0, 800000, 8, LB_EMU_ASIC_ERR_NOPORT },      /* ASIC port 0 is on core 0 */
		{ 1, 3, 0, 70, 800000, 8, LB_EMU_ASIC_ERR_NOPORT },     /* no ASIC port 70 */
	};
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		if (i == 1) { /* this switch: id 3, 2 cores, through the registers */
			assert_int_equal(lb_emu_asic_write32(a, LB_EMU_ASIC_VOQ_SW_ID, 3), LB_OK);
			assert_int_equal(lb_emu_asic_write32(a, LB_EMU_ASIC_VOQ_SW_CORES, 2), LB_OK);
			assert_int_equal(lb_emu_asic_write32(a, LB_EMU_ASIC_VOQ_SW_COMMAND, 1), LB_OK);
			assert_int_equal(reg(r.sw, LB_EMU_ASIC_VOQ_SW_STATUS), 0);
		}
		uint64_t before = chip_sum(r.sw);
		const uint32_t v[] = { rows[i].id, rows[i].sw, rows[i].core, rows[i].port, rows[i].speed, rows[i].voqs };
		for (uint32_t f = 0; f < 6; f++)
			assert_int_equal(lb_emu_asic_write32(a, LB_EMU_ASIC_VOQ_REG(slot, 4 * f), v[f]), LB_OK);
		assert_int_equal(lb_emu_asic_write32(a, LB_EMU_ASIC_VOQ_REG(slot, LB_EMU_ASIC_VOQ_SP_COMMAND), 3), LB_OK);
		if (reg(r.sw, LB_EMU_ASIC_VOQ_REG(slot, LB_EMU_ASIC_VOQ_SP_CMD_STATUS)) != rows[i].err)
			fail_msg("row %zu: status %u, not %u", i,
				 reg(r.sw, LB_EMU_ASIC_VOQ_REG(slot, LB_EMU_ASIC_VOQ_SP_CMD_STATUS)), rows[i].err);
		assert_true(chip_sum(r.sw) == before);
	}
	/* a local one made by hand holds its ASIC port: the port's remove is refused (ERR_BUSY) */
	const uint32_t ok[] = { 1, 3, 0, 0, 800000, 8 };
	for (uint32_t f = 0; f < 6; f++)
		assert_int_equal(lb_emu_asic_write32(a, LB_EMU_ASIC_VOQ_REG(slot, 4 * f), ok[f]), LB_OK);
	assert_int_equal(lb_emu_asic_write32(a, LB_EMU_ASIC_VOQ_REG(slot, LB_EMU_ASIC_VOQ_SP_COMMAND), 3), LB_OK);
	assert_int_equal(reg(r.sw, LB_EMU_ASIC_VOQ_REG(slot, LB_EMU_ASIC_VOQ_SP_CMD_STATUS)), 0);
	assert_int_equal(lb_emu_asic_write32(a, LB_EMU_ASIC_PORT_REG(0, LB_EMU_ASIC_P_COMMAND), 2), LB_OK);
	assert_int_equal(reg(r.sw, LB_EMU_ASIC_PORT_REG(0, LB_EMU_ASIC_P_CMD_STATUS)), LB_EMU_ASIC_ERR_BUSY);
	assert_int_equal(reg(r.sw, LB_EMU_ASIC_PORT_REG(0, LB_EMU_ASIC_P_STATUS)) & 1, 1);
	/* the same id in another slot, identity changed while it exists: refused */
	for (uint32_t f = 0; f < 6; f++)
		assert_int_equal(lb_emu_asic_write32(a, LB_EMU_ASIC_VOQ_REG(8, 4 * f), ok[f] + (f == 1 ? 6 : 0)), LB_OK);
	assert_int_equal(lb_emu_asic_write32(a, LB_EMU_ASIC_VOQ_REG(8, LB_EMU_ASIC_VOQ_SP_COMMAND), 3), LB_OK);
	assert_int_equal(reg(r.sw, LB_EMU_ASIC_VOQ_REG(8, LB_EMU_ASIC_VOQ_SP_CMD_STATUS)), LB_EMU_ASIC_ERR_TAKEN);
	assert_int_equal(lb_emu_asic_write32(a, LB_EMU_ASIC_VOQ_SW_COMMAND, 1), LB_OK);
	assert_int_equal(reg(r.sw, LB_EMU_ASIC_VOQ_SW_STATUS), LB_EMU_ASIC_ERR_BUSY);
	rig_close(&r);
}

/* The table and this switch's identity kept in the emulated ASIC's state file. */
static void test_kept_between_processes(void **unused)
{
	(void)unused;
	char dir[64];
	snprintf(dir, sizeof(dir), "/tmp/lb-voq-state-XXXXXX");
	assert_non_null(mkdtemp(dir));
	const char *opts = "{\"profile\": \"jericho4-class\", \"name\": \"v0\"}";
	for (int round = 0; round < 2; round++) {
		struct lb_ctx *ctx;
		struct lb_switch *sw;
		assert_int_equal(lb_ctx_create(&ctx), LB_OK);
		assert_int_equal(lb_emu_register_drivers(ctx), LB_OK);
		assert_int_equal(lb_ctx_set_state_dir(ctx, dir), LB_OK);
		assert_int_equal(lb_switch_open(ctx, "emulated", opts, NULL, &sw), LB_OK);
		struct lb_voq_switch_config self = LB_VOQ_SWITCH_CONFIG_INIT;
		struct lb_system_port_config c = remote(77, 12, 3, 9);
		if (round == 0) {
			self.switch_id = 5;
			self.cores = 4;
			assert_int_equal(lb_voq_switch_set(sw, &self), LB_OK);
			size_t made;
			assert_int_equal(lb_system_ports_create_local(sw, 100, &made), LB_OK);
			assert_int_equal(lb_system_port_create(sw, &c), LB_OK);
			assert_int_equal(lb_system_port_remove(sw, 110), LB_OK);
		} else {
			assert_int_equal(lb_voq_switch_get(sw, &self), LB_OK);
			assert_int_equal(self.switch_id, 5);
			assert_int_equal(self.cores, 4);
			assert_int_equal(count(sw), 64);
			assert_int_equal(lb_system_port_get(sw, 110, &c), LB_E_NOTFOUND);
			assert_int_equal(lb_system_port_get(sw, 77, &c), LB_OK);
			assert_int_equal(c.switch_id, 12);
			assert_int_equal(c.core, 3);
			assert_int_equal(c.core_port, 9);
			assert_int_equal(c.asic_port, LB_VOQ_NO_ASIC_PORT);
			assert_int_equal(lb_system_port_get(sw, 163, &c), LB_OK);
			assert_int_equal(c.asic_port, 63);
			assert_int_equal(c.core, 3);
			assert_int_equal(lb_asic_port_remove(sw, 63), LB_E_BUSY);
		}
		lb_switch_close(sw);
		lb_ctx_destroy(ctx);
	}
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

static void test_npu_has_none(void **unused)
{
	(void)unused;
	struct rig r;
	rig_open(&r, "small");
	struct lb_voq_switch_config self = LB_VOQ_SWITCH_CONFIG_INIT;
	self.cores = 1;
	assert_int_equal(lb_voq_switch_set(r.sw, &self), LB_E_NOTSUP);
	assert_string_equal(lb_ctx_last_error(r.ctx), "system ports: switch small is not a VOQ switch");
	size_t n;
	assert_int_equal(lb_system_port_list(r.sw, NULL, 0, &n), LB_E_NOTSUP);
	assert_int_equal(lb_system_ports_create_local(r.sw, 1, &n), LB_E_NOTSUP);
	assert_int_equal(lb_asic_port_remove(r.sw, 0), LB_OK); /* no system port in the way */
	rig_close(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_local_and_remote),
		cmocka_unit_test(test_npu_has_none),
		cmocka_unit_test(test_chip_refuses),
		cmocka_unit_test(test_kept_between_processes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
