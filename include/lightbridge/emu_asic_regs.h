/* SPDX-License-Identifier: MIT */
/*
 * The emulated router ASIC's register map (docs/emulated-asic.md): 32-bit registers at byte
 * addresses, 64-bit values as two registers (low word first), reached with
 * lb_emu_asic_read32/lb_emu_asic_write32 (lightbridge/emulator.h). Shared by the model
 * (emulator/asic) and its driver (drivers/asic/emulated), as a vendor's register header is
 * shared by its chip and its SDK; an out-of-tree ASIC driver may target it too. Macros only.
 */
#ifndef LIGHTBRIDGE_EMU_ASIC_REGS_H
#define LIGHTBRIDGE_EMU_ASIC_REGS_H

/* Identity and capabilities (read-only). */
#define LB_EMU_ASIC_REG_ID 0x0000u           /* LB_EMU_ASIC_ID */
#define LB_EMU_ASIC_REG_VERSION 0x0004u      /* register map version: 1 */
#define LB_EMU_ASIC_REG_SWITCH_TYPE 0x0008u  /* 1 NPU, 2 VOQ */
#define LB_EMU_ASIC_REG_MAX_PORTS 0x000Cu
#define LB_EMU_ASIC_REG_LANES 0x0010u
#define LB_EMU_ASIC_REG_LANES_PER_GROUP 0x0014u
#define LB_EMU_ASIC_REG_LANE_SPEEDS 0x0018u  /* LB_EMU_ASIC_SPEED_* bits a lane carries */
#define LB_EMU_ASIC_REG_PORT_SPEEDS 0x001Cu  /* LB_EMU_ASIC_SPEED_* bits a port runs at */
#define LB_EMU_ASIC_REG_FEC_MODES 0x0020u    /* bit n: FEC code n (0 none, 1 RS-528, 2 RS-544, 3 RS-544-2xN) */
#define LB_EMU_ASIC_REG_CAPACITY_GBPS 0x0024u
#define LB_EMU_ASIC_REG_ONCHIP_BYTES 0x0028u /* 64-bit */
#define LB_EMU_ASIC_REG_HBM_BYTES 0x0030u    /* 64-bit */
#define LB_EMU_ASIC_REG_HBM_BW_MBPS 0x0038u  /* 64-bit */
#define LB_EMU_ASIC_REG_CELL_BYTES 0x0040u
#define LB_EMU_ASIC_REG_QUEUES 0x0044u       /* per port */
#define LB_EMU_ASIC_REG_PGS 0x0048u          /* per port */
#define LB_EMU_ASIC_REG_LOSSLESS 0x004Cu     /* lossless priorities per port */
#define LB_EMU_ASIC_REG_MAX_MTU 0x0050u
#define LB_EMU_ASIC_REG_MODEL 0x0060u        /* 32 bytes of ASCII, 4 per register, first byte lowest */
#define LB_EMU_ASIC_MODEL_BYTES 32u

#define LB_EMU_ASIC_ID 0x4C424153u /* "LBAS" */
#define LB_EMU_ASIC_VERSION 1u

/* Speeds, as bits of the speed registers. */
#define LB_EMU_ASIC_SPEED_25G 0u
#define LB_EMU_ASIC_SPEED_50G 1u
#define LB_EMU_ASIC_SPEED_100G 2u
#define LB_EMU_ASIC_SPEED_200G 3u
#define LB_EMU_ASIC_SPEED_400G 4u
#define LB_EMU_ASIC_SPEED_800G 5u
#define LB_EMU_ASIC_SPEED_1600G 6u
#define LB_EMU_ASIC_N_SPEEDS 7u

/* Lane map (read-only): the port that owns lane n, plus one (0: free). */
#define LB_EMU_ASIC_REG_LANE_OWNER(n) (0x1000u + 4u * (n))
/* Lane groups (read-only): the LB_EMU_ASIC_SPEED_* bit of the lane speed lane group g (lanes
 * g x LANES_PER_GROUP ..) runs, 0 while no port is on it. A group's SerDes share a clock: its
 * ports run one lane speed (a port of another is refused, ERR_SPEED). */
#define LB_EMU_ASIC_REG_GROUP_SPEED(g) (0x1C00u + 4u * (g)) /* up to 256 groups */

/*
 * Buffer pools (16) and profiles (64): staged registers (read-write) that a COMMAND applies
 * whole (1 change, 2 remove, 3 create), the status in STATUS, the values in force read-only
 * at LIVE + offset. 64-bit values low word first.
 */
