/* SPDX-License-Identifier: MIT */
/*
 * Pure CMIS decoders over byte buffers: no bus, no module object, so they can be tested on
 * memory images directly. Buffers are whole areas indexed from their first byte: lower[i] is
 * byte i (0-127), pNN[i] is byte 128 + i of page NNh. An absent page is passed as NULL
 * (flat memory has no pages 01h, 02h, 11h).
 */
#ifndef LB_HAL_CMIS_DECODE_H
#define LB_HAL_CMIS_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <lightbridge/module.h>

/** Low 8 bits of the plain sum of bytes first..last (absolute offsets 128-255) of a page. */
uint8_t lb_cmis_page_sum(const uint8_t page[128], unsigned first, unsigned last);

/**
 * Copy a fixed-width ASCII field into dst (n + 1 bytes): trailing blanks and NULs are padding
 * and dropped, any other byte outside 0x20-0x7E becomes '?'.
 */
void lb_cmis_copy_string(char *dst, const uint8_t *src, size_t n);

/** true for SFF-8024 identifiers whose memory map is CMIS. */
bool lb_cmis_identifier_is_cmis(uint8_t id);

/**
 * Decode identity from lower memory, page 00h and page 01h (NULL for flat memory).
 * LB_E_UNKNOWN_ID for a non-CMIS identifier (SFF-8636 strings are still decoded from their
 * own offsets), else LB_E_CHECKSUM when a page checksum fails, else LB_OK; out is filled
 * in every case.
 */
int lb_cmis_decode_identity(const uint8_t lower[128], const uint8_t p00[128],
			    const uint8_t *p01, struct lb_module_identity *out);

/**
 * Lane banks advertised by 01h:142 (and 174 for code 3 on CMIS 5.4 and later: 1 before, where
 * the code is reserved); 1 when p01 is NULL. revision: lower byte 1.
 */
unsigned lb_cmis_lane_banks(const uint8_t *p01, uint8_t revision);
/** The same from the two bytes that carry it: 01h:142 (bits 1-0) and 01h:174. */
unsigned lb_cmis_lane_banks_of(uint8_t b142, uint8_t b174, uint8_t revision);
/**
 * Whether the module takes READs of up to 128 bytes: 01h:251.1-0 = 10b, or a module before
 * CMIS 5.0 that does not say 01b there (revision.h, LB_CMIS_RULE_READ_8).
 */
bool lb_cmis_full_page_reads(uint8_t revision, uint8_t b251);
/** MciMaxSpeed from lower byte 2: bits 5-2 from CMIS 5.3, bits 3-2 before. */
uint8_t lb_cmis_mci_max_speed(uint8_t revision, uint8_t b2);
/**
 * Whether the module is coherent and so has the C-CMIS pages 30h-4Fh (coherence.c): 01h:142.4
 * on a module declaring CMIS 5.3 or later; before 5.3, where the bit is reserved, an advertised
 * coherent media interface (lower 85-117, page 01h 223-250) together with a tunable
 * transmitter (01h:155.6). lower: bytes 1 and 85-117 used; p01 NULL (flat memory): false.
 */
bool lb_cmis_coherent(uint8_t revision, const uint8_t lower[128], const uint8_t *p01);
/** Whether an SFF-8024 media interface ID of MediaType media_type is a coherent one. */
bool lb_cmis_media_is_coherent(uint8_t media_type, uint8_t media_id);
/** Tx bias multiplier 1, 2 or 4 from 01h:160.4-3 (1 when p01 is NULL or the code is reserved). */
unsigned lb_cmis_bias_multiplier(const uint8_t *p01);
/** The same from 01h:160 itself. */
unsigned lb_cmis_bias_multiplier_of(uint8_t lane_monitors);

/**
 * Decode the application advertisement: AppSel 1-8 from lower memory, 9-15 from page 01h
 * (NULL: only 1-8, media lane options 0), stopping at host ID 0xFF. Always LB_OK.
 */
int lb_cmis_decode_apps(const uint8_t lower[128], const uint8_t *p01, struct lb_app_list *out);

/**
 * Media lanes the module reports monitors for, numbered across banks (bank b holds lanes
 * 8b+1..8b+8): every lane of the banks before the last, then the highest media lane any
 * application can occupy in a bank (8 when no application says); at most 32.
 */
unsigned lb_cmis_media_lane_count(const struct lb_app_list *apps, unsigned banks);

/** What the monitor decode needs of the advertisement: 01h:159 and 01h:160. */
struct lb_cmis_mon_adv {
	uint8_t module_monitors; /* 01h:159: temperature, Vcc, ... supported */
	uint8_t lane_monitors;   /* 01h:160: lane monitors supported, Tx bias multiplier */
	uint8_t lane_unsup;      /* 00h:210: media lanes 1-8 not supported (0: all are) */
};
/**
 * Decode one monitor poll. lower: bytes 8-25 used; adv: support bits and bias multiplier
 * (NULL: flat memory, module monitors only); p11[b]: page 11h of bank b (bytes 134-201 used)
 * for b < banks; lanes: media lanes to report (<= 8 * banks). Unsupported monitors are NAN.
 * Lane flag masks cover every bank holding a reported lane, 8 lanes per bank. The live poll
 * passes the advertisement the access layer cached at insertion.
 */
void lb_cmis_decode_monitors_adv(const uint8_t lower[128], const struct lb_cmis_mon_adv *adv,
				 const uint8_t (*p11)[128], unsigned banks, unsigned lanes,
				 struct lb_module_monitors *out);
/** The same from a page 01h image (offline decode; NULL: flat memory). */
void lb_cmis_decode_monitors(const uint8_t lower[128], const uint8_t *p01,
			     const uint8_t (*p11)[128], unsigned banks, unsigned lanes,
			     struct lb_module_monitors *out);

/**
 * The byte at offset (134-255) of page 11h in banks 0..banks-1 as one lane mask: bit 8b + i =
 * bit i of bank b's byte (lane 8b + i + 1). Banks beyond the 32-bit mask are ignored.
 */
uint32_t lb_cmis_lane_bits(const uint8_t (*p11)[128], unsigned banks, unsigned offset);

struct lb_sideband_event;
/**
 * Decode the latched flags an interrupt reads into the flag members of out (nothing else):
 * lower: bytes 4-11 used; p11[b]: page 11h of bank b (bytes 134-153 used) for b < banks, or
 * NULL (flat memory: module flags only, lanes 0).
 */
void lb_cmis_decode_flags(const uint8_t lower[128], const uint8_t (*p11)[128], unsigned banks,
			  struct lb_sideband_event *out);

/** Decode page 02h thresholds with the Tx bias multiplier from 01h:160. */
void lb_cmis_decode_thresholds(const uint8_t p02[128], unsigned bias_multiplier,
			       struct lb_module_thresholds *out);

#endif
