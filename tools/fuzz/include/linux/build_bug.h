/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in: what validate.c needs of <linux/build_bug.h> is in kshim.h. */
