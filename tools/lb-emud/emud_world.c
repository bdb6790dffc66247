/* SPDX-License-Identifier: MIT */
/* lb-emud's emulated world (built from platform JSON) and optoe-style access to its modules. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <jansson.h>
#include "tools/lb-emud/emud.h"

struct emud_slot {
	const char *bus;
	int channel;
	uint16_t addr;
	struct lb_emu_module *module;
};

static uint64_t real_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void emud_catch_up(struct emud *d)
{
	uint64_t now = real_ns();
	if (d->last_real_ns && now > d->last_real_ns)
		lb_emu_world_advance_ns(d->world, now - d->last_real_ns);
	d->last_real_ns = now;
}

/* The bus's modules, built by the same reader the emulator bus driver uses, from its options. */
static int build_bus(struct emud *d, const struct lb_options *jb, const char *name,
		     struct emud_slot *slots, unsigned *n_slots, const char *data_dir)
{
	const struct lb_options *o;
	int rc = lb_options_get_object(jb, "options", &o);
	if (rc)
		return rc;
	struct lb_emu_placement placed[EMUD_MAX_PORTS];
	unsigned n = 0;
	struct lb_emu_segment *seg;
	rc = lb_emu_segment_create_from_options(d->world, o, data_dir, &seg, placed,
						EMUD_MAX_PORTS - *n_slots, &n);
	if (rc)
		return rc;
	for (unsigned i = 0; i < n; i++) {
		/* the serial number of its place, as the emulator bus driver gives it in process */
		lb_emu_module_set_fleet_serial(placed[i].module, name, placed[i].channel, placed[i].addr);
		slots[*n_slots] = (struct emud_slot){ .bus = name, .channel = placed[i].channel,
						      .addr = placed[i].addr, .module = placed[i].module };
		(*n_slots)++;
	}
	return LB_OK;
}

static void probe_port(struct emud_port *p)
{
	uint8_t low[3] = { 0 }, b142 = 0;
	lb_emu_module_peek(p->module, 0, 0, 0, low, 3);
	p->flat = (low[2] & 0x80) != 0;
	p->banks = 1;
	if (!p->flat && lb_emu_module_peek(p->module, 0, 0x01, 142, &b142, 1) == LB_OK)
		p->banks = 1u << (b142 & 0x03);
	if (p->banks > 4)
		p->banks = 4;
}

/* The ports of a platform whose modules are emulated; anything else of it is lbctl's to check. */
static int build(struct emud *d, const struct lb_options *root, const char *data_dir,
		 struct emud_slot *slots)
{
	const struct lb_options *buses, *ports, *e;
	const char *name;
	size_t nb, np;
	unsigned n_slots = 0;
	int rc;
	if ((rc = lb_options_get_object(root, NULL, &root)) ||
	    (rc = lb_options_get_string_buf(root, "name", "platform", d->platform_name,
					    sizeof(d->platform_name))) ||
	    (rc = lb_options_require(root, "buses")) ||
	    (rc = lb_options_get_array(root, "buses", 0, SIZE_MAX, &buses, &nb)) ||
	    (rc = lb_options_require(root, "ports")) ||
	    (rc = lb_options_get_array(root, "ports", 0, SIZE_MAX, &ports, &np)))
		return rc;
	for (size_t i = 0; i < nb; i++) {
		const char *drv;
		if ((rc = lb_options_at(buses, i, NULL, &e)) || (rc = lb_options_get_object(e, NULL, &e)) ||
		    (rc = lb_options_require(e, "name")) || (rc = lb_options_get_string(e, "name", NULL, &name)) ||
		    (rc = lb_options_get_string(e, "driver", NULL, &drv)))
			return rc;
		if (drv && strcmp(drv, "emulator") == 0 &&
		    (rc = build_bus(d, e, name, slots, &n_slots, data_dir)))
			return rc;
	}
	for (size_t i = 0; i < np; i++) {
		const char *bus, *cage;
		int64_t ch, addr, number;
		if ((rc = lb_options_at(ports, i, NULL, &e)) || (rc = lb_options_get_object(e, NULL, &e)) ||
		    (rc = lb_options_get_string(e, "bus", NULL, &bus)) ||
		    (rc = lb_options_get_int(e, "mux_channel", -1, 7, -1, &ch)) ||
		    (rc = lb_options_get_int(e, "addr", 0, 0x7F, 0x50, &addr)))
			return rc;
		struct emud_slot *s = NULL;
		for (unsigned k = 0; bus && k < n_slots; k++)
			if (strcmp(slots[k].bus, bus) == 0 && slots[k].channel == ch && slots[k].addr == addr)
				s = &slots[k];
		if (!s || d->n_ports >= EMUD_MAX_PORTS)
			continue; /* an empty cage, or a bus that is not emulated: not served */
		if ((rc = lb_options_require(e, "port")) || (rc = lb_options_get_int(e, "port", 1, 65535, 0, &number)) ||
		    (rc = lb_options_get_string(e, "name", "", &name)) ||
		    (rc = lb_options_get_string(e, "cage", "unknown", &cage)))
			return rc;
		struct emud_port *p = &d->ports[d->n_ports++];
		p->number = (unsigned)number;
		p->module = s->module;
		snprintf(p->name, sizeof(p->name), "%s", name);
		snprintf(p->cage, sizeof(p->cage), "%s", cage);
		probe_port(p);
	}
	if (d->n_ports == 0)
		return lb_options_fail(root, "ports", LB_E_PARSE, "no port has an emulated module to serve");
	return LB_OK;
}

