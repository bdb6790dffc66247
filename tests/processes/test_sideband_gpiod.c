/* SPDX-License-Identifier: MIT */
/*
 * The gpiod sideband driver. No GPIO chip can be served here (no gpio-sim or gpio-mockup
 * kernel module; umockdev ships no GPIO chardev ioctl support, and its scriptable ioctl hook
 * would have to hand out the line-request fds the v1 uAPI returns), so the OS edge is mocked: the test links with -Wl,--wrap for every libgpiod call, and a fake chip answers
 * them with per-line physical levels and edge-event pipes. Also the options' request plan.
 */
#include <errno.h>
#include <gpiod.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <lightbridge/lightbridge.h>
#include <lightbridge/sideband.h>
#include "drivers/sideband/gpiod/gpiod_config.h"

/* ---- a fake chip behind the wrapped libgpiod calls ---- */

#define FAKE_LINES 16

struct gpiod_chip {
	int open;
};

struct gpiod_line {
	unsigned offset;
	char name[32];
	int requested;     /* 0 no, 1 output, 2 events */
	int active_low;
	int phys;          /* electrical level */
	int pipe[2];       /* edge events */
	char consumer[32];
};

static struct gpiod_chip fake_chip;
static struct gpiod_line fake_line[FAKE_LINES];
static char fake_chip_name[64] = "gpiochip7";

static void fake_reset(void)
{
	memset(&fake_chip, 0, sizeof(fake_chip));
	for (unsigned i = 0; i < FAKE_LINES; i++) {
		if (fake_line[i].pipe[0] > 0) {
			close(fake_line[i].pipe[0]);
			close(fake_line[i].pipe[1]);
		}
		memset(&fake_line[i], 0, sizeof(fake_line[i]));
		fake_line[i].offset = i;
		fake_line[i].phys = 1; /* pulled up: every active-low signal deasserted */
		snprintf(fake_line[i].name, sizeof(fake_line[i].name), "LINE%u", i);
	}
	snprintf(fake_line[9].name, sizeof(fake_line[9].name), "QSFP1_INT_L");
}

/* The "hardware" moves a module output: an edge event when the line is watched. */
static void fake_drive(unsigned offset, int phys)
{
	struct gpiod_line *l = &fake_line[offset];
	if (l->phys == phys)
		return;
	l->phys = phys;
	if (l->requested == 2) {
		char e = (char)((phys ^ l->active_low) ? 'r' : 'f');
		assert_int_equal(write(l->pipe[1], &e, 1), 1);
	}
}

struct gpiod_chip *__wrap_gpiod_chip_open_lookup(const char *descr);
struct gpiod_chip *__wrap_gpiod_chip_open_lookup(const char *descr)
{
	if (strcmp(descr, fake_chip_name) != 0 && strcmp(descr, "7") != 0) {
		errno = ENOENT;
		return NULL;
	}
	fake_chip.open++;
	return &fake_chip;
}

void __wrap_gpiod_chip_close(struct gpiod_chip *chip);
void __wrap_gpiod_chip_close(struct gpiod_chip *chip)
{
	chip->open--;
}

struct gpiod_line *__wrap_gpiod_chip_get_line(struct gpiod_chip *chip, unsigned int offset);
struct gpiod_line *__wrap_gpiod_chip_get_line(struct gpiod_chip *chip, unsigned int offset)
{
	(void)chip;
	if (offset >= FAKE_LINES) {
		errno = EINVAL;
		return NULL;
	}
	return &fake_line[offset];
}

struct gpiod_line *__wrap_gpiod_chip_find_line(struct gpiod_chip *chip, const char *name);
struct gpiod_line *__wrap_gpiod_chip_find_line(struct gpiod_chip *chip, const char *name)
{
	(void)chip;
	for (unsigned i = 0; i < FAKE_LINES; i++)
		if (strcmp(fake_line[i].name, name) == 0)
			return &fake_line[i];
	errno = ENOENT;
	return NULL;
}

