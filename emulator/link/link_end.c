/* SPDX-License-Identifier: MIT */
/*
 * What one end of an emulated coherent link has set, read from its registers as the host
 * left them (CMIS 5.x, media lane 1 on bank 0): module state (00h:3), the data-path state of
 * lane 1 (11h:128), Tx disable (10h:130), the active application (11h:206 and its descriptor,
 * 00h:86+ or 01h:223+), the current laser frequency (12h:168, MHz), the tuning status
 * (12h:222) and the Tx power target (12h:200, 0.01 dBm), and a vendor line mode in force
 * (docs/extensions.md): the LIGHTBRIDGE EMU page B0h (signature "LBE1", layout 1, byte 144
 * the line-mode code, 0 for the application's own) or a "PCS1" page B8h (byte 140 the code
 * in force, its descriptor naming the mode). Peeks only: no side effects, so a telemetry
 * sample may read its own module.
 */
#include <string.h>
#include "emulator/link/emu_link.h"

#define MODULE_READY 3u
#define DP_ACTIVATED 4u
#define DP_TX_TURN_ON 5u
#define DP_INITIALIZED 7u

static bool peek(const struct lb_emu_module *m, uint8_t page, uint8_t off, uint8_t *b, size_t n)
{
	return lb_emu_module_peek(m, 0, page, off, b, n) == LB_OK;
}

/* The media interface code of application sel (1-15), -1 when not advertised. */
static int media_id_of(const struct lb_emu_module *m, unsigned sel)
{
	uint8_t d[2];
	if (sel >= 1 && sel <= 8) {
		if (!peek(m, 0x00, (uint8_t)(86 + 4 * (sel - 1)), d, 2))
			return -1;
	} else if (sel >= 9 && sel <= 15) {
		if (!peek(m, 0x01, (uint8_t)(223 + 4 * (sel - 9)), d, 2))
			return -1;
	} else {
		return -1;
	}
	return d[0] == 0xFF ? -1 : d[1]; /* host interface FFh: end of the list */
}

/*
 * The line mode a "PCS1" page B8h puts in force (docs/extensions.md: byte 140 the code in
 * force, descriptors of 32 bytes from 160 with the code first and the mode's id at +16), into
 * id; NULL when the page is not there or the application's own mode is in force.
 */
static const char *pcs1_mode_of(const struct lb_emu_module *m, char id[17])
{
	uint8_t b[128];
	if (!peek(m, 0xB8, 128, b, sizeof(b)) || memcmp(b, "PCS1", 4) != 0 || b[4] != 1)
		return NULL;
	unsigned code = b[140 - 128], n = b[133 - 128];
	for (unsigned k = 0; code && k < n && k < 3; k++) {
		const uint8_t *d = &b[160 - 128 + 32 * k];
		if (d[0] != code)
			continue;
		memcpy(id, &d[16], 16);
		id[16] = '\0';
		return id[0] ? id : NULL;
	}
	return NULL;
}

/* The line mode page B0h puts in force (docs/extensions.md), or NULL. */
static const char *vendor_mode_of(const struct lb_emu_module *m)
{
	static const char *const codes[] = { "800g-pcs-131e", "700g-pcs-118-h3.5", "600g-pcs-118" };
	uint8_t b[17];
	if (!peek(m, 0xB0, 128, b, sizeof(b)) || memcmp(b, "LBE1", 4) != 0 || b[4] != 1)
		return NULL;
	unsigned code = b[16];
	if (code < 1 || code > 3 || !(b[5] & (1u << (code - 1))))
		return NULL;
	return codes[code - 1];
}

void emu_link_end_read(const struct lb_emu_module *m, struct emu_link_end *out)
{
	memset(out, 0, sizeof(*out));
	out->media_id = -1;
	out->present = lb_emu_module_present(m) != 0;
	uint8_t b[4];
	if (peek(m, 0x00, 3, b, 1))
		out->ready = ((b[0] >> 1) & 7u) == MODULE_READY;
	if (peek(m, 0x11, 128, b, 1)) {
		unsigned st = b[0] & 0x0Fu;
		out->dp_up = st == DP_ACTIVATED;
		out->dp_init = st == DP_ACTIVATED || (st >= DP_TX_TURN_ON && st <= DP_INITIALIZED);
	}
	out->tx_on = true;
	if (peek(m, 0x10, 130, b, 1))
		out->tx_on = !(b[0] & 0x01u);
	if (peek(m, 0x11, 206, b, 1)) {
		out->app_sel = (uint8_t)(b[0] >> 4);
		out->media_id = media_id_of(m, out->app_sel);
	}
	out->vendor_mode = vendor_mode_of(m);
	if (!out->vendor_mode)
		out->vendor_mode = pcs1_mode_of(m, out->vendor_mode_id);
	if (peek(m, 0x12, 222, b, 1))
		out->locked = (b[0] & 0x03u) == 0; /* neither tuning nor wavelength unlocked */
	if (peek(m, 0x12, 168, b, 4)) {
		uint32_t mhz = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
		out->freq_thz = mhz / 1e6;
	}
	if (peek(m, 0x12, 200, b, 2))
		out->tx_dbm = (int16_t)(uint16_t)((unsigned)b[0] << 8 | b[1]) / 100.0;
}

bool emu_link_end_lit(const struct emu_link_end *e)
{
	return e->present && e->ready && e->dp_up && e->locked && e->tx_on && e->freq_thz > 0.0;
}
