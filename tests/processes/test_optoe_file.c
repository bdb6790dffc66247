/* SPDX-License-Identifier: MIT */
/* optoe bus driver against a temporary file laid out as optoe pages; the layout functions. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <lightbridge/lightbridge.h>
#include <lightbridge/optoe.h>

/* The byte stored at (bank, page, byte) in the synthetic file. */
static uint8_t pattern(unsigned bank, unsigned page, unsigned byte)
{
	return (uint8_t)(byte * 7u + page * 13u + bank * 101u + 1u);
}

struct fx {
	char path[64];
	struct lb_ctx *ctx;
	struct lb_bus *bus;
	struct lb_module *mod;
};

static void put(int fd, enum lb_optoe_banking layout, unsigned bank, unsigned page, const uint8_t *b)
{
	off_t at = lb_optoe_offset(layout, (uint8_t)bank, (uint8_t)page, 128);
	assert_true(at > 0);
	assert_int_equal(pwrite(fd, b, 128, at), 128);
}

static int make_file(struct fx *f, enum lb_optoe_banking layout)
{
	snprintf(f->path, sizeof(f->path), "/tmp/lb-optoe-XXXXXX");
	int fd = mkstemp(f->path);
	assert_true(fd >= 0);
	uint8_t lower[128], pg[128];
	for (unsigned i = 0; i < 128; i++)
		lower[i] = pattern(0, 0, i);
	lower[0] = 0x18;  /* QSFP-DD */
	lower[1] = 0x52;  /* CMIS 5.2 */
	lower[2] = 0x00;  /* paged */
	lower[126] = lower[127] = 0;
	assert_int_equal(pwrite(fd, lower, 128, 0), 128);
	static const unsigned pages[] = { 0x00, 0x01, 0x02, 0x10, 0x11 };
	for (unsigned bank = 0; bank < 2; bank++) {
		for (unsigned k = 0; k < sizeof(pages) / sizeof(pages[0]); k++) {
			unsigned p = pages[k];
			if (bank && p < 0x10)
				continue;
			for (unsigned i = 0; i < 128; i++)
				pg[i] = pattern(bank, p, 128 + i);
			if (p == 0x01) {
				pg[142 - 128] = 0x01; /* banks 0-1 */
				pg[251 - 128] = 0x02; /* full-page reads */
				pg[163 - 128] = 0x00; /* no CDB */
				pg[155 - 128] = 0x00;
				pg[145 - 128] = 0x00;
			}
			put(fd, layout, bank, p, pg);
		}
	}
	close(fd);
	return 0;
}

static int open_fx(struct fx *f, const char *banking)
{
	char opts[256];
	snprintf(opts, sizeof(opts), "{\"path\": \"%s\", \"banking\": \"%s\"}", f->path, banking);
	assert_int_equal(lb_ctx_create(&f->ctx), LB_OK);
	assert_int_equal(lb_bus_open(f->ctx, "optoe", opts, NULL, &f->bus), LB_OK);
	assert_int_equal(lb_module_open(f->bus, NULL, &f->mod), LB_OK);
	return 0;
}

static void close_fx(struct fx *f)
{
	lb_module_close(f->mod);
	lb_bus_close(f->bus);
	lb_ctx_destroy(f->ctx);
	unlink(f->path);
}

static void check_page(struct fx *f, unsigned bank, unsigned page)
{
	uint8_t buf[128];
	assert_int_equal(lb_module_read_page(f->mod, (uint8_t)bank, (uint8_t)page, false, buf), LB_OK);
	for (unsigned i = 0; i < 128; i++) {
		if (page == 0x01 && (i + 128 == 142 || i + 128 == 251 || i + 128 == 163 ||
				     i + 128 == 155 || i + 128 == 145))
			continue;
		assert_int_equal(buf[i], pattern(bank, page, 128 + i));
	}
}