static int claim(struct gpiod_line *l, const char *consumer, int flags, int kind)
{
	if (l->requested) {
		errno = EBUSY;
		return -1;
	}
	l->requested = kind;
	l->active_low = (flags & GPIOD_LINE_REQUEST_FLAG_ACTIVE_LOW) ? 1 : 0;
	snprintf(l->consumer, sizeof(l->consumer), "%s", consumer);
	return 0;
}

int __wrap_gpiod_line_request_output_flags(struct gpiod_line *line, const char *consumer, int flags,
					   int default_val);
int __wrap_gpiod_line_request_output_flags(struct gpiod_line *line, const char *consumer, int flags,
					   int default_val)
{
	if (claim(line, consumer, flags, 1))
		return -1;
	line->phys = default_val ^ line->active_low;
	return 0;
}

int __wrap_gpiod_line_request_both_edges_events_flags(struct gpiod_line *line, const char *consumer,
						      int flags);
int __wrap_gpiod_line_request_both_edges_events_flags(struct gpiod_line *line, const char *consumer,
						      int flags)
{
	if (claim(line, consumer, flags, 2))
		return -1;
	return pipe(line->pipe);
}

void __wrap_gpiod_line_release(struct gpiod_line *line);
void __wrap_gpiod_line_release(struct gpiod_line *line)
{
	if (line->requested == 2) {
		close(line->pipe[0]);
		close(line->pipe[1]);
		line->pipe[0] = line->pipe[1] = 0;
	}
	line->requested = 0;
}

int __wrap_gpiod_line_set_value(struct gpiod_line *line, int value);
int __wrap_gpiod_line_set_value(struct gpiod_line *line, int value)
{
	if (line->requested != 1) {
		errno = EPERM;
		return -1;
	}
	line->phys = (value ? 1 : 0) ^ line->active_low;
	return 0;
}

int __wrap_gpiod_line_get_value(struct gpiod_line *line);
int __wrap_gpiod_line_get_value(struct gpiod_line *line)
{
	return line->phys ^ line->active_low;
}

int __wrap_gpiod_line_event_get_fd(struct gpiod_line *line);
int __wrap_gpiod_line_event_get_fd(struct gpiod_line *line)
{
	return line->requested == 2 ? line->pipe[0] : -1;
}

int __wrap_gpiod_line_event_read(struct gpiod_line *line, struct gpiod_line_event *event);
int __wrap_gpiod_line_event_read(struct gpiod_line *line, struct gpiod_line_event *event)
{
	char e;
	if (read(line->pipe[0], &e, 1) != 1)
		return -1;
	memset(event, 0, sizeof(*event));
	event->event_type = e == 'r' ? GPIOD_LINE_EVENT_RISING_EDGE : GPIOD_LINE_EVENT_FALLING_EDGE;
	return 0;
}

/* ---- tests ---- */

static const char *opts =
	"{\"chip\": \"gpiochip7\", \"lines\": {\"resetl\": 3, \"lpmode\": 4, \"modsell\": 5,"
	" \"modprsl\": 6, \"intl\": \"QSFP1_INT_L\"}, \"active_low\": true}";

/* The plan from options text, parsed as lb_sideband_open() parses it; the reason into err. */
static int gpiod_sb_parse_text(const char *json, struct gpiod_sb_cfg *c, char *err, size_t n)
{
	struct lb_options *o;
	int rc = lb_options_parse(json, NULL, &o, err, n);
	if (rc)
		return rc;
	rc = gpiod_sb_parse(o, c);
	snprintf(err, n, "%s", lb_options_error(o));
	lb_options_free(o);
	return rc;
}

