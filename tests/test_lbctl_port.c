/* SPDX-License-Identifier: MIT */
/*
 * lbctl port list|show|set|counters|clear on the embedded default platform, whose front-panel
 * ports join their cages to the lanes of an emulated Jericho-class ASIC: the map, breakouts,
 * changes refused whole with the library's detail, counters in JSON, mistakes, and the ASIC's
 * configuration kept from one lbctl process to the next (--fresh starts over); port voq, the
 * VOQ system ports the chip holds, set and kept likewise; counters and watermarks kept between
 * lbctl runs (lbctl traffic, then port counters in another process). The cases run in order in one state
 * directory.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <jansson.h>
#include "lbctl_run.h"

LBCTL_RUN_FIXTURE("port")

static void test_list_and_show(void **unused)
{
	(void)unused;
	assert_int_equal(lbctl_run(&run, "port list"), 0);
	assert_int_equal(lbctl_run_lines(run.out), 7);
	lbctl_run_fits_80(run.out);
	assert_non_null(strstr(run.out, "1    Ethernet0   QSFP-DD  0-7     0     1x800G       rs544-2xn  down   down"));
	assert_non_null(strstr(run.out, "6    Ethernet40  OSFP-XD  40-55   5     2x800G"));
	json_t *o = lbctl_run_json(&run, "port show Ethernet40 --json", 0);
	assert_int_equal(json_integer_value(json_object_get(o, "port")), 6);
	assert_string_equal(json_string_value(json_object_get(o, "name")), "Ethernet40");
	assert_int_equal(json_integer_value(json_object_get(o, "first_lane")), 40);
	assert_int_equal(json_integer_value(json_object_get(o, "lane_count")), 16);
	json_t *ap = json_object_get(o, "asic_ports");
	assert_int_equal(json_array_size(ap), 2);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(ap, 1), "first_lane")), 48);
	assert_string_equal(json_string_value(json_object_get(json_array_get(ap, 1), "down_reason")),
			    "admin-down");
	json_decref(o);
	o = lbctl_run_json(&run, "port list --json", 0);
	assert_int_equal(json_array_size(o), 6);
	json_decref(o);
}

static void test_set(void **unused)
{
	(void)unused;
	json_t *o = lbctl_run_json(&run, "port set 1 --breakout 2x400G --admin up --pfc 3,4 --mtu 9000 --json", 0);
	json_t *ap = json_object_get(o, "asic_ports");
	assert_int_equal(json_array_size(ap), 2);
	for (size_t i = 0; i < 2; i++) {
		json_t *a = json_array_get(ap, i);
		assert_int_equal(json_integer_value(json_object_get(a, "speed_mbps")), 400000);
		assert_int_equal(json_integer_value(json_object_get(a, "lane_count")), 4);
		assert_string_equal(json_string_value(json_object_get(a, "admin")), "up");
		assert_string_equal(json_string_value(json_object_get(a, "oper")), "up");
		assert_int_equal(json_integer_value(json_object_get(a, "pfc_mask")), 0x18);
		assert_int_equal(json_integer_value(json_object_get(a, "mtu_bytes")), 9000);
	}
	json_decref(o);
	o = lbctl_run_json(&run, "port set 2 --breakout 8x100G --json", 0);
	assert_int_equal(json_array_size(json_object_get(o, "asic_ports")), 8);
	json_decref(o);
	/* kept for the next process */
	o = lbctl_run_json(&run, "port show 1 --json", 0);
	assert_int_equal(json_array_size(json_object_get(o, "asic_ports")), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(o, "asic_ports"), 1),
							       "admin")), "up");
	json_decref(o);
	/* the library's rule, whole: nothing changes */
	assert_int_equal(lbctl_run(&run, "port set 3 --fec rs544 --admin up"), 6);
	assert_non_null(strstr(run.err, "FEC rs544 is not allowed at 800G over 100G lanes"));
	o = lbctl_run_json(&run, "port show 3 --json", 0);
	assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(o, "asic_ports"), 0),
							       "admin")), "down");
	json_decref(o);
	assert_int_equal(lbctl_run(&run, "port set 1 --mtu 10000"), 4);
	assert_non_null(strstr(run.err, "MTU 10000: the chip takes 68 to 9216 bytes"));
	assert_int_equal(lbctl_run(&run, "port set 3 --breakout 2x800G"), 6);
	assert_non_null(strstr(run.err, "refused, put back"));
	/* 4 lanes of 200G could carry 800G, but not within the switch's 51.2 Tb/s */
	assert_non_null(strstr(run.err, "over the switch's capacity of 51200000 Mb/s"));
	/* 3 lanes of 8 do not split */
	assert_int_equal(lbctl_run(&run, "port set 3 --breakout 3x200G"), 2);
	assert_int_equal(lbctl_run(&run, "port set 3"), 2);
	assert_int_equal(lbctl_run(&run, "port set 3 --fec rs"), 2);
	assert_int_equal(lbctl_run(&run, "port set 3 --pfc 9"), 2);
	assert_int_equal(lbctl_run(&run, "port set 3 --admin maybe"), 2);
	assert_int_equal(lbctl_run(&run, "port set 9 --admin up"), 3);
}

