/* SPDX-License-Identifier: MIT */
/*
 * Page handlers: a handler of the test's own, installed over page 9Fh, shows every part of
 * the table at work through the wire: access classes per byte range, a write hook, a hook at
 * the end of the write, a hook before reads, a timer on the module's virtual clock (it runs
 * on time without host traffic, so IntL follows), and power-on. It is a toy CDB: writing the
 * command ID makes the module busy (byte 37 = 0x81) for 5 ms, then done (0x01, flag 8.6).
 */
#include "emu_fixture.h"
#include "emulator/cmis/emu_page.h"

#define TOY_BUSY_NS (5 * MS_NS)

struct toy {
	bool cmd_written; /* this write reached 9Fh:129 (command ID, low byte) */
	bool busy;
	uint64_t done_at;
	unsigned reads;   /* bytes the host read from the page */
	unsigned power_ons;
};

static const struct emu_range toy_ranges[] = {
	{ 130, 130, EMU_WO },
	{ 131, 131, EMU_RO },
	{ 132, 132, EMU_COR },
};

static void toy_write(struct lb_emu_module *m, void *priv, const struct emu_io *io, uint8_t addr,
		      uint8_t value)
{
	(void)m;
	(void)value;
	struct toy *t = priv;
	assert_int_equal(io->page, 0x9F);
	if (addr == 129)
		t->cmd_written = true;
}

static void toy_write_done(struct lb_emu_module *m, void *priv, const struct emu_io *io)
{
	(void)io;
	struct toy *t = priv;
	if (!t->cmd_written)
		return;
	t->cmd_written = false;
	t->busy = true;
	t->done_at = m->t + TOY_BUSY_NS;
	m->mem.lower[37] = 0x81; /* busy: in progress */
}

static void toy_before_read(struct lb_emu_module *m, void *priv, const struct emu_io *io,
			    uint8_t addr, size_t n)
{
	(void)m;
	(void)io;
	(void)addr;
	((struct toy *)priv)->reads += (unsigned)n;
}

static uint8_t toy_flag_level(const struct lb_emu_module *m, unsigned bank, uint8_t addr)
{
	(void)m;
	(void)bank;
	return addr == 132 ? 0x10 : 0; /* bit 4's condition still holds */
}

static uint64_t toy_next_deadline(const struct lb_emu_module *m, const void *priv)
{
	(void)m;
	const struct toy *t = priv;
	return t->busy ? t->done_at : UINT64_MAX;
}

static void toy_run(struct lb_emu_module *m, void *priv)
{
	struct toy *t = priv;
	assert_int_equal(m->t, t->done_at); /* called at its deadline, not later */
	t->busy = false;
	m->mem.lower[37] = 0x01; /* success */
	m->mem.lower[8] |= 0x40; /* CDB command complete: a latched module flag */
}

static void toy_power_on(struct lb_emu_module *m, void *priv)
{
	(void)m;
	struct toy *t = priv;
	t->busy = false;
	t->power_ons++;
}

static const struct emu_page_handler toy = {
	.name = "toy-cdb",
	.first_page = 0x9F,
	.last_page = 0x9F,
	.access = EMU_RW,
	EMU_RANGES(toy_ranges),
	.priv_size = sizeof(struct toy),
	.write = toy_write,
	.write_done = toy_write_done,
	.before_read = toy_before_read,
	.flag_level = toy_flag_level,
	.next_deadline = toy_next_deadline,
	.run = toy_run,
	.power_on = toy_power_on,
};

static struct toy *toy_of(struct lb_emu_module *m)
{
	struct emu_page_slot *sl = emu_pages_slot(m, 0x9F);
	assert_ptr_equal(sl->h, &toy);
	return sl->priv;
}

static void test_handler_timer_and_hooks(void **state)
{
	(void)state;
	struct emu_fx fx;
	fx_open(&fx, EMU_PROFILE("coherent-800g-qsfpdd")); /* one CDB instance: page 9Fh */
	assert_int_equal(emu_pages_add(fx.m, &toy), LB_OK);
	struct toy *t = toy_of(fx.m);

	emu_sel(fx.s, 0, 0x9F);
	uint8_t cmd[2] = { 0x00, 0x40 }; /* 0040h, module features */
	uint64_t start = lb_emu_segment_now_ns(fx.s);
	assert_int_equal(emu_wr(fx.s, 128, cmd, 2), LB_OK);
	assert_true(t->busy);
	assert_int_equal(t->done_at, start + TOY_BUSY_NS); /* from the write, which acts at its start */
	assert_int_equal(emu_rd1(fx.s, 37), 0x81);
	assert_int_equal(lb_emu_module_intl(fx.m), 0);

	/* The timer fires at its deadline with no host traffic: the segment runs the module. */
	lb_emu_segment_advance_ns(fx.s, t->done_at - 1 - lb_emu_segment_now_ns(fx.s));
	assert_true(t->busy);
	assert_int_equal(lb_emu_module_intl(fx.m), 0);
	lb_emu_segment_advance_ns(fx.s, 1);
	assert_false(t->busy);
	assert_int_equal(lb_emu_module_intl(fx.m), 1); /* 8.6 latched, unmasked */
	assert_int_equal(emu_rd1(fx.s, 37), 0x01);
	assert_int_equal(emu_rd1(fx.s, 8) & 0x40, 0x40);
	assert_int_equal(emu_rd1(fx.s, 8) & 0x40, 0x00); /* clear-on-read, as every lower flag */
	fx_close(&fx);
}