#define LB_EMU_ASIC_POOLS 16u
#define LB_EMU_ASIC_POOL_REG(n, off) (0x2000u + 0x40u * (n) + (off))
#define LB_EMU_ASIC_POOL_TYPE 0x00u  /* 1 ingress, 2 egress, 3 both */
#define LB_EMU_ASIC_POOL_MODE 0x04u  /* 0 dynamic, 1 static */
#define LB_EMU_ASIC_POOL_SIZE 0x08u  /* 64-bit bytes */
#define LB_EMU_ASIC_POOL_XOFF 0x10u  /* 64-bit bytes: shared headroom pool */
#define LB_EMU_ASIC_POOL_COMMAND 0x18u
#define LB_EMU_ASIC_POOL_STATUS 0x1Cu
#define LB_EMU_ASIC_POOL_LIVE 0x20u  /* + TYPE .. XOFF: in force */
#define LB_EMU_ASIC_POOL_EXISTS 0x38u
#define LB_EMU_ASIC_PROFILES 64u
#define LB_EMU_ASIC_PROFILE_REG(n, off) (0x3000u + 0x80u * (n) + (off))
#define LB_EMU_ASIC_PROF_POOL 0x00u
#define LB_EMU_ASIC_PROF_MODE 0x04u
#define LB_EMU_ASIC_PROF_DYN_TH 0x08u      /* signed, two's complement */
#define LB_EMU_ASIC_PROF_RESERVED 0x10u    /* 64-bit */
#define LB_EMU_ASIC_PROF_STATIC_TH 0x18u   /* 64-bit */
#define LB_EMU_ASIC_PROF_XOFF 0x20u        /* 64-bit */
#define LB_EMU_ASIC_PROF_XON 0x28u         /* 64-bit */
#define LB_EMU_ASIC_PROF_XON_OFFSET 0x30u  /* 64-bit */
#define LB_EMU_ASIC_PROF_COMMAND 0x38u
#define LB_EMU_ASIC_PROF_STATUS 0x3Cu
#define LB_EMU_ASIC_PROF_LIVE 0x40u        /* + POOL .. XON_OFFSET: in force */
#define LB_EMU_ASIC_PROF_EXISTS 0x7Cu

/* Per-port blocks. */
#define LB_EMU_ASIC_PORT_BASE 0x100000u
#define LB_EMU_ASIC_PORT_STRIDE 0x1000u
#define LB_EMU_ASIC_PORT_REG(port, off) (LB_EMU_ASIC_PORT_BASE + LB_EMU_ASIC_PORT_STRIDE * (port) + (off))
/* Staged configuration (read-write): takes effect on COMMAND create or change, all or none. */
#define LB_EMU_ASIC_P_CFG_LANES 0x00u  /* first lane [15:0], lane count [23:16] */
#define LB_EMU_ASIC_P_CFG_SPEED 0x04u  /* Mb/s */
#define LB_EMU_ASIC_P_CFG_FEC 0x08u
#define LB_EMU_ASIC_P_CFG_CTRL 0x0Cu   /* admin up bit 0, loopback [9:8], PFC mask [23:16], PAUSE tx bit 24, rx bit 25 */
#define LB_EMU_ASIC_P_CFG_MTU 0x10u
#define LB_EMU_ASIC_P_COMMAND 0x14u    /* write: 1 change, 2 remove, 3 create */
#define LB_EMU_ASIC_P_CMD_STATUS 0x18u /* LB_EMU_ASIC_ERR_* of the last command */
/* State (read-only). */
#define LB_EMU_ASIC_P_STATUS 0x20u     /* exists bit 0, oper up bit 1, down reason [15:8] */
#define LB_EMU_ASIC_P_OPER_SPEED 0x24u /* Mb/s, 0 while down */
#define LB_EMU_ASIC_P_OPER_FEC 0x28u
/* Configuration in force (read-only), as the CFG registers. */
#define LB_EMU_ASIC_P_LIVE_LANES 0x40u
#define LB_EMU_ASIC_P_LIVE_SPEED 0x44u
#define LB_EMU_ASIC_P_LIVE_FEC 0x48u
#define LB_EMU_ASIC_P_LIVE_CTRL 0x4Cu
#define LB_EMU_ASIC_P_LIVE_MTU 0x50u
/*
 * Buffer bindings (read-write, one register each, applied at once): the profile of PG n and
 * of queue n, plus one (0: none). A write the chip refuses leaves the binding and sets
 * CMD_STATUS.
 */
#define LB_EMU_ASIC_P_PG(n) (0x800u + 4u * (n))
#define LB_EMU_ASIC_P_QUEUE(n) (0x880u + 4u * (n))
#define LB_EMU_ASIC_PORT_PGS 8u
#define LB_EMU_ASIC_PORT_QUEUES 8u
/* Counters: CNT_CTRL latches them (1), clears them (2), or both at one instant (3); the
 * counter registers read the latched values, 64-bit each, low word first. */
#define LB_EMU_ASIC_P_CNT_CTRL 0x30u
#define LB_EMU_ASIC_P_CNT(i) (0x100u + 8u * (i))

#define LB_EMU_ASIC_CMD_APPLY 1u
#define LB_EMU_ASIC_CMD_REMOVE 2u
#define LB_EMU_ASIC_CMD_CREATE 3u
#define LB_EMU_ASIC_CNT_LATCH 1u
#define LB_EMU_ASIC_CNT_CLEAR 2u