static void test_layout(void **state)
{
	(void)state;
	assert_int_equal(lb_optoe_offset(LB_OPTOE_BANKING_OPTOE, 0, 0, 5), 5);
	assert_int_equal(lb_optoe_offset(LB_OPTOE_BANKING_OPTOE, 0, 0, 128), 128);
	assert_int_equal(lb_optoe_offset(LB_OPTOE_BANKING_OPTOE, 0, 0x11, 130), 128 * 0x12 + 2);
	assert_int_equal(lb_optoe_offset(LB_OPTOE_BANKING_OPTOE, 0, 0xFF, 255), 128 * 257 - 1);
	/* banking patch: bank 1 page 10h directly follows bank 0 page FFh */
	assert_int_equal(lb_optoe_offset(LB_OPTOE_BANKING_OPTOE, 1, 0x10, 128), 128 * 257);
	assert_int_equal(lb_optoe_offset(LB_OPTOE_BANKING_OPTOE, 2, 0x10, 128), 128 * (257 + 240));
	assert_int_equal(lb_optoe_offset(LB_OPTOE_BANKING_OPTOE, 1, 0x01, 128), -1);
	assert_int_equal(lb_optoe_offset(LB_OPTOE_BANKING_SONIC, 1, 0x10, 128), 128 * (256 + 0x10 + 1));
	assert_int_equal(lb_optoe_offset(LB_OPTOE_BANKING_NONE, 1, 0x10, 128), -1);
	/* inverse, over every address of 4 banks */
	for (int layout = LB_OPTOE_BANKING_OPTOE; layout <= LB_OPTOE_BANKING_SONIC; layout++) {
		for (unsigned bank = 0; bank < 4; bank++) {
			for (unsigned page = bank ? 0x10 : 0; page < 256; page++) {
				for (unsigned byte = 0; byte < 256; byte += 37) {
					if (bank && byte < 128)
						continue;
					off_t at = lb_optoe_offset((enum lb_optoe_banking)layout, (uint8_t)bank,
								(uint8_t)page, (uint8_t)byte);
					uint8_t b, p, y;
					assert_true(lb_optoe_address((enum lb_optoe_banking)layout, 4, at, &b, &p, &y));
					assert_int_equal(y, byte);
					if (byte >= 128) {
						assert_int_equal(b, bank);
						assert_int_equal(p, page);
					}
				}
			}
		}
	}
	uint8_t b, p, y;
	assert_false(lb_optoe_address(LB_OPTOE_BANKING_OPTOE, 2, 128 * (257 + 240), &b, &p, &y));
	enum lb_optoe_banking l = LB_OPTOE_BANKING_NONE;
	assert_int_equal(lb_optoe_banking_from_name("sonic", &l), LB_OK);
	assert_int_equal(l, LB_OPTOE_BANKING_SONIC);
	assert_int_equal(lb_optoe_banking_from_name("bogus", &l), LB_E_INVAL);
	assert_int_equal(lb_optoe_banking_from_name(NULL, &l), LB_E_INVAL);
	assert_int_equal(l, LB_OPTOE_BANKING_SONIC);
	assert_string_equal(lb_optoe_banking_name(LB_OPTOE_BANKING_OPTOE), "optoe");
	assert_string_equal(lb_optoe_banking_name((enum lb_optoe_banking)7), "unknown");
	assert_int_equal(lb_optoe_offset((enum lb_optoe_banking)7, 0, 0, 5), -1);
	assert_false(lb_optoe_address((enum lb_optoe_banking)7, 4, 5, &b, &p, &y));
}

/*
 * The default layout is the one SONiC's optoe driver serves and sonic_xcvr reads for banks
 * 1-3 (sonic-net/SONiC doc/layer1/cmis_banking_support.md, 7.4.1: DP state 11h:128-131 at
 * 2304, 33024, 63744, 94464 in banks 0-3, offset = (bank * 240 + page) * 128 + byte).
 */
static void test_layout_matches_sonic_optoe(void **state)
{
	(void)state;
	static const int64_t dp_state_at[4] = { 2304, 33024, 63744, 94464 };
	enum lb_optoe_banking dflt = LB_OPTOE_BANKING_NONE;
	assert_int_equal(lb_optoe_banking_from_name("optoe", &dflt), LB_OK);
	for (uint8_t bank = 0; bank < 4; bank++) {
		for (uint8_t byte = 128; byte < 132; byte++) {
			int64_t at = lb_optoe_offset(dflt, bank, 0x11, byte);
			assert_int_equal(at, dp_state_at[bank] + byte - 128);
			uint8_t b, p, y;
			assert_true(lb_optoe_address(dflt, 4, at, &b, &p, &y));
			assert_int_equal(b, bank);
			assert_int_equal(p, 0x11);
			assert_int_equal(y, byte);
		}
		/* every banked page: (bank * 240 + page) * 128 + byte */
		for (unsigned page = bank ? 0x10 : 0; page < 256; page++)
			assert_int_equal(lb_optoe_offset(dflt, bank, (uint8_t)page, 200),
					 ((int64_t)bank * 240 + page) * 128 + 200);
	}
}