static void test_handler_access_classes(void **state)
{
	(void)state;
	struct emu_fx fx;
	fx_open(&fx, EMU_PROFILE("coherent-800g-qsfpdd"));
	assert_int_equal(emu_pages_add(fx.m, &toy), LB_OK);
	struct toy *t = toy_of(fx.m);
	uint8_t v = 0x5A;
	assert_int_equal(lb_emu_module_poke(fx.m, 0, 0x9F, 131, &v, 1), LB_OK);
	v = 0x31;
	assert_int_equal(lb_emu_module_poke(fx.m, 0, 0x9F, 132, &v, 1), LB_OK);

	emu_sel(fx.s, 0, 0x9F);
	uint8_t w[4] = { 0x11, 0x22, 0x33, 0x44 }; /* 130 WO, 131 RO, 132 COR, 133 RW */
	assert_int_equal(emu_wr(fx.s, 130, w, 4), LB_OK);
	uint8_t r[4];
	unsigned reads = t->reads;
	assert_int_equal(emu_rd(fx.s, 130, r, 4), LB_OK);
	assert_int_equal(t->reads - reads, 4); /* before_read saw the whole read */
	assert_int_equal(r[0], 0x00);          /* write-only reads 0 */
	assert_int_equal(r[1], 0x5A);          /* read-only kept its byte */
	assert_int_equal(r[2], 0x31);          /* clear-on-read: the latched bits ... */
	assert_int_equal(r[3], 0x44);          /* read-write stored */
	assert_int_equal(emu_rd1(fx.s, 132), 0x10); /* ... then only the level that holds */
	assert_false(t->busy); /* the write did not reach the command ID */

	/* Page 9Fh keeps its CDB write length (the handler has no max_write: 8 bytes). */
	uint8_t nine[9] = { 0 };
	assert_int_equal(emu_wr(fx.s, 136, nine, 9), LB_E_NACK);
	fx_close(&fx);
}

static void test_handler_power_on(void **state)
{
	(void)state;
	struct emu_fx fx;
	fx_open(&fx, EMU_PROFILE("coherent-800g-qsfpdd"));
	assert_int_equal(emu_pages_add(fx.m, &toy), LB_OK);
	struct toy *t = toy_of(fx.m);
	emu_sel(fx.s, 0, 0x9F);
	uint8_t cmd[2] = { 0x00, 0x40 };
	assert_int_equal(emu_wr(fx.s, 128, cmd, 2), LB_OK);
	assert_true(t->busy);
	emu_wr1(fx.s, 26, 0x08); /* SoftwareReset */
	struct lb_emu_timing tm;
	lb_emu_module_get_timing(fx.m, &tm);
	lb_emu_segment_advance_ns(fx.s, tm.reset_ns);
	assert_int_equal(t->power_ons, 1);
	assert_false(t->busy);
	fx_close(&fx);
}

/* The built-in table: which handler serves which page of a module with every kind. */
static void test_builtin_table(void **state)
{
	(void)state;
	struct emu_fx fx;
	fx_open(&fx, EMU_PROFILE("coherent-800g-qsfpdd"));
	static const struct { int page; const char *name; } want[] = {
		{ EMU_LOWER, "lower" },      { 0x00, "read-only" },   { 0x01, "read-only" },
		{ 0x03, "user-eeprom" },     { 0x10, "lane-controls" }, { 0x11, "lane-status" },
		{ 0x12, "tuning" },          { 0x24, "vdm-samples" }, { 0x27, "vdm-samples" },
		{ 0x28, "read-only" },       { 0x2C, "vdm-flags" },   { 0x2D, "vdm-masks" },
		{ 0x2F, "vdm-control" },     { 0x31, "ccmis-config" }, { 0x33, "ccmis-flags" },
		{ 0x34, "ccmis-pm" },        { 0x35, "ccmis-pm" },    { 0x38, "ccmis-masks" }, { 0x9F, "cdb" },
		{ 0xA7, "cdb" },             { 0xB0, "custom" },      { 0xFF, "custom" },
	};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		assert_string_equal(emu_pages_slot(fx.m, want[i].page)->h->name, want[i].name);
	/*
	 * Timers count only on pages the module has: the control sets' (10h), tuning's (12h), the
	 * VDM freeze's (2Fh), CDB's.
	 */
	assert_int_equal(fx.m->pages.ntimed, 4);
	assert_string_equal(fx.m->pages.slot[fx.m->pages.timed[0]].h->name, "lane-controls");
	assert_string_equal(fx.m->pages.slot[fx.m->pages.timed[1]].h->name, "tuning");
	assert_string_equal(fx.m->pages.slot[fx.m->pages.timed[2]].h->name, "vdm-control");
	assert_string_equal(fx.m->pages.slot[fx.m->pages.timed[3]].h->name, "cdb");
	fx_close(&fx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_handler_timer_and_hooks),
		cmocka_unit_test(test_handler_access_classes),
		cmocka_unit_test(test_handler_power_on),
		cmocka_unit_test(test_builtin_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