#define LB_EMU_ASIC_CTRL_ADMIN 0x1u
#define LB_EMU_ASIC_CTRL_LOOPBACK(c) (((c) >> 8) & 0x3u)
#define LB_EMU_ASIC_CTRL_PFC(c) (((c) >> 16) & 0xFFu)
#define LB_EMU_ASIC_CTRL_PAUSE_TX(c) (((c) >> 24) & 0x1u) /* 802.3x: sent at the ingress's XOFF */
#define LB_EMU_ASIC_CTRL_PAUSE_RX(c) (((c) >> 25) & 0x1u) /* 802.3x: the peer's stops the transmit */
#define LB_EMU_ASIC_LANES_FIRST(l) ((l) & 0xFFFFu)
#define LB_EMU_ASIC_LANES_COUNT(l) (((l) >> 16) & 0xFFu)

/* Command status. */
#define LB_EMU_ASIC_ERR_OK 0u
#define LB_EMU_ASIC_ERR_LANES 1u    /* lane block not 1/2/4/8 aligned, or beyond the chip */
#define LB_EMU_ASIC_ERR_OVERLAP 2u  /* a lane belongs to another port */
#define LB_EMU_ASIC_ERR_SPEED 3u    /* speed not supported, or not carried by the lanes */
#define LB_EMU_ASIC_ERR_FEC 4u      /* FEC not supported at this speed */
#define LB_EMU_ASIC_ERR_MTU 5u
#define LB_EMU_ASIC_ERR_CTRL 6u     /* loopback unknown, too many lossless priorities, PAUSE with PFC */
#define LB_EMU_ASIC_ERR_NOPORT 7u   /* change or remove of a port that does not exist */
#define LB_EMU_ASIC_ERR_EXISTS 8u   /* lanes changed on an existing port (remove it first) */
#define LB_EMU_ASIC_ERR_CAPACITY 9u /* the ports would exceed the switching capacity */
#define LB_EMU_ASIC_ERR_COMMAND 10u /* unknown command */
#define LB_EMU_ASIC_ERR_TAKEN 11u   /* create on a port number that exists */
#define LB_EMU_ASIC_ERR_NOPOOL 12u  /* a profile on a pool that does not exist */
#define LB_EMU_ASIC_ERR_NOPROFILE 13u /* a binding to a profile that does not exist */
#define LB_EMU_ASIC_ERR_BUSY 14u    /* removing a pool or profile in use */
#define LB_EMU_ASIC_ERR_DIRECTION 15u /* a PG on an egress pool, a queue on an ingress one */
#define LB_EMU_ASIC_ERR_VALUE 16u   /* a type, mode or threshold out of range */

/*
 * HyperPorts (0x8000-0x9FFF, 64 blocks of 0x80): four 800G member ports bonded into one.
 * Staged registers (read-write) that COMMAND applies whole (3 create, 2 remove), the status
 * in CMD_STATUS; members as port number plus one (0: none). STATE: exists bit 0, oper up
 * bit 1, members up [11:8] (bit i: member i); reading it latches CAPACITY (Gb/s), SHARE(i)
 * (member i's share of the HyperPort's traffic per million, the spread the hash gives over
 * the members up) and REASONS (each member's down reason) at that instant.
 * A member port cannot be removed nor change speed (ERR_BUSY) while its HyperPort exists.
 */
#define LB_EMU_ASIC_HPS 64u
#define LB_EMU_ASIC_HP_REG(n, off) (0x8000u + 0x80u * (n) + (off))
#define LB_EMU_ASIC_HP_MEMBER(i) (0x00u + 4u * (i)) /* staged, port + 1 */
#define LB_EMU_ASIC_HP_HASH 0x10u                   /* staged: 0 flow, 1 spray */
#define LB_EMU_ASIC_HP_COMMAND 0x14u
#define LB_EMU_ASIC_HP_CMD_STATUS 0x18u
#define LB_EMU_ASIC_HP_STATE 0x1Cu                  /* read-only */
#define LB_EMU_ASIC_HP_CAPACITY_GBPS 0x20u          /* read-only */
#define LB_EMU_ASIC_HP_SHARE(i) (0x24u + 4u * (i))  /* read-only, ppm */
#define LB_EMU_ASIC_HP_LIVE_MEMBER(i) (0x40u + 4u * (i)) /* read-only, in force */
#define LB_EMU_ASIC_HP_LIVE_HASH 0x50u              /* read-only, in force */
#define LB_EMU_ASIC_HP_REASONS 0x54u /* read-only: member i's down reason in [8i+7:8i] (0 up) */
#define LB_EMU_ASIC_HP_MEMBERS 4u
#define LB_EMU_ASIC_HP_MEMBER_MBPS 800000u
#define LB_EMU_ASIC_HP_MAX_FLOWS 1000000u /* flows lb_emu_asic_set_hyperport_traffic spreads, at most */
#define LB_EMU_ASIC_ERR_HP_MEMBERS 17u /* a member missing, named twice, or not a port */
#define LB_EMU_ASIC_ERR_HP_SPEED 18u   /* a member not at 800G */
#define LB_EMU_ASIC_ERR_HP_IN_USE 19u  /* a member in another HyperPort */