static void test_counters(void **unused)
{
	(void)unused;
	json_t *o = lbctl_run_json(&run, "port counters 6 --json", 0);
	assert_int_equal(json_integer_value(json_object_get(o, "port")), 6);
	json_t *ap = json_object_get(o, "asic_ports");
	assert_int_equal(json_array_size(ap), 2);
	json_t *a = json_array_get(ap, 0);
	assert_true(json_is_integer(json_object_get(a, "in_octets")));
	assert_int_equal(json_array_size(json_object_get(a, "fec_bins")), 17);
	assert_int_equal(json_array_size(json_object_get(a, "pfc_rx_pkts")), 8);
	json_decref(o);
	assert_int_equal(lbctl_run(&run, "port counters 1 --clear"), 0);
	assert_non_null(strstr(run.out, "port 1 (Ethernet0) asic port 0\n  in_octets"));
	lbctl_run_fits_80(run.out);
	assert_int_equal(lbctl_run(&run, "port set 2 --breakout 8x100G --admin up --loopback phy"), 0);
	lbctl_run_fits_80(run.out);
	assert_non_null(strstr(run.out, "loopback phy"));
	assert_int_equal(lbctl_run(&run, "port --help"), 0);
	lbctl_run_fits_80(run.out);
	assert_int_equal(lbctl_run(&run, "plan lossless --help"), 0);
	lbctl_run_fits_80(run.out);
	assert_int_equal(lbctl_run(&run, "port clear Ethernet8"), 0);
	assert_string_equal(run.out, "port 2 (Ethernet8): counters of 8 ASIC ports cleared\n");
	/* --fresh: the ASIC at power-on again */
	assert_int_equal(lbctl_run(&run, "--fresh port clear Ethernet8"), 0);
	assert_string_equal(run.out, "port 2 (Ethernet8): counters of 1 ASIC port cleared\n");
	assert_int_equal(lbctl_run(&run, "port"), 2);
	assert_int_equal(lbctl_run(&run, "port frob"), 2);
	assert_int_equal(lbctl_run(&run, "port show"), 2);
	assert_int_equal(lbctl_run(&run, "port --help"), 0);
	assert_non_null(strstr(run.out, "usage: lbctl port list"));
}

/* --module: the module in the cage brought up on the ASIC port's speed; the port's state with
 * its module in text and JSON; a speed the module has no application for is refused. */