int emud_build(struct emud *d, const struct lb_options *platform, const char *data_dir, char *err,
	       size_t errlen)
{
	int rc = lb_emu_world_create(&d->world);
	if (rc == LB_OK) {
		struct emud_slot *slots = calloc(EMUD_MAX_PORTS, sizeof(*slots));
		rc = slots ? build(d, platform, data_dir, slots) : LB_E_NOMEM;
		free(slots);
	}
	if (rc)
		snprintf(err, errlen, "%s", lb_options_error(platform)[0] ? lb_options_error(platform)
									  : lb_strerror(rc));
	return rc;
}

int emud_make_platform_json(struct emud *d)
{
	json_t *root = json_object(), *buses = json_array(), *ports = json_array();
	char name[160], desc[PATH_MAX + 256];
	snprintf(name, sizeof(name), "lb-emud:%s", d->platform_name);
	snprintf(desc, sizeof(desc), "%s served by lb-emud at %s as optoe EEPROM files", d->platform_name,
		 d->mount);
	json_object_set_new(root, "name", json_string(name));
	json_object_set_new(root, "description", json_string(desc));
	for (unsigned i = 0; i < d->n_ports; i++) {
		const struct emud_port *p = &d->ports[i];
		char bus[32], path[PATH_MAX + 32];
		snprintf(bus, sizeof(bus), "port%u", p->number);
		snprintf(path, sizeof(path), "%s/%u/eeprom", d->mount, p->number);
		json_t *opts = json_pack("{s:s, s:s}", "path", path, "banking", lb_optoe_banking_name(d->banking));
		json_array_append_new(buses, json_pack("{s:s, s:s, s:o}", "name", bus, "driver", "optoe",
						       "options", opts));
		json_t *jp = json_pack("{s:i, s:s, s:s}", "port", (json_int_t)p->number, "bus", bus,
				       "cage", p->cage);
		if (p->name[0])
			json_object_set_new(jp, "name", json_string(p->name));
		json_array_append_new(ports, jp);
	}
	json_object_set_new(root, "buses", buses);
	json_object_set_new(root, "ports", ports);
	d->platform_json = json_dumps(root, JSON_INDENT(2));
	json_decref(root);
	if (!d->platform_json)
		return LB_E_NOMEM;
	size_t n = strlen(d->platform_json);
	char *t = realloc(d->platform_json, n + 2);
	if (!t)
		return LB_E_NOMEM;
	t[n] = '\n';
	t[n + 1] = 0;
	d->platform_json = t;
	d->platform_json_len = n + 1;
	return LB_OK;
}

void emud_free(struct emud *d)
{
	lb_emu_world_destroy(d->world);
	free(d->platform_json);
	d->world = NULL;
	d->platform_json = NULL;
}

static int to_errno(const struct emud_port *p, int rc)
{
	if (rc == LB_OK)
		return 0;
	if (!lb_emu_module_present(p->module))
		return -ENXIO; /* nothing in the cage: the adapter sees no ACK at all */
	return rc == LB_E_NACK || rc == LB_E_SHORT ? -EIO : -EINVAL;
}

static int wire_read(struct emud_port *p, uint8_t byte, uint8_t *buf, size_t len)
{
	int rc = lb_emu_module_i2c_write(p->module, &byte, 1); /* set the byte address */
	if (rc == LB_OK)
		rc = lb_emu_module_i2c_read(p->module, buf, len);
	return rc;
}

static int wire_write(struct emud_port *p, uint8_t byte, const uint8_t *buf, size_t len)
{
	uint8_t frame[1 + 256];
	frame[0] = byte;
	memcpy(frame + 1, buf, len);
	return lb_emu_module_i2c_write(p->module, frame, len + 1);
}

/*
 * Make (bank, page) the select bytes from what is in force (was: 126, 127): bank and page in
 * one write when the bank differs (the module acts on BankSelect when PageSelect lands), else
 * the page alone; nothing when both are in force.
 */
static int select_bytes(struct emud_port *p, const uint8_t was[2], uint8_t bank, uint8_t page)
{
	uint8_t sel[2] = { bank, page };
	if (was[0] != bank)
		return wire_write(p, 126, sel, 2);
	return was[1] != page ? wire_write(p, 127, &page, 1) : LB_OK;
}

/*
 * Writes go to the module in pieces of at most its write limit (8 bytes outside the CDB pages,
 * CMIS; the kernel's optoe driver splits at its write_max the same way), never past it: a
 * longer write would be NACKed whole.
 */
#define EMUD_WRITE_MAX 8u