/*
 * QoS and watermarks (the traffic feature; docs/emulated-asic.md). Per port, at
 * LB_EMU_ASIC_QOS_REG(port, off): the scheduler of each queue and the port's QoS maps, staged
 * (read-write) and applied whole by QOS_COMMAND (1 apply, 2 back to the defaults), the status
 * in QOS_STATUS (LB_EMU_ASIC_ERR_*), in force read-only at QOS_LIVE + offset; defaults: every
 * queue DWRR weight 1, no rates, identity maps. Watermarks (read-only, 64-bit bytes or ns,
 * moved by the traffic model): current and peak per PG (and of it in the headroom) and per
 * queue (and its delay at the egress rate); WM_CTRL 1 brings the peaks down to now. Pools:
 * LB_EMU_ASIC_POOL_WM(n, off), POOL_WM_CTRL 1 likewise for every pool.
 */
#define LB_EMU_ASIC_QOS_BASE 0xC00000u
#define LB_EMU_ASIC_QOS_STRIDE 0x800u
#define LB_EMU_ASIC_QOS_REG(port, off) (LB_EMU_ASIC_QOS_BASE + LB_EMU_ASIC_QOS_STRIDE * (port) + (off))
#define LB_EMU_ASIC_Q_TYPE(n) (0x000u + 4u * (n))     /* 0 strict, 1 DWRR */
#define LB_EMU_ASIC_Q_WEIGHT(n) (0x020u + 4u * (n))   /* DWRR: 1 .. 255 */
#define LB_EMU_ASIC_Q_MIN_RATE(n) (0x040u + 8u * (n)) /* 64-bit Mb/s guaranteed, 0: none */
#define LB_EMU_ASIC_Q_MAX_RATE(n) (0x080u + 8u * (n)) /* 64-bit Mb/s shaper, 0: none */
#define LB_EMU_ASIC_QOS_TC_PG 0x0C0u     /* 4 bits per TC (= priority) n at [4n+3:4n]: its PG */
#define LB_EMU_ASIC_QOS_PFC_PG 0x0C4u    /* 4 bits per PFC priority: the PG whose XOFF pauses it */
#define LB_EMU_ASIC_QOS_PFC_QUEUE 0x0C8u /* 4 bits per PFC priority: the queue its PFC pauses */
#define LB_EMU_ASIC_QOS_COMMAND 0x0D0u
#define LB_EMU_ASIC_QOS_STATUS 0x0D4u
#define LB_EMU_ASIC_QOS_LIVE 0x100u      /* + Q_TYPE(0) .. QOS_PFC_QUEUE: in force */
#define LB_EMU_ASIC_QOS_CMD_APPLY 1u
#define LB_EMU_ASIC_QOS_CMD_DEFAULTS 2u
#define LB_EMU_ASIC_QOS_IDENTITY_MAP 0x76543210u
#define LB_EMU_ASIC_WM_PG(g, off) (0x200u + 0x20u * (g) + (off))
#define LB_EMU_ASIC_WM_QUEUE(n, off) (0x300u + 0x20u * (n) + (off))
#define LB_EMU_ASIC_WM_CUR 0x00u       /* bytes held now */
#define LB_EMU_ASIC_WM_PEAK 0x08u      /* bytes held at most */
#define LB_EMU_ASIC_WM_PG_HDRM 0x10u   /* PG: bytes in the headroom now */
#define LB_EMU_ASIC_WM_PG_HDRM_PEAK 0x18u
#define LB_EMU_ASIC_WM_Q_DELAY 0x10u   /* queue: ns to drain what it holds now */
#define LB_EMU_ASIC_WM_Q_DELAY_PEAK 0x18u
#define LB_EMU_ASIC_WM_CTRL 0x400u
#define LB_EMU_ASIC_POOL_WM(n, off) (0xD00000u + 0x10u * (n) + (off)) /* WM_CUR, WM_PEAK */
#define LB_EMU_ASIC_POOL_WM_CTRL 0xD00100u