static void test_module(void **unused)
{
	(void)unused;
	assert_int_equal(lbctl_run(&run, "--fresh port set Ethernet32 --admin up"), 0);
	assert_non_null(strstr(run.out, "with the module: down (module-not-ready: ModuleLowPwr)\n"));
	json_t *o = lbctl_run_json(&run, "port set 5 --module --json", 0);
	json_t *a = json_array_get(json_object_get(o, "asic_ports"), 0);
	json_t *w = json_object_get(a, "with_module");
	assert_string_equal(json_string_value(json_object_get(w, "oper")), "up");
	assert_string_equal(json_string_value(json_object_get(w, "down_reason")), "");
	assert_int_equal(json_integer_value(json_object_get(w, "appsel")), 1);
	assert_int_equal(json_integer_value(json_object_get(w, "host_lane_mask")), 0xFF);
	json_decref(o);
	assert_int_equal(lbctl_run(&run, "port show 5"), 0);
	assert_non_null(strstr(run.out, "with the module: up  AppSel 1\n"));
	lbctl_run_fits_80(run.out);
	/* 2 x 400G over the DR8's 8 lanes: 400G-DR4 (AppSel 2) on host lanes 1-4 and 5-8 */
	assert_int_equal(lbctl_run(&run, "port set 5 --breakout 2x400G --admin up --module"), 0);
	lbctl_run_fits_80(run.out);
	const char *first = strstr(run.out, "with the module: up  AppSel 2\n");
	assert_non_null(first);
	assert_non_null(strstr(first + 1, "with the module: up  AppSel 2\n"));
	/* 8 x 100G: 100GBASE-DR (AppSel 3) on each host lane of the DR8 */
	assert_int_equal(lbctl_run(&run, "port set 5 --breakout 8x100G --admin up --module --json"), 0);
	o = lbctl_run_json(&run, "port show 5 --json", 0);
	json_t *list = json_object_get(o, "asic_ports");
	assert_int_equal(json_array_size(list), 8);
	for (size_t i = 0; i < 8; i++) {
		w = json_object_get(json_array_get(list, i), "with_module");
		assert_string_equal(json_string_value(json_object_get(w, "oper")), "up");
		assert_int_equal(json_integer_value(json_object_get(w, "appsel")), 3);
		assert_int_equal(json_integer_value(json_object_get(w, "host_lane_mask")), 1 << i);
	}
	json_decref(o);
	/* the FR4 has no 100G application: refused with what it offers (the ASIC change stays) */
	assert_int_equal(lbctl_run(&run, "port set 3 --breakout 8x100G --admin up --module"), 3);
	assert_non_null(strstr(run.err, "no application for 100G over host lanes 1-1"));
	assert_non_null(strstr(run.err, "AppSel 1 400G x8"));
	assert_int_equal(lbctl_run(&run, "port show 3"), 0);
	assert_non_null(strstr(run.out, "with the module: down (module-not-ready: ModuleLowPwr)\n"));
	/* its 400GAUI-8: 400G on the 8 lanes at 50G each */
	assert_int_equal(lbctl_run(&run, "port set 3 --breakout 1x400G --admin up --module"), 0);
	assert_non_null(strstr(run.out, "lanes 16-23  400G  rs544-2xn"));
	assert_non_null(strstr(run.out, "with the module: up  AppSel 1\n"));
}

static json_int_t counter(json_t *doc, const char *key)
{
	json_t *v = json_object_get(json_array_get(json_object_get(doc, "asic_ports"), 0), key);
	if (!json_is_integer(v))
		fail_msg("no counter '%s'", key);
	return json_integer_value(v);
}

static json_int_t queue_wm(json_t *doc, size_t q, const char *key)
{
	json_t *v = json_object_get(json_array_get(json_object_get(doc, "queues"), q), key);
	if (!json_is_integer(v))
		fail_msg("no queue watermark '%s'", key);
	return json_integer_value(v);
}

/* What lbctl traffic counted, the next lbctl processes show: counters and watermarks kept in
 * the emulated ASIC's state; a clear is kept too. */