static int write_pieces(struct emud_port *p, uint8_t byte, const uint8_t *buf, size_t len)
{
	int rc = LB_OK;
	for (size_t at = 0; at < len && rc == LB_OK; at += EMUD_WRITE_MAX) {
		size_t n = len - at < EMUD_WRITE_MAX ? len - at : EMUD_WRITE_MAX;
		rc = wire_write(p, (uint8_t)(byte + at), buf + at, n);
	}
	return rc;
}

/*
 * Whether the module has (bank, page). An EEPROM-file access to any other page fails
 * (ENODATA) where a module would show page 00h: a host reading the file in another bank
 * layout, whose offsets name other pages and banks here, gets an error, not another page's
 * bytes (docs/emulator.md, "lb-emud's bank layout"). A bank above 0 of an unbanked page
 * (00h-0Fh, which the "sonic" layout can name) is no page either.
 */
static bool has_page(struct emud_port *p, uint8_t bank, uint8_t page)
{
	uint8_t probe;
	if (bank > 0 && page < 0x10)
		return false;
	return lb_emu_module_peek(p->module, bank, page, 128, &probe, 1) == LB_OK;
}

/*
 * One EEPROM-file access, as one step under the daemon's lock (every FUSE call runs under it,
 * so nothing of another client comes between its select, access and restore): an upper-memory
 * access reads the select bytes in force (126-127), selects its own bank and page, accesses,
 * and writes the select bytes back as it found them. So an access through the EEPROM file
 * always runs with the page it asked for, and a raw-window client's page select (written
 * through DIR/<port>/i2c, read after it in another call) is still in force after it. The
 * kernel's optoe driver writes page 0 back instead: see docs/hardware.md for what a raw
 * client sharing a real module with it must do.
 */
static long access_file(struct emud *d, struct emud_port *p, uint8_t *buf, size_t len, off_t off,
			bool is_read)
{
	emud_catch_up(d);
	d->accesses++;
	size_t done = 0;
	while (done < len) {
		uint8_t bank, page, byte;
		if (!lb_optoe_address(d->banking, p->banks, (int64_t)off + (int64_t)done, &bank, &page, &byte))
			break; /* past the end of the layout: EOF */
		if (p->flat && off + (off_t)done >= 256)
			break; /* flat memory: lower + page 00h only, as optoe */
		size_t chunk = (byte < 128 ? 128u : 256u) - byte;
		if (chunk > len - done)
			chunk = len - done;
		int rc = LB_OK;
		bool paged = byte >= 128 && !p->flat;
		if (paged && !has_page(p, bank, page))
			return done ? (long)done : -ENODATA;
		uint8_t was[2] = { 0, 0 }; /* BankSelect, PageSelect in force before */
		bool known = paged && (rc = wire_read(p, 126, was, 2)) == LB_OK;
		if (known)
			rc = select_bytes(p, was, bank, page);
		if (rc == LB_OK)
			rc = is_read ? wire_read(p, byte, buf + done, chunk)
				     : write_pieces(p, byte, buf + done, chunk);
		if (known && rc != LB_E_NACK) {
			const uint8_t now[2] = { bank, page };
			select_bytes(p, now, was[0], was[1]); /* back as found */
		}
		if (rc)
			return done ? (long)done : to_errno(p, rc);
		done += chunk;
	}
	return (long)done;
}

long emud_eeprom_read(struct emud *d, struct emud_port *p, char *buf, size_t len, off_t off)
{
	return access_file(d, p, (uint8_t *)buf, len, off, true);
}

long emud_eeprom_write(struct emud *d, struct emud_port *p, const char *buf, size_t len, off_t off)
{
	return access_file(d, p, (uint8_t *)(uintptr_t)buf, len, off, false);
}

long emud_i2c_read(struct emud *d, struct emud_port *p, char *buf, size_t len, off_t off)
{
	emud_catch_up(d);
	d->accesses++;
	if (off < 0 || off >= 256)
		return 0;
	if (len > 256)
		len = 256; /* the module wraps within the half; one transaction at most 256 */
	int rc = wire_read(p, (uint8_t)off, (uint8_t *)buf, len);
	return rc ? to_errno(p, rc) : (long)len;
}

long emud_i2c_write(struct emud *d, struct emud_port *p, const char *buf, size_t len, off_t off)
{
	emud_catch_up(d);
	d->accesses++;
	if (off < 0 || off >= 256 || len > 256)
		return -EINVAL;
	int rc = wire_write(p, (uint8_t)off, (const uint8_t *)buf, len);
	return rc ? to_errno(p, rc) : (long)len;
}

off_t emud_eeprom_size(const struct emud *d, const struct emud_port *p)
{
	if (p->flat)
		return 256;
	uint8_t last = 0xFF;
	int64_t end = lb_optoe_offset(d->banking,
				      (uint8_t)(d->banking == LB_OPTOE_BANKING_NONE ? 0 : p->banks - 1),
				      last, 255);
	return (off_t)(end < 0 ? lb_optoe_offset(d->banking, 0, 0xFF, 255) + 1 : end + 1);
}