/* Counter indices, in the order of struct lb_asic_port_counters' members. */
#define LB_EMU_ASIC_C_IN_OCTETS 0u
#define LB_EMU_ASIC_C_IN_UCAST 1u
#define LB_EMU_ASIC_C_IN_MCAST 2u
#define LB_EMU_ASIC_C_IN_BCAST 3u
#define LB_EMU_ASIC_C_OUT_OCTETS 4u
#define LB_EMU_ASIC_C_OUT_UCAST 5u
#define LB_EMU_ASIC_C_OUT_MCAST 6u
#define LB_EMU_ASIC_C_OUT_BCAST 7u
#define LB_EMU_ASIC_C_IN_FCS 8u
#define LB_EMU_ASIC_C_IN_DISCARDS 9u
#define LB_EMU_ASIC_C_OUT_DISCARDS 10u
#define LB_EMU_ASIC_C_PAUSE_RX 11u
#define LB_EMU_ASIC_C_PAUSE_TX 12u
#define LB_EMU_ASIC_C_PFC_RX(n) (13u + (n))
#define LB_EMU_ASIC_C_PFC_TX(n) (21u + (n))
#define LB_EMU_ASIC_C_FEC_CW 29u
#define LB_EMU_ASIC_C_FEC_CORRECTED 30u
#define LB_EMU_ASIC_C_FEC_UNCORRECTED 31u
#define LB_EMU_ASIC_C_FEC_SYMBOLS 32u
#define LB_EMU_ASIC_C_FEC_BIN(k) (33u + (k))
#define LB_EMU_ASIC_FEC_BINS 17u
/* the traffic feature: PFC pause time per priority, us (received: held; sent: holding) */
#define LB_EMU_ASIC_C_PFC_RX_PAUSE_US(n) (50u + (n))
#define LB_EMU_ASIC_C_PFC_TX_PAUSE_US(n) (58u + (n))
/* 802.3x PAUSE time, us (received: held; sent: holding) */
#define LB_EMU_ASIC_C_PAUSE_RX_US 66u
#define LB_EMU_ASIC_C_PAUSE_TX_US 67u
#define LB_EMU_ASIC_N_COUNTERS 68u


/*
 * ---- MACsec (docs/macsec.md): a block per ASIC port at 0x800000 + 0x800 x port. ----
 * Staged registers (read-write, the key and salt write-only: they read 0) that a COMMAND
 * applies whole; the command's result in M_CMD_STATUS; what is in force read-only. Every
 * COMMAND erases the staged key and salt, whatever its result. The chip keeps no key it could
 * give back: an SA holds a keyed hash of its key, salt and SSCI (its secret made at power-on),
 * enough for the model to tell whether the two ends hold the same key.
 */
#define LB_EMU_ASIC_MACSEC_BASE 0x800000u
#define LB_EMU_ASIC_MACSEC_STRIDE 0x800u
#define LB_EMU_ASIC_MACSEC_REG(port, off) (LB_EMU_ASIC_MACSEC_BASE + LB_EMU_ASIC_MACSEC_STRIDE * (port) + (off))
#define LB_EMU_ASIC_M_CTRL 0x00u       /* enable bit 0, replay protect bit 1, encrypt bit 2 */
#define LB_EMU_ASIC_M_CIPHER 0x04u     /* 0 GCM-AES-128, 1 -256, 2 XPN-128, 3 XPN-256 */
#define LB_EMU_ASIC_M_CONF_OFFSET 0x08u
#define LB_EMU_ASIC_M_WINDOW 0x0Cu
#define LB_EMU_ASIC_M_SCI 0x10u        /* 64-bit */
#define LB_EMU_ASIC_M_PN_WARN 0x18u    /* 64-bit */
#define LB_EMU_ASIC_M_SC_SCI 0x20u     /* 64-bit: the SCI of SC create */
#define LB_EMU_ASIC_M_SA_SEL 0x28u     /* AN [1:0], direction bit 8 (1 receive): SC and SA commands */
#define LB_EMU_ASIC_M_SA_SSCI 0x2Cu
#define LB_EMU_ASIC_M_SA_PN 0x30u      /* 64-bit */
#define LB_EMU_ASIC_M_SA_SALT(i) (0x38u + 4u * (i)) /* 3 registers, write-only */
#define LB_EMU_ASIC_M_KEY_LEN 0x44u
#define LB_EMU_ASIC_M_KEY(i) (0x48u + 4u * (i))     /* 8 registers, write-only */
#define LB_EMU_ASIC_M_COMMAND 0x70u
#define LB_EMU_ASIC_M_CMD_STATUS 0x74u
#define LB_EMU_ASIC_M_LIVE_CTRL 0x80u  /* + CTRL .. PN_WARN: in force */
#define LB_EMU_ASIC_M_TX_SCI 0xA0u     /* 64-bit, 0: no transmit SC */
#define LB_EMU_ASIC_M_RX_SCI 0xA8u     /* 64-bit, 0: no receive SC */
#define LB_EMU_ASIC_M_TX_AN 0xB0u      /* the transmit SA in use, 0xFF: none */
#define LB_EMU_ASIC_M_SC_CNT(dir, i) (0xC0u + 0x20u * (dir) + 8u * (i)) /* latched, 64-bit */
#define LB_EMU_ASIC_M_SC_C_SA_NOT_IN_USE 0u /* transmit */
#define LB_EMU_ASIC_M_SC_C_NOT_USING_SA 0u  /* receive */
#define LB_EMU_ASIC_M_SC_C_UNUSED_SA 1u     /* receive */
#define LB_EMU_ASIC_M_SA(dir, an, off) (0x100u + 0x200u * (dir) + 0x80u * (an) + (off))
#define LB_EMU_ASIC_M_SA_STATE 0x00u   /* installed bit 0, in use bit 1, PN warning bit 2, exhausted bit 3 */
#define LB_EMU_ASIC_M_SA_NEXT_PN 0x08u /* 64-bit */
#define LB_EMU_ASIC_M_SA_PN_LEFT 0x10u /* 64-bit */
#define LB_EMU_ASIC_M_SA_CNT(i) (0x20u + 8u * (i)) /* latched, 64-bit */
#define LB_EMU_ASIC_M_SA_C_OUT_PROTECTED 0u
#define LB_EMU_ASIC_M_SA_C_OUT_ENCRYPTED 1u
#define LB_EMU_ASIC_M_SA_C_OUT_OCT_PROTECTED 2u
#define LB_EMU_ASIC_M_SA_C_OUT_OCT_ENCRYPTED 3u
#define LB_EMU_ASIC_M_SA_C_IN_OK 4u
#define LB_EMU_ASIC_M_SA_C_IN_OCT_VALIDATED 5u
#define LB_EMU_ASIC_M_SA_C_IN_OCT_DECRYPTED 6u
#define LB_EMU_ASIC_M_SA_C_IN_LATE 7u
#define LB_EMU_ASIC_M_SA_C_IN_INVALID 8u
#define LB_EMU_ASIC_M_SA_C_IN_NOT_VALID 9u
#define LB_EMU_ASIC_M_SA_COUNTERS 10u
#define LB_EMU_ASIC_M_SA_STATE_INSTALLED 0x1u
#define LB_EMU_ASIC_M_SA_STATE_IN_USE 0x2u
#define LB_EMU_ASIC_M_SA_STATE_WARN 0x4u
#define LB_EMU_ASIC_M_SA_STATE_EXHAUSTED 0x8u
/* Commands. */
#define LB_EMU_ASIC_M_CMD_SECY 1u      /* apply CTRL .. PN_WARN */
#define LB_EMU_ASIC_M_CMD_SC_CREATE 2u /* SC of SA_SEL's direction with SC_SCI */
#define LB_EMU_ASIC_M_CMD_SC_REMOVE 3u
#define LB_EMU_ASIC_M_CMD_SA_INSTALL 4u /* SA_SEL's SA with SA_PN, SSCI, SALT, KEY_LEN, KEY */
#define LB_EMU_ASIC_M_CMD_SA_RETIRE 5u
#define LB_EMU_ASIC_M_CMD_TX_SWITCH 6u  /* transmit on SA_SEL's AN */
#define LB_EMU_ASIC_M_CMD_LATCH 7u      /* latch every MACsec counter of the port */
/* Command status: LB_EMU_ASIC_ERR_OK, _VALUE, _TAKEN, _BUSY, _COMMAND, _NOPORT or these. */
#define LB_EMU_ASIC_ERR_NOSECY 20u      /* no SecY applied */
#define LB_EMU_ASIC_ERR_NOSC 21u        /* no SC in that direction */
#define LB_EMU_ASIC_ERR_NOSA 22u        /* no SA on that AN */
#define LB_EMU_ASIC_ERR_KEY 23u         /* a key length the cipher does not take */


