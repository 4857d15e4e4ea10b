/*
 * ctx_aarch64.S - switching between process stacks on AArch64 (AAPCS64).
 *
 * The same idea as ctx_x86_64.S: save what a call must preserve -- x19-x28,
 * the frame pointer x29, the link register x30 and the low halves of v8-v15
 * (d8-d15) -- plus the floating-point control register, on the running stack;
 * store sp; load the other sp; restore; return through x30.
 *
 * Always a return: ctx_x86_64.S jumps instead when the two processes were
 * suspended at different places (see "The way back" there), but on AArch64
 * a jump through a register may land only on a branch-target instruction
 * when BTI is on, and the place after a call is not one.
 *
 * The frame, from the saved stack pointer up (176 bytes, 16-aligned):
 *     sp+0    x19 x20   sp+16  x21 x22   sp+32  x23 x24   sp+48  x25 x26
 *     sp+64   x27 x28   sp+80  x29 x30   sp+96  d8 d9     sp+112 d10 d11
 *     sp+128  d12 d13   sp+144 d14 d15   sp+160 fpcr
 */
        .text

/* void lc__ctx_switch(struct lc_ctx *from, struct lc_ctx *to) */
        .globl  lc__ctx_switch
        .type   lc__ctx_switch, %function
        .p2align 4
lc__ctx_switch:
        sub     sp, sp, #176
        stp     x19, x20, [sp, #0]
        stp     x21, x22, [sp, #16]
        stp     x23, x24, [sp, #32]
        stp     x25, x26, [sp, #48]
        stp     x27, x28, [sp, #64]
        stp     x29, x30, [sp, #80]
        stp     d8, d9, [sp, #96]
        stp     d10, d11, [sp, #112]
        stp     d12, d13, [sp, #128]
        stp     d14, d15, [sp, #144]
        mrs     x9, fpcr
        str     x9, [sp, #160]
        mov     x9, sp
        str     x9, [x0]                /* from->sp = sp */
        ldr     x9, [x1]                /* sp = to->sp */
        mov     sp, x9
        b       1f

/* void lc__ctx_restore(struct lc_ctx *to) */
        .globl  lc__ctx_restore
        .type   lc__ctx_restore, %function
lc__ctx_restore:
        ldr     x9, [x0]
        mov     sp, x9
1:      ldr     x9, [sp, #160]
        msr     fpcr, x9
        ldp     x19, x20, [sp, #0]
        ldp     x21, x22, [sp, #16]
        ldp     x23, x24, [sp, #32]
        ldp     x25, x26, [sp, #48]
        ldp     x27, x28, [sp, #64]
        ldp     x29, x30, [sp, #80]
        ldp     d8, d9, [sp, #96]
        ldp     d10, d11, [sp, #112]
        ldp     d12, d13, [sp, #128]
        ldp     d14, d15, [sp, #144]
        add     sp, sp, #176
        ret
        .size   lc__ctx_switch, .-lc__ctx_switch

/* lc__ctx_switch_plain(): the same function here, since this switch is the
 * plain one (ctx_x86_64.S has two). */
        .globl  lc__ctx_switch_plain
        .type   lc__ctx_switch_plain, %function
        .set    lc__ctx_switch_plain, lc__ctx_switch

        .section .note.GNU-stack,"",%progbits