static void run_reads(const char *banking, enum lb_optoe_banking layout)
{
	struct fx f = { 0 };
	make_file(&f, layout);
	open_fx(&f, banking);
	uint8_t low[128];
	assert_int_equal(lb_module_read_page(f.mod, 0, 0, true, low), LB_OK);
	assert_int_equal(low[0], 0x18);
	assert_int_equal(low[5], pattern(0, 0, 5));
	check_page(&f, 0, 0x00);
	check_page(&f, 0, 0x01);
	check_page(&f, 0, 0x02);
	check_page(&f, 0, 0x11);
	check_page(&f, 1, 0x11);
	check_page(&f, 1, 0x10);
	check_page(&f, 0, 0x10);
	/* an access that spans lower and upper memory is split by the core */
	uint8_t span[16];
	assert_int_equal(lb_module_read(f.mod, 1, 0x11, 120, span, 16), LB_OK);
	assert_int_equal(span[0], pattern(0, 0, 120));
	assert_int_equal(span[8], pattern(1, 0x11, 128));
	struct lb_bus_stats st = LB_BUS_STATS_INIT;
	lb_bus_get_stats(f.bus, &st);
	assert_int_equal(st.select_writes, 0);  /* the kernel selects, never the library */
	assert_int_equal(st.max_read_len, 128); /* full-page reads advertised */
	assert_int_equal(st.errors, 0);
	assert_true(st.bus_time_ns > 0);        /* estimated */
	/* writes land at the linear offset */
	uint8_t w[4] = { 0xde, 0xad, 0xbe, 0xef };
	assert_int_equal(lb_module_write(f.mod, 1, 0x10, 200, w, 4), LB_OK);
	int fd = open(f.path, O_RDONLY);
	uint8_t back[4];
	assert_int_equal(pread(fd, back, 4, lb_optoe_offset(layout, 1, 0x10, 200)), 4);
	close(fd);
	assert_memory_equal(back, w, 4);
	close_fx(&f);
}

static void test_reads_optoe_banking(void **state)
{
	(void)state;
	run_reads("optoe", LB_OPTOE_BANKING_OPTOE);
}

static void test_reads_sonic_banking(void **state)
{
	(void)state;
	run_reads("sonic", LB_OPTOE_BANKING_SONIC);
}

static void test_errors(void **state)
{
	(void)state;
	struct lb_ctx *ctx;
	struct lb_bus *bus;
	assert_int_equal(lb_ctx_create(&ctx), LB_OK);
	assert_int_equal(lb_bus_open(ctx, "optoe", "{}", NULL, &bus), LB_E_PARSE);
	assert_int_equal(lb_bus_open(ctx, "optoe", "{\"path\": \"/x\", \"banking\": \"odd\"}", NULL, &bus),
			 LB_E_PARSE);
	/* absent file: the bus opens (a cage may appear later), accesses say no device */
	assert_int_equal(lb_bus_open(ctx, "optoe", "{\"path\": \"/nonexistent/eeprom\"}", NULL, &bus), LB_OK);
	struct lb_module *m;
	assert_int_equal(lb_module_open(bus, NULL, &m), LB_OK);
	uint8_t b;
	assert_int_equal(lb_module_read(m, 0, 0, 0, &b, 1), LB_E_NODEV);
	lb_module_close(m);
	lb_bus_close(bus);
	/* reads past the end of a short file: no such page */
	char path[] = "/tmp/lb-optoe-short-XXXXXX";
	int fd = mkstemp(path);
	uint8_t lower[256] = { 0x18, 0x52, 0x80 }; /* flat memory: lower + page 00h */
	assert_int_equal(write(fd, lower, sizeof(lower)), (ssize_t)sizeof(lower));
	close(fd);
	char opts[128];
	snprintf(opts, sizeof(opts), "{\"path\": \"%s\", \"banking\": \"none\"}", path);
	assert_int_equal(lb_bus_open(ctx, "optoe", opts, NULL, &bus), LB_OK);
	assert_int_equal(lb_module_open(bus, NULL, &m), LB_OK);
	uint8_t page[128];
	assert_int_equal(lb_module_read_page(m, 0, 0, false, page), LB_OK);
	lb_module_close(m);
	lb_bus_close(bus);
	unlink(path);
	lb_ctx_destroy(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layout),
		cmocka_unit_test(test_layout_matches_sonic_optoe),
		cmocka_unit_test(test_reads_optoe_banking),
		cmocka_unit_test(test_reads_sonic_banking),
		cmocka_unit_test(test_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