/*
 * ---- Congestion control (docs/congestion.md): a block per ASIC port at 0xE00000 + 0x800 x
 * port. ECN/WRED per queue: staged registers (read-write) that CC_Q_COMMAND applies whole
 * (1 apply, 2 off), the status in CC_Q_STATUS (LB_EMU_ASIC_ERR_*), in force read-only at
 * CC_Q_LIVE(q, off); its counters latched by CC_Q_COMMAND 3 (latch) or 4 (latch and clear),
 * 64-bit. PFC watchdog per traffic class likewise (CC_WD_COMMAND 1 apply, 2 off, 3 latch,
 * 4 latch and clear); CC_WD_STATE reads now, the counters what was latched. The watchdog
 * polls every LB_EMU_ASIC_CC_POLL_MS of the traffic model's time. ----
 */
#define LB_EMU_ASIC_CC_BASE 0xE00000u
#define LB_EMU_ASIC_CC_STRIDE 0x800u
#define LB_EMU_ASIC_CC_REG(port, off) (LB_EMU_ASIC_CC_BASE + LB_EMU_ASIC_CC_STRIDE * (port) + (off))
#define LB_EMU_ASIC_CC_Q(q, off) (0x000u + 0x40u * (q) + (off)) /* staged */
#define LB_EMU_ASIC_CC_Q_LIVE(q, off) (0x200u + 0x40u * (q) + (off)) /* CTRL .. MAX(2): in force */
#define LB_EMU_ASIC_CC_CTRL 0x00u     /* colours enabled [2:0], WRED bit 8, ECN bit 9 */
#define LB_EMU_ASIC_CC_PROB 0x04u     /* percent: green [7:0], yellow [15:8], red [23:16] */
#define LB_EMU_ASIC_CC_MIN(c) (0x08u + 8u * (c))  /* 64-bit bytes, colour c */
#define LB_EMU_ASIC_CC_MAX(c) (0x20u + 8u * (c))  /* 64-bit bytes */
#define LB_EMU_ASIC_CC_Q_COMMAND 0x38u
#define LB_EMU_ASIC_CC_Q_STATUS 0x3Cu
#define LB_EMU_ASIC_CC_Q_CNT(q, i) (0x400u + 0x40u * (q) + 8u * (i)) /* latched, 64-bit */
#define LB_EMU_ASIC_CC_C_MARKED 0u          /* ECN-marked packets */
#define LB_EMU_ASIC_CC_C_MARKED_BYTES 1u
#define LB_EMU_ASIC_CC_C_DROPPED(c) (2u + (c))        /* WRED-dropped packets of colour c */
#define LB_EMU_ASIC_CC_C_DROPPED_BYTES(c) (5u + (c))
#define LB_EMU_ASIC_CC_Q_COUNTERS 8u
#define LB_EMU_ASIC_CC_WD(tc, off) (0x600u + 0x20u * (tc) + (off))
#define LB_EMU_ASIC_CC_WD_DETECT 0x00u       /* staged, ms */
#define LB_EMU_ASIC_CC_WD_RESTORE 0x04u      /* staged, ms */
#define LB_EMU_ASIC_CC_WD_ACTION 0x08u       /* staged: 0 off, 1 drop, 2 forward, 3 alarm */
#define LB_EMU_ASIC_CC_WD_COMMAND 0x0Cu
#define LB_EMU_ASIC_CC_WD_STATUS 0x10u
#define LB_EMU_ASIC_CC_WD_LIVE_DETECT 0x14u  /* in force, read-only */
#define LB_EMU_ASIC_CC_WD_LIVE_RESTORE 0x18u
#define LB_EMU_ASIC_CC_WD_LIVE_ACTION 0x1Cu
#define LB_EMU_ASIC_CC_WD_CNT(tc, off) (0x700u + 0x20u * (tc) + (off))
#define LB_EMU_ASIC_CC_WD_STATE 0x00u        /* now: stormed bit 0 */
#define LB_EMU_ASIC_CC_WD_DETECTED 0x04u     /* latched: storms detected */
#define LB_EMU_ASIC_CC_WD_RESTORED 0x08u     /* latched: storms restored */
#define LB_EMU_ASIC_CC_WD_STORM_MS 0x0Cu     /* latched: ms stormed */
#define LB_EMU_ASIC_CC_WD_TX_DROPPED 0x10u   /* latched, 64-bit packets */
#define LB_EMU_ASIC_CC_WD_RX_DROPPED 0x18u   /* latched, 64-bit packets */
#define LB_EMU_ASIC_CC_CMD_APPLY 1u
#define LB_EMU_ASIC_CC_CMD_OFF 2u
#define LB_EMU_ASIC_CC_CMD_LATCH 3u
#define LB_EMU_ASIC_CC_CMD_LATCH_CLEAR 4u
#define LB_EMU_ASIC_CC_CTRL_COLORS 0x7u
#define LB_EMU_ASIC_CC_CTRL_WRED 0x100u
#define LB_EMU_ASIC_CC_CTRL_ECN 0x200u
#define LB_EMU_ASIC_CC_WD_OFF 0u
#define LB_EMU_ASIC_CC_WD_DROP 1u
#define LB_EMU_ASIC_CC_WD_FORWARD 2u
#define LB_EMU_ASIC_CC_WD_ALARM 3u
#define LB_EMU_ASIC_CC_POLL_MS 10u
#define LB_EMU_ASIC_CC_DETECT_MIN_MS 10u
#define LB_EMU_ASIC_CC_DETECT_MAX_MS 5000u
#define LB_EMU_ASIC_CC_RESTORE_MIN_MS 10u
#define LB_EMU_ASIC_CC_RESTORE_MAX_MS 60000u