static void test_request_plan(void **state)
{
	(void)state;
	struct gpiod_sb_cfg c;
	char err[256];
	assert_int_equal(gpiod_sb_parse_text(opts, &c, err, sizeof(err)), LB_OK);
	assert_string_equal(c.chip, "gpiochip7");
	assert_string_equal(c.consumer, "lightbridge");
	assert_true(c.line[LB_SB_RESETL].used && c.line[LB_SB_RESETL].output);
	assert_int_equal(c.line[LB_SB_RESETL].offset, 3);
	assert_true(c.line[LB_SB_RESETL].active_low);
	assert_int_equal(c.line[LB_SB_RESETL].initial, 0);   /* module running */
	assert_false(c.line[LB_SB_LPMODE].active_low);       /* LPMode is active-high */
	assert_int_equal(c.line[LB_SB_LPMODE].initial, 0);   /* high power allowed */
	assert_int_equal(c.line[LB_SB_MODSELL].initial, 1);  /* selected */
	assert_false(c.line[LB_SB_MODPRSL].output);
	assert_true(c.line[LB_SB_INTL].by_name);
	assert_string_equal(c.line[LB_SB_INTL].name, "QSFP1_INT_L");
	/* inverted board, per-line polarity, initial levels, chip by number */
	assert_int_equal(gpiod_sb_parse_text("{\"chip\": 0, \"lines\": {\"intl\": 1, \"lpmode\": 2},"
					" \"active_low\": {\"intl\": false, \"lpmode\": true},"
					" \"initial\": {\"lpmode\": true}}", &c, err, sizeof(err)), LB_OK);
	assert_string_equal(c.chip, "0");
	assert_false(c.line[LB_SB_INTL].active_low);
	assert_true(c.line[LB_SB_LPMODE].active_low);
	assert_int_equal(c.line[LB_SB_LPMODE].initial, 1);
	assert_false(c.line[LB_SB_RESETL].used);
	assert_int_equal(gpiod_sb_parse_text("{\"chip\": 0, \"lines\": {}, \"active_low\": false}", &c, err,
					sizeof(err)), LB_OK);
	assert_false(c.line[LB_SB_MODPRSL].active_low);
	assert_false(c.line[LB_SB_LPMODE].active_low);
	/* mistakes, each with its reason */
	static const struct {
		const char *json;
		int status;
		const char *why;
	} bad[] = {
		{ "{\"lines\": {}}", LB_E_PARSE, "(options): chip: missing, or not a name, path or number" },
		{ "{\"chip\": \"c\"}", LB_E_PARSE, "(options): lines: missing" },
		{ "{\"chip\": \"c\", \"lines\": {\"reset\": 1}}", LB_E_PARSE,
		  "(options): lines.reset: unknown field" },
		{ "{\"chip\": \"c\", \"lines\": {\"intl\": -1}}", LB_E_RANGE,
		  "(options): lines.intl: -1 is out of range 0..65535" },
		{ "{\"chip\": \"c\", \"lines\": {\"intl\": true}}", LB_E_PARSE,
		  "(options): lines.intl: not a line offset (0-65535) or a line name" },
		{ "{\"chip\": \"c\", \"lines\": {}, \"active_low\": 1}", LB_E_PARSE,
		  "(options): active_low: not a boolean or an object of booleans" },
		{ "{\"chip\": \"c\", \"lines\": {}, \"active_low\": {\"intl\": 0}}", LB_E_PARSE,
		  "(options): active_low.intl: not true or false" },
		{ "{\"chip\": \"c\", \"lines\": {}, \"initial\": {\"intl\": true}}", LB_E_PARSE,
		  "(options): initial.intl: unknown field" },
		{ "{\"chip\": \"c\", \"lines\": {}, \"colour\": 1}", LB_E_PARSE,
		  "(options): colour: unknown field" },
		{ "[1]", LB_E_PARSE, "(options): (top): not a JSON object" },
	};
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = 0;
		assert_int_equal(gpiod_sb_parse_text(bad[i].json, &c, err, sizeof(err)), bad[i].status);
		assert_string_equal(err, bad[i].why);
	}
}

static bool readable(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	return poll(&p, 1, 0) == 1;
}