static void test_counters_kept(void **unused)
{
	(void)unused;
	assert_int_equal(lbctl_run(&run, "--fresh port set 1 --admin up"), 0);
	json_t *t = lbctl_run_json(&run, "traffic 1 --priority 1 --load 0.9 --for 1 --json", 0);
	json_int_t drops = json_integer_value(json_object_get(t, "in_discards"));
	assert_true(drops > 0);
	json_decref(t);
	json_t *c = lbctl_run_json(&run, "port counters 1 --json", 0);
	assert_int_equal(counter(c, "in_discards"), drops);
	json_int_t in = counter(c, "in_ucast_pkts"), out_octets = counter(c, "out_octets");
	assert_true(in > 0 && out_octets > 0);
	json_decref(c);
	json_t *w = lbctl_run_json(&run, "buffer watermarks 1 --json", 0);
	json_int_t peak = queue_wm(w, 1, "peak_bytes");
	assert_true(peak > 0);
	json_decref(w);
	/* again, a third process: the same */
	c = lbctl_run_json(&run, "port counters 1 --json", 0);
	assert_int_equal(counter(c, "in_ucast_pkts"), in);
	assert_int_equal(counter(c, "out_octets"), out_octets);
	json_decref(c);
	w = lbctl_run_json(&run, "buffer watermarks 1 --json", 0);
	assert_int_equal(queue_wm(w, 1, "peak_bytes"), peak);
	json_decref(w);
	/* more traffic adds to them */
	t = lbctl_run_json(&run, "traffic 1 --priority 1 --load 0.9 --for 1 --json", 0);
	json_decref(t);
	c = lbctl_run_json(&run, "port counters 1 --json", 0);
	assert_true(counter(c, "in_ucast_pkts") > in);
	json_decref(c);
	/* cleared, and kept cleared */
	assert_int_equal(lbctl_run(&run, "port clear 1"), 0);
	c = lbctl_run_json(&run, "port counters 1 --json", 0);
	assert_int_equal(counter(c, "in_ucast_pkts"), 0);
	assert_int_equal(counter(c, "in_discards"), 0);
	json_decref(c);
	assert_int_equal(lbctl_run(&run, "buffer watermarks 1 --clear"), 0);
	w = lbctl_run_json(&run, "buffer watermarks 1 --json", 0);
	assert_true(queue_wm(w, 1, "peak_bytes") <= queue_wm(w, 1, "bytes"));
	json_decref(w);
	/* --fresh: power-on, nothing counted */
	assert_int_equal(lbctl_run(&run, "--fresh port show 1"), 0);
	c = lbctl_run_json(&run, "port counters 1 --json", 0);
	assert_int_equal(counter(c, "out_octets"), 0);
	json_decref(c);
}

/* 802.3x PAUSE on a port: set, shown, exclusive with PFC, its counters in JSON. */
static void test_pause(void **unused)
{
	(void)unused;
	assert_int_equal(lbctl_run(&run, "--fresh port set 4 --pause both --admin up"), 0);
	lbctl_run_fits_80(run.out);
	assert_non_null(strstr(run.out, "pfc none  pause both\n"));
	json_t *o = lbctl_run_json(&run, "port show 4 --json", 0);
	assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(o, "asic_ports"), 0),
							       "pause")), "both");
	json_decref(o);
	assert_int_equal(lbctl_run(&run, "port set 4 --pfc 3"), 2); /* LB_E_INVAL */
	assert_non_null(strstr(run.err, "802.3x PAUSE and PFC (mask 0x08): a port has one or the other"));
	assert_int_equal(lbctl_run(&run, "port set 4 --pause none --pfc 3"), 0);
	assert_non_null(strstr(run.out, "pfc 3\n"));
	assert_int_equal(lbctl_run(&run, "port set 4 --pause sometimes"), 2);
	o = lbctl_run_json(&run, "port counters 4 --json", 0);
	assert_int_equal(counter(o, "pause_tx_pkts"), 0);
	assert_int_equal(counter(o, "pause_rx_us"), 0);
	json_decref(o);
	assert_int_equal(lbctl_run(&run, "port counters 4"), 0);
	assert_non_null(strstr(run.out, "  pause_tx_pkts "));
	/* PAUSE rx: the peer's pause (lbctl traffic --peer-pause) holds the whole transmit */
	assert_int_equal(lbctl_run(&run, "port set 1 --pause rx --admin up"), 0);
	assert_int_equal(lbctl_run(&run, "traffic 1 --priority 1 --load 0.5 --peer-pause 0 --for 2"), 0);
	o = lbctl_run_json(&run, "port counters 1 --json", 0);
	assert_true(counter(o, "pause_rx_pkts") >= 1);
	assert_int_equal(counter(o, "pause_rx_us"), 2000);
	assert_int_equal(counter(o, "out_octets"), 0);
	assert_true(counter(o, "in_octets") > 0);
	json_t *pfc = json_object_get(json_array_get(json_object_get(o, "asic_ports"), 0), "pfc_rx_pkts");
	for (size_t i = 0; i < 8; i++)
		assert_int_equal(json_integer_value(json_array_get(pfc, i)), 0);
	json_decref(o);
}