/*
 * ---- VOQ system ports (lightbridge/voq.h; 0xF00000-0xF3FFFF) ----
 * This switch in the VOQ system: VOQ_SW_ID and VOQ_SW_CORES staged (read-write), VOQ_SW_COMMAND
 * 1 applies them whole (ERR_BUSY while system ports exist), the result in VOQ_SW_STATUS, in
 * force read-only at VOQ_SW_LIVE_ID and VOQ_SW_LIVE_CORES (0 cores: not set yet).
 * The system-port table: LB_EMU_ASIC_VOQ_SLOTS slots of 0x40 at LB_EMU_ASIC_VOQ_REG(slot, off),
 * staged registers (read-write) that SP_COMMAND applies whole (3 create, 2 remove), the result
 * in SP_CMD_STATUS, in force read-only at SP_LIVE + offset, SP_STATE (read-only: exists bit 0,
 * local bit 1). A local system port (its switch id this switch's) is the system port of ASIC
 * port SP_CORE_PORT: that port exists, at that speed, its first lane on that core; its live
 * speed reads its ASIC port's now, and the ASIC port cannot be removed while it has one
 * (ERR_BUSY). VOQ_USED(i) (read-only): bit b set when slot 32 x i + b holds a system port.
 * On an NPU chip (SWITCH_TYPE 1) every command answers ERR_NOT_VOQ.
 */