static void test_driver_through_libgpiod(void **state)
{
	(void)state;
	fake_reset();
	struct lb_ctx *ctx;
	struct lb_sideband *sb;
	assert_int_equal(lb_ctx_create(&ctx), LB_OK);
	int rc = lb_sideband_open(ctx, "gpiod", opts, NULL, &sb);
	if (rc)
		fprintf(stderr, "open: %s\n", lb_ctx_last_error(ctx));
	assert_int_equal(rc, LB_OK);
	assert_int_equal(fake_chip.open, 1);
	/* requests as planned: outputs at their initial electrical levels */
	assert_int_equal(fake_line[3].requested, 1);
	assert_int_equal(fake_line[3].phys, 1);   /* ResetL high: not in reset */
	assert_int_equal(fake_line[4].phys, 0);   /* LPMode low */
	assert_int_equal(fake_line[5].phys, 0);   /* ModSelL low: selected */
	assert_int_equal(fake_line[6].requested, 2);
	assert_int_equal(fake_line[9].requested, 2);
	assert_string_equal(fake_line[9].consumer, "lightbridge");
	/* set: asserted ResetL is a low level */
	assert_int_equal(lb_sideband_set(sb, LB_SB_RESETL, true), LB_OK);
	assert_int_equal(fake_line[3].phys, 0);
	assert_int_equal(lb_sideband_set(sb, LB_SB_RESETL, false), LB_OK);
	assert_int_equal(fake_line[3].phys, 1);
	assert_int_equal(lb_sideband_set(sb, LB_SB_LPMODE, true), LB_OK);
	assert_int_equal(fake_line[4].phys, 1);
	bool v;
	assert_int_equal(lb_sideband_get(sb, LB_SB_LPMODE, &v), LB_OK);
	assert_true(v);
	/* presence: pulled-up ModPrsL means empty */
	assert_int_equal(lb_sideband_present(sb, &v), LB_OK);
	assert_false(v);
	int fd = lb_sideband_event_fd(sb);
	assert_true(fd >= 0);
	assert_false(readable(fd));
	struct lb_sideband_event ev = LB_SIDEBAND_EVENT_INIT;
	/* a module goes in: ModPrsL falls */
	fake_drive(6, 0);
	assert_true(readable(fd));
	assert_int_equal(lb_sideband_read_event(sb, &ev), LB_OK);
	assert_int_equal(ev.type, LB_SB_EVENT_INSERTED);
	assert_int_equal(lb_sideband_read_event(sb, &ev), LB_E_NOTFOUND);
	assert_false(readable(fd));
	/* IntL asserts: an interrupt event; no module bound, so no flags (and it says so) */
	fake_drive(9, 0);
	assert_true(readable(fd));
	assert_int_equal(lb_sideband_read_event(sb, &ev), LB_OK);
	assert_int_equal(ev.type, LB_SB_EVENT_INTERRUPT);
	assert_int_equal(ev.flags_status, LB_E_NOTSUP);
	/* a bounce that is back before we look is no event */
	fake_drive(9, 1);
	fake_drive(9, 0);
	assert_true(readable(fd));
	assert_int_equal(lb_sideband_read_event(sb, &ev), LB_E_NOTFOUND);
	assert_false(readable(fd));
	/* released, and the level read back says so */
	fake_drive(9, 1);
	assert_int_equal(lb_sideband_read_event(sb, &ev), LB_OK);
	assert_int_equal(ev.type, LB_SB_EVENT_INTERRUPT_CLEARED);
	assert_int_equal(lb_sideband_read_event(sb, &ev), LB_E_NOTFOUND);
	/* removal */
	fake_drive(6, 1);
	assert_int_equal(lb_sideband_read_event(sb, &ev), LB_OK);
	assert_int_equal(ev.type, LB_SB_EVENT_REMOVED);
	lb_sideband_close(sb);
	for (unsigned i = 0; i < FAKE_LINES; i++)
		assert_int_equal(fake_line[i].requested, 0);
	assert_int_equal(fake_chip.open, 0);

	/* a line taken by someone else: the open fails and releases what it took */
	fake_line[6].requested = 1;
	assert_int_equal(lb_sideband_open(ctx, "gpiod", opts, NULL, &sb), LB_E_BUSY);
	assert_int_equal(fake_line[3].requested, 0);
	assert_int_equal(fake_chip.open, 0);
	fake_line[6].requested = 0;
	/* no such chip */
	assert_int_equal(lb_sideband_open(ctx, "gpiod", "{\"chip\": \"gpiochip99\", \"lines\": {}}", NULL, &sb),
			 LB_E_NOTFOUND);
	lb_ctx_destroy(ctx);
	fake_reset();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_request_plan),
		cmocka_unit_test(test_driver_through_libgpiod),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