/* port voq: this switch's identity, its ports' system ports and a remote one, kept between
 * processes; refusals change nothing. */
static void test_voq(void **unused)
{
	(void)unused;
	assert_int_equal(lbctl_run(&run, "--fresh port voq"), 0);
	assert_string_equal(run.out, "this switch's VOQ id and cores are not set (lbctl port voq --switch-id N "
				     "--cores C)\n");
	assert_int_equal(lbctl_run(&run, "port voq --switch-id 3"), 2);
	assert_int_equal(lbctl_run(&run, "port voq --add 1,2,3"), 2);
	assert_int_equal(lbctl_run(&run, "port voq --switch-id 3 --cores 3"), 4);
	assert_non_null(strstr(run.err, "sharing the 512 lanes evenly"));
	assert_int_equal(lbctl_run(&run, "port voq --switch-id 3 --cores 2 --local 1000 --add 2000,7,1,4,400G"), 0);
	lbctl_run_fits_80(run.out);
	assert_non_null(strstr(run.out, "switch id 3, 2 cores: 65 system ports\n"));
	assert_non_null(strstr(run.out, "\n1005            3    0         5  800G    8    5  Ethernet40\n"));
	assert_non_null(strstr(run.out, "\n2000            7    1         4  400G    8    -  -\n"));
	/* another process: the same table, from the chip's state */
	json_t *o = lbctl_run_json(&run, "port voq --remove 1063 --json", 0);
	assert_int_equal(json_integer_value(json_object_get(o, "switch_id")), 3);
	assert_int_equal(json_integer_value(json_object_get(o, "cores")), 2);
	json_t *list = json_object_get(o, "system_ports");
	assert_int_equal(json_array_size(list), 64);
	json_t *e = json_array_get(list, 5);
	assert_int_equal(json_integer_value(json_object_get(e, "system_port")), 1005);
	assert_int_equal(json_integer_value(json_object_get(e, "asic_port")), 5);
	assert_int_equal(json_integer_value(json_object_get(e, "port")), 6);
	assert_string_equal(json_string_value(json_object_get(e, "name")), "Ethernet40");
	e = json_array_get(list, 63);
	assert_int_equal(json_integer_value(json_object_get(e, "system_port")), 2000);
	assert_true(json_is_null(json_object_get(e, "asic_port")));
	assert_int_equal(json_integer_value(json_object_get(e, "speed_mbps")), 400000);
	json_decref(o);
	/* refused whole: nothing changes */
	assert_int_equal(lbctl_run(&run, "port voq --add 2000,8,0,0,800G"), 1);
	assert_non_null(strstr(run.err, "system port 2000: the id is taken"));
	assert_int_equal(lbctl_run(&run, "port voq --switch-id 4 --cores 2"), 1);
	assert_non_null(strstr(run.err, "remove them first"));
	o = lbctl_run_json(&run, "port voq --json", 0);
	assert_int_equal(json_array_size(json_object_get(o, "system_ports")), 64);
	assert_int_equal(json_integer_value(json_object_get(o, "switch_id")), 3);
	json_decref(o);
	/* the ASIC port under a system port stays */
	assert_int_equal(lbctl_run(&run, "port set 1 --breakout 2x400G"), 1);
	assert_non_null(strstr(run.err, "system port 1000 is on it"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_list_and_show),
		cmocka_unit_test(test_set),
		cmocka_unit_test(test_counters),
		cmocka_unit_test(test_module),
		cmocka_unit_test(test_voq),
		cmocka_unit_test(test_counters_kept),
		cmocka_unit_test(test_pause),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