#define LB_EMU_ASIC_VOQ_SW_ID 0xF00000u
#define LB_EMU_ASIC_VOQ_SW_CORES 0xF00004u
#define LB_EMU_ASIC_VOQ_SW_COMMAND 0xF00008u  /* write 1: apply */
#define LB_EMU_ASIC_VOQ_SW_STATUS 0xF0000Cu
#define LB_EMU_ASIC_VOQ_SW_LIVE_ID 0xF00010u
#define LB_EMU_ASIC_VOQ_SW_LIVE_CORES 0xF00014u
#define LB_EMU_ASIC_VOQ_SLOTS 1024u
#define LB_EMU_ASIC_VOQ_USED(i) (0xF00100u + 4u * (i)) /* LB_EMU_ASIC_VOQ_SLOTS / 32 words */
#define LB_EMU_ASIC_VOQ_REG(slot, off) (0xF01000u + 0x40u * (slot) + (off))
#define LB_EMU_ASIC_VOQ_END 0xF40000u
#define LB_EMU_ASIC_VOQ_SP_ID 0x00u        /* system port id, nonzero */
#define LB_EMU_ASIC_VOQ_SP_SWITCH 0x04u    /* the switch id it is on */
#define LB_EMU_ASIC_VOQ_SP_CORE 0x08u
#define LB_EMU_ASIC_VOQ_SP_CORE_PORT 0x0Cu
#define LB_EMU_ASIC_VOQ_SP_SPEED 0x10u     /* Mb/s */
#define LB_EMU_ASIC_VOQ_SP_NUM_VOQ 0x14u
#define LB_EMU_ASIC_VOQ_SP_COMMAND 0x18u   /* 3 create, 2 remove */
#define LB_EMU_ASIC_VOQ_SP_CMD_STATUS 0x1Cu
#define LB_EMU_ASIC_VOQ_SP_LIVE 0x20u      /* + SP_ID .. SP_NUM_VOQ: in force */
#define LB_EMU_ASIC_VOQ_SP_STATE 0x38u     /* exists bit 0, local bit 1 */
#define LB_EMU_ASIC_VOQ_MAX_SWITCH_ID 2047u
#define LB_EMU_ASIC_VOQ_MAX_CORES 8u
/* Command status: LB_EMU_ASIC_ERR_OK, _VALUE (id 0, a switch id, core or VOQ count out of
 * range), _TAKEN (the slot, the id or the (switch, core, core port) taken, or the ASIC port
 * has a system port), _SPEED, _NOPORT (no such slot entry; a local one's ASIC port missing
 * or on another core), _BUSY, _COMMAND or these. */
#define LB_EMU_ASIC_ERR_NOT_VOQ 40u       /* an NPU chip has no system ports */
#define LB_EMU_ASIC_ERR_VOQ_NOSWITCH 41u  /* this switch's id and cores are not set */

/*
 * Chip health (0xA000-0xA0FF; the fault feature, docs/emulated-asic.md "Faults").
 * EPOCH (read-only) counts the chip's power-ons: 1 at creation, one more at every reset; never
 * 0 nor all ones. After a reset the chip is back at its power-on configuration and answers
 * nothing outside this block (reads give all ones, writes are dropped: a PCIe function whose
 * memory space was disabled) until the driver writes the new EPOCH to EPOCH_ACK.
 * The write tally: the chip counts the writes it takes, mod 256, since the tally was last read
 * (TALLY, a checked read) or a command status was. A checked read, at LB_EMU_ASIC_CHECKED(addr), is allowed of a
 * command status register (its COMMAND's address + 4) and of a port's CNT_CTRL (where it
 * latches the counters, as a write of LB_EMU_ASIC_CNT_LATCH): it reads the register with the
 * tally in [31:24] and starts the tally again. A COMMAND written with LB_EMU_ASIC_CMD_COUNTED
 * and LB_EMU_ASIC_CMD_TALLY(n) runs only when n is the tally before it: otherwise nothing is
 * applied and its status reads LB_EMU_ASIC_ERR_SEQ (a write before it was lost). A driver so
 * learns of a lost write at the status it reads anyway, with no access of its own.
 */
#define LB_EMU_ASIC_REG_EPOCH 0xA000u
#define LB_EMU_ASIC_REG_EPOCH_ACK 0xA004u  /* reads the epoch acknowledged, 0 while waiting */
#define LB_EMU_ASIC_REG_TALLY 0xA00Cu      /* read: the tally (all ones while waiting), restarted */
#define LB_EMU_ASIC_CHECKED(addr) ((addr) | 0x80000000u)
#define LB_EMU_ASIC_CMD_COUNTED 0x800000u
#define LB_EMU_ASIC_CMD_TALLY(n) (((n) & 0xFFu) << 24)
#define LB_EMU_ASIC_STATUS_TALLY(v) (((v) >> 24) & 0xFFu)
#define LB_EMU_ASIC_STATUS_ERR(v) ((v) & 0xFFFFFFu)
#define LB_EMU_ASIC_ERR_SEQ 30u     /* a counted COMMAND's tally disagreed: nothing applied */
#define LB_EMU_ASIC_ERR_PENDING 31u /* the command has not completed (a stuck command engine) */

#endif
