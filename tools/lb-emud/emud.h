/* SPDX-License-Identifier: MIT */
/* lb-emud: the emulated world it serves, and the FUSE file system over it. */
#ifndef LB_EMUD_H
#define LB_EMUD_H

#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <lightbridge/lightbridge.h>
#include <lightbridge/optoe.h>

#define EMUD_MAX_PORTS 256
#define EMUD_MAX_SEGMENTS 32

struct emud_port {
	unsigned number;           /* front-panel port */
	char name[64];
	char cage[32];
	struct lb_emu_module *module;
	unsigned banks;            /* lane banks the module advertises (1, 2, 4) */
	bool flat;
};

struct emud {
	struct lb_emu_world *world;
	pthread_mutex_t lock;      /* every FUSE callback runs under it */
	uint64_t last_real_ns;     /* real time the world was last brought up to */
	enum lb_optoe_banking banking;
	char platform_name[128];
	char mount[PATH_MAX];      /* absolute mount point */
	struct emud_port ports[EMUD_MAX_PORTS];
	unsigned n_ports;
	char *platform_json;       /* DIR/platform.json as served */
	size_t platform_json_len;
	uint64_t accesses;         /* FUSE reads and writes served */
};

/* emud_world.c */
/** Build the world from a parsed platform file; on error "FILE: FIELD: reason" in err. */
int emud_build(struct emud *d, const struct lb_options *platform, const char *data_dir, char *err,
	       size_t errlen);
/** The platform file lb-emud writes: buses on the optoe driver over DIR/<port>/eeprom. */
int emud_make_platform_json(struct emud *d);
/** Advance virtual time by the real time elapsed since the last call (lock held). */
void emud_catch_up(struct emud *d);
void emud_free(struct emud *d);

/*
 * EEPROM file access as the optoe kernel driver performs it (lock held): the file offset
 * names (bank, page, byte); an upper-memory access selects that bank/page by writing bytes
 * 126/127 and afterwards writes back the select bytes it found (optoe writes page 0: see
 * emud_world.c), an access crossing a page is split, a write goes in pieces of the module's
 * 8-byte write limit. Returns bytes done or a negative errno (EIO for a NACK, ENXIO for an
 * absent module).
 */
long emud_eeprom_read(struct emud *d, struct emud_port *p, char *buf, size_t len, off_t off);
long emud_eeprom_write(struct emud *d, struct emud_port *p, const char *buf, size_t len, off_t off);
/** Raw 256-byte window ("i2c" file): no select; offset = byte address, as on the wire. */
long emud_i2c_read(struct emud *d, struct emud_port *p, char *buf, size_t len, off_t off);
long emud_i2c_write(struct emud *d, struct emud_port *p, const char *buf, size_t len, off_t off);
/** Size of a port's EEPROM file under the layout. */
off_t emud_eeprom_size(const struct emud *d, const struct emud_port *p);

/* emud_fs.c */
/** Mount at d->mount and serve until SIGINT/SIGTERM; unmounts before returning. */
int emud_serve(struct emud *d, bool allow_other, bool debug);

#endif
